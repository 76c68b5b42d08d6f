/* The Redis REST store (--state redis://HOST:PORT): state shared by every
 * instance behind a load balancer. One hash per namespace, "hs:ns:NAME",
 * that expires when unused (EXPIRE, renewed on each use):
 *   b, n, nc        bytes, live items, collections
 *   c:COLL          the collection's configuration ("" for none)
 *   s:COLL          its next creation sequence number
 *   i:COLL/ID       an item: {"d": doc, "e": etag, "m": mtime, "g": gone,
 *                   "s": seq, "v": readable from} ("d" absent: tombstone)
 * plus the sorted set hs:spaces (namespaces by last use, for the namespace
 * limit) and hs:rl:KEY:WINDOW counters. Every operation that checks and
 * writes is one Lua script, so that instances cannot interleave.
 *
 * Blocking is bounded rather than asynchronous: one connection under a
 * lock, 200 ms to connect and 500 ms per command (hiredis timeouts). After a
 * failure the store answers HS__REST_EUNAVAIL at once (503 + Retry-After)
 * and tries to reconnect at most once a second, so a dead or unreachable
 * Redis costs each worker at most 200 ms per second, never a hang. */
#include <hiredis/hiredis.h>
#include <inttypes.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rest/store.h"

typedef struct red_s {
  hs__rest_store_t base;
  pthread_mutex_t mu;
  redisContext *c;
  char host[256];
  int port;
  int64_t retry_at; /* no connection attempt before this second */
} red_t;

/* Lua shared by the scripts: touch(ns, now, create) marks the namespace
 * used and returns its key, nil if absent, or -7 (no room). */
#define LUA_HEAD                                                                                   \
  "local L = {ttl = tonumber(ARGV[1]), maxns = tonumber(ARGV[2]), maxc = tonumber(ARGV[3]),"       \
  " maxb = tonumber(ARGV[4]), maxi = tonumber(ARGV[5]), tomb = tonumber(ARGV[6])}\n"               \
  "local now = tonumber(ARGV[7])\n"                                                                \
  "local function touch(ns, create)\n"                                                             \
  "  local key = 'hs:ns:' .. ns\n"                                                                 \
  "  if redis.call('EXISTS', key) == 0 then\n"                                                     \
  "    if not create then return nil end\n"                                                        \
  "    redis.call('ZREMRANGEBYSCORE', 'hs:spaces', '-inf', now - L.ttl)\n"                         \
  "    if redis.call('ZCARD', 'hs:spaces') >= L.maxns then return -7 end\n"                        \
  "    redis.call('HSET', key, 'b', 0, 'n', 0, 'nc', 0)\n"                                         \
  "  end\n"                                                                                        \
  "  redis.call('EXPIRE', key, L.ttl)\n"                                                           \
  "  redis.call('ZADD', 'hs:spaces', now, ns)\n"                                                   \
  "  return key\n"                                                                                 \
  "end\n"                                                                                          \
  "local function coll(key, c)\n"                                                                  \
  "  if redis.call('HEXISTS', key, 'c:' .. c) == 1 then return 0 end\n"                            \
  "  if tonumber(redis.call('HGET', key, 'nc')) >= L.maxc then return -6 end\n"                    \
  "  redis.call('HSET', key, 'c:' .. c, '', 's:' .. c, 1)\n"                                       \
  "  redis.call('HINCRBY', key, 'nc', 1)\n"                                                        \
  "  return 0\n"                                                                                   \
  "end\n"

/* ARGV[8..]: ns coll id → the item's JSON or nil. */
static const char lua_get[] =
    LUA_HEAD "local key = touch(ARGV[8], false)\n"
             "if not key then return nil end\n"
             "return redis.call('HGET', key, 'i:' .. ARGV[9] .. '/' .. ARGV[10])\n";

/* ARGV[8..]: ns coll id doc etag from cond if_etag → 1 created, 0
 * replaced, or a negative HS__REST_E* code. */
static const char lua_put[] = LUA_HEAD
    "local key = touch(ARGV[8], true)\n"
    "if type(key) == 'number' then return key end\n"
    "local r = coll(key, ARGV[9])\n"
    "if r < 0 then return r end\n"
    "local id, doc, f = ARGV[10], ARGV[11], 'i:' .. ARGV[9] .. '/' .. ARGV[10]\n"
    "local raw = redis.call('HGET', key, f)\n"
    "local cur = nil\n"
    "if raw then cur = cjson.decode(raw) end\n"
    "local live = cur ~= nil and cur.d ~= nil\n"
    "local cond = ARGV[14]\n"
    "if (cond == 'absent' and live) or (cond == 'present' and not live) or"
    "   (cond == 'etag' and (not live or cur.e ~= ARGV[15])) then return -3 end\n"
    "local old = 0\n"
    "if live then old = #cur.d + #id end\n"
    "local b = tonumber(redis.call('HGET', key, 'b')) - old + #doc + #id\n"
    "if b > L.maxb then return -4 end\n"
    "if not live and tonumber(redis.call('HGET', key, 'n')) >= L.maxi then return -5 end\n"
    "local seq\n"
    "if live then seq = cur.s else seq = redis.call('HINCRBY', key, 's:' .. ARGV[9], 1) - 1 end\n"
    "redis.call('HSET', key, f, cjson.encode({d = doc, e = ARGV[12], m = now, g = 0, s = seq,"
    " v = tonumber(ARGV[13])}), 'b', b)\n"
    "if live then return 0 end\n"
    "redis.call('HINCRBY', key, 'n', 1)\n"
    "return 1\n";

/* ARGV[8..]: ns coll id cond if_etag → 0 or a negative HS__REST_E* code. */
static const char lua_del[] =
    LUA_HEAD "local key = touch(ARGV[8], false)\n"
             "if not key then return -1 end\n"
             "local id, f = ARGV[10], 'i:' .. ARGV[9] .. '/' .. ARGV[10]\n"
             "local raw = redis.call('HGET', key, f)\n"
             "if not raw then return -1 end\n"
             "local cur = cjson.decode(raw)\n"
             "if cur.d == nil then if cur.g > now then return -2 end return -1 end\n"
             "if cur.v > now then return -1 end\n"
             "if ARGV[11] == 'etag' and cur.e ~= ARGV[12] then return -3 end\n"
             "redis.call('HINCRBY', key, 'b', -(#cur.d + #id))\n"
             "redis.call('HINCRBY', key, 'n', -1)\n"
             "cur.d = nil\n"
             "cur.g = now + L.tomb\n"
             "cur.m = now\n"
             "redis.call('HSET', key, f, cjson.encode(cur))\n"
             "return 0\n";

/* ARGV[8..]: ns coll → a flat array id, item JSON, id, item JSON... */
static const char lua_list[] = LUA_HEAD "local key = touch(ARGV[8], false)\n"
                                        "if not key then return {} end\n"
                                        "local p = 'i:' .. ARGV[9] .. '/'\n"
                                        "local all, out = redis.call('HGETALL', key), {}\n"
                                        "for i = 1, #all, 2 do\n"
                                        "  if string.sub(all[i], 1, #p) == p then\n"
                                        "    out[#out + 1] = string.sub(all[i], #p + 1)\n"
                                        "    out[#out + 1] = all[i + 1]\n"
                                        "  end\n"
                                        "end\n"
                                        "return out\n";

/* ARGV[8..]: ns coll → the configuration or nil. */
static const char lua_cfg_get[] = LUA_HEAD "local key = touch(ARGV[8], false)\n"
                                           "if not key then return nil end\n"
                                           "local c = redis.call('HGET', key, 'c:' .. ARGV[9])\n"
                                           "if c == '' then return nil end\n"
                                           "return c\n";

/* ARGV[8..]: ns coll cfg → 0 or a negative HS__REST_E* code. */
static const char lua_cfg_put[] = LUA_HEAD "local key = touch(ARGV[8], true)\n"
                                           "if type(key) == 'number' then return key end\n"
                                           "local r = coll(key, ARGV[9])\n"
                                           "if r < 0 then return r end\n"
                                           "redis.call('HSET', key, 'c:' .. ARGV[9], ARGV[10])\n"
                                           "return 0\n";

/* KEYS[1] the window's counter, ARGV[1] its lifetime → the count. */
static const char lua_hit[] = "local n = redis.call('INCR', KEYS[1])\n"
                              "if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end\n"
                              "return n\n";

/* The connection, (re)made if needed and allowed now; NULL when down.
 * Called with the lock held. */
static redisContext *conn(red_t *r, int64_t now) {
  if (r->c)
    return r->c;
  if (now < r->retry_at)
    return NULL;
  r->retry_at = now + 1;
  struct timeval ct = {0, 200000}, rt = {0, 500000};
  redisContext *c = redisConnectWithTimeout(r->host, r->port, ct);
  if (!c || c->err || redisSetTimeout(c, rt) != REDIS_OK) {
    if (c)
      redisFree(c);
    return NULL;
  }
  r->c = c;
  return c;
}

/* Runs a script with the limits and `now` first, then `n` more arguments.
 * Returns the reply (caller frees) or NULL when Redis cannot be reached
 * (the connection is dropped: the next call after a second reconnects). */
static redisReply *script(red_t *r, const char *lua, int64_t now, int n, const char **argv,
                          const size_t *lens) {
  const char *a[24];
  size_t l[24];
  char num[7][24];
  const hs__rest_limits_t *lim = &r->base.limits;
  int64_t vals[7] = {lim->ns_ttl,
                     (int64_t)lim->max_namespaces,
                     (int64_t)lim->max_colls,
                     (int64_t)lim->max_bytes,
                     (int64_t)lim->max_items,
                     lim->tomb_ttl,
                     now};
  a[0] = "EVAL";
  a[1] = lua;
  a[2] = "0";
  for (int i = 0; i < 7; i++) {
    snprintf(num[i], sizeof num[i], "%" PRId64, vals[i]);
    a[3 + i] = num[i];
  }
  for (int i = 0; i < 10; i++)
    l[i] = strlen(a[i]);
  for (int i = 0; i < n; i++) {
    a[10 + i] = argv[i];
    l[10 + i] = lens ? lens[i] : strlen(argv[i]);
  }
  redisContext *c = conn(r, now);
  redisReply *rep = c ? redisCommandArgv(c, 10 + n, a, l) : NULL;
  if (c && (!rep || c->err)) {
    redisFree(r->c);
    r->c = NULL;
    freeReplyObject(rep);
    return NULL;
  }
  if (rep && rep->type == REDIS_REPLY_ERROR) { /* a script error: not a state */
    fprintf(stderr, "httpstatus: redis: %s\n", rep->str);
    freeReplyObject(rep);
    return NULL;
  }
  return rep;
}

/* Fills *out from an item's JSON; returns 0 (live), EGONE, ENOENT. */
static int item_from(const char *raw, size_t len, int64_t now, hs__rest_item_t *out) {
  memset(out, 0, sizeof *out);
  json_t *j = json_loadb(raw, len, 0, NULL);
  if (!j)
    return HS__REST_ENOENT;
  const json_t *d = json_object_get(j, "d");
  snprintf(out->etag, sizeof out->etag, "%s", json_string_value(json_object_get(j, "e")));
  out->mtime = (int64_t)json_number_value(json_object_get(j, "m"));
  out->gone = (int64_t)json_number_value(json_object_get(j, "g"));
  out->seq = (uint64_t)json_number_value(json_object_get(j, "s"));
  int64_t vis = (int64_t)json_number_value(json_object_get(j, "v"));
  int rc = 0;
  if (!json_is_string(d))
    rc = out->gone > now ? HS__REST_EGONE : HS__REST_ENOENT;
  else if (vis > now)
    rc = HS__REST_ENOENT;
  else {
    out->len = json_string_length(d);
    out->doc = malloc(out->len + 1);
    if (out->doc)
      memcpy(out->doc, json_string_value(d), out->len + 1);
    else
      rc = HS__REST_ENOMEM;
  }
  json_decref(j);
  return rc;
}

static int r_get(hs__rest_store_t *s, const hs__rest_key_t *k, int64_t now, hs__rest_item_t *out) {
  red_t *r = (red_t *)s;
  const char *argv[] = {k->ns, k->coll, k->id};
  memset(out, 0, sizeof *out);
  pthread_mutex_lock(&r->mu);
  redisReply *rep = script(r, lua_get, now, 3, argv, NULL);
  pthread_mutex_unlock(&r->mu);
  if (!rep)
    return HS__REST_EUNAVAIL;
  int rc =
      rep->type == REDIS_REPLY_STRING ? item_from(rep->str, rep->len, now, out) : HS__REST_ENOENT;
  freeReplyObject(rep);
  if (rc == HS__REST_ENOENT)
    memset(out, 0, sizeof *out);
  return rc;
}

static const char *cond_name(hs__rest_cond_t c) {
  return c == HS__REST_IF_ABSENT    ? "absent"
         : c == HS__REST_IF_PRESENT ? "present"
         : c == HS__REST_IF_ETAG    ? "etag"
                                    : "any";
}

/* An integer reply as a result code (NULL reply: unreachable). */
static int code_of(redisReply *rep) {
  int rc = !rep                               ? HS__REST_EUNAVAIL
           : rep->type == REDIS_REPLY_INTEGER ? (int)rep->integer
                                              : HS__REST_EUNAVAIL;
  freeReplyObject(rep);
  return rc;
}

static int r_put(hs__rest_store_t *s, const hs__rest_key_t *k, const char *doc, size_t len,
                 const char *etag, int64_t now, int64_t from, hs__rest_cond_t cond,
                 const char *if_etag, int *created) {
  red_t *r = (red_t *)s;
  char f[24];
  snprintf(f, sizeof f, "%" PRId64, from);
  const char *argv[] = {k->ns, k->coll, k->id,           doc,
                        etag,  f,       cond_name(cond), if_etag ? if_etag : ""};
  size_t lens[8];
  for (int i = 0; i < 8; i++)
    lens[i] = i == 3 ? len : strlen(argv[i]);
  pthread_mutex_lock(&r->mu);
  int rc = code_of(script(r, lua_put, now, 8, argv, lens));
  pthread_mutex_unlock(&r->mu);
  if (rc < 0)
    return rc;
  *created = rc == 1;
  return 0;
}

static int r_del(hs__rest_store_t *s, const hs__rest_key_t *k, int64_t now, hs__rest_cond_t cond,
                 const char *if_etag) {
  red_t *r = (red_t *)s;
  const char *argv[] = {k->ns, k->coll, k->id, cond_name(cond), if_etag ? if_etag : ""};
  pthread_mutex_lock(&r->mu);
  int rc = code_of(script(r, lua_del, now, 5, argv, NULL));
  pthread_mutex_unlock(&r->mu);
  return rc;
}

static int by_seq(const void *a, const void *b) {
  const hs__rest_item_t *x = a, *y = b;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int r_list(hs__rest_store_t *s, const char *ns, const char *coll, int64_t now,
                  hs__rest_item_t **items, size_t *n) {
  red_t *r = (red_t *)s;
  const char *argv[] = {ns, coll};
  *items = NULL;
  *n = 0;
  pthread_mutex_lock(&r->mu);
  redisReply *rep = script(r, lua_list, now, 2, argv, NULL);
  pthread_mutex_unlock(&r->mu);
  if (!rep || rep->type != REDIS_REPLY_ARRAY) {
    freeReplyObject(rep);
    return HS__REST_EUNAVAIL;
  }
  size_t cap = rep->elements / 2, k = 0;
  hs__rest_item_t *v = cap ? calloc(cap, sizeof *v) : NULL;
  int err = cap && !v ? HS__REST_ENOMEM : 0;
  for (size_t i = 0; v && i + 1 < rep->elements; i += 2) {
    redisReply *id = rep->element[i], *raw = rep->element[i + 1];
    if (item_from(raw->str, raw->len, now, &v[k]) != 0) {
      hs__rest_item_free(&v[k]);
      continue;
    }
    if (!(v[k].id = strndup(id->str, id->len))) {
      hs__rest_item_free(&v[k]);
      err = HS__REST_ENOMEM;
      break;
    }
    k++;
  }
  freeReplyObject(rep);
  if (err) {
    hs__rest_items_free(v, k);
    return err;
  }
  if (k)
    qsort(v, k, sizeof *v, by_seq);
  *items = v;
  *n = k;
  return 0;
}

static int r_config_get(hs__rest_store_t *s, const char *ns, const char *coll, int64_t now,
                        char **json) {
  red_t *r = (red_t *)s;
  const char *argv[] = {ns, coll};
  *json = NULL;
  pthread_mutex_lock(&r->mu);
  redisReply *rep = script(r, lua_cfg_get, now, 2, argv, NULL);
  pthread_mutex_unlock(&r->mu);
  if (!rep)
    return HS__REST_EUNAVAIL;
  int rc = 0;
  if (rep->type == REDIS_REPLY_STRING && !(*json = strndup(rep->str, rep->len)))
    rc = HS__REST_ENOMEM;
  freeReplyObject(rep);
  return rc;
}

static int r_config_put(hs__rest_store_t *s, const char *ns, const char *coll, const char *json,
                        int64_t now) {
  red_t *r = (red_t *)s;
  const char *argv[] = {ns, coll, json};
  pthread_mutex_lock(&r->mu);
  int rc = code_of(script(r, lua_cfg_put, now, 3, argv, NULL));
  pthread_mutex_unlock(&r->mu);
  return rc;
}

static int r_hit(hs__rest_store_t *s, const char *key, int64_t now, int64_t window, uint64_t *count,
                 int64_t *reset) {
  red_t *r = (red_t *)s;
  int64_t start = now - now % window;
  char k[512], ttl[24];
  snprintf(k, sizeof k, "hs:rl:%s:%" PRId64, key, start);
  snprintf(ttl, sizeof ttl, "%" PRId64, window + 1);
  const char *a[] = {"EVAL", lua_hit, "1", k, ttl};
  pthread_mutex_lock(&r->mu);
  redisContext *c = conn(r, now);
  redisReply *rep = c ? redisCommandArgv(c, 5, a, NULL) : NULL;
  if (c && (!rep || c->err)) {
    redisFree(r->c);
    r->c = NULL;
  }
  pthread_mutex_unlock(&r->mu);
  if (!rep || rep->type != REDIS_REPLY_INTEGER) {
    freeReplyObject(rep);
    return HS__REST_EUNAVAIL;
  }
  *count = (uint64_t)rep->integer;
  *reset = start + window - now;
  freeReplyObject(rep);
  return 0;
}

static void r_destroy(hs__rest_store_t *s) {
  red_t *r = (red_t *)s;
  if (r->c)
    redisFree(r->c);
  pthread_mutex_destroy(&r->mu);
  free(r);
}

static const hs__rest_store_ops_t red_ops = {r_get,        r_put,        r_del, r_list,
                                             r_config_get, r_config_put, r_hit, r_destroy};

hs__rest_store_t *hs__rest_store_redis_new(const char *host, int port,
                                           const hs__rest_limits_t *limits) {
  red_t *r = calloc(1, sizeof *r);
  if (!r)
    return NULL;
  r->base.ops = &red_ops;
  r->base.limits = *limits;
  snprintf(r->host, sizeof r->host, "%s", host);
  r->port = port;
  pthread_mutex_init(&r->mu, NULL);
  return &r->base;
}
