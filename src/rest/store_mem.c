/* The in-memory REST store: namespaces → collections → items, held in
 * jansson objects (hash tables) under one mutex so every worker thread shares
 * it. Namespaces unused for limits.ns_ttl seconds and expired tombstones are
 * swept at most once a second, during an ordinary call. */
#include <inttypes.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rest/store.h"

typedef struct mem_s {
  hs__rest_store_t base;
  pthread_mutex_t mu;
  json_t *root; /* ns → {"t": last use, "b": bytes, "n": live items, "c": {coll → coll}} */
  json_t *hits; /* rate-limit key → {"w": window start, "n": count} */
  int64_t next_sweep;
} mem_t;

/* A collection: {"cfg": text or absent, "seq": next seq, "i": {id → item}}.
 * An item: {"d": doc text or null, "e": etag, "m": mtime, "g": gone, "s": seq,
 * "v": readable from}. */

static int64_t iget(const json_t *o, const char *k) {
  return json_integer_value(json_object_get(o, k));
}
static void iset(json_t *o, const char *k, int64_t v) {
  json_object_set_new(o, k, json_integer(v));
}

/* Drops expired tombstones of one namespace. */
static void sweep_ns(json_t *ns, int64_t now) {
  const char *cname;
  json_t *c;
  json_object_foreach(json_object_get(ns, "c"), cname, c) {
    json_t *items = json_object_get(c, "i");
    const char *id;
    json_t *it, *tmp;
    json_object_foreach_safe(items, tmp, id, it) {
      if (json_is_null(json_object_get(it, "d")) && iget(it, "g") <= now)
        json_object_del(items, id);
    }
  }
}

/* Once a second: forgets idle namespaces, expired tombstones and windows. */
static void sweep(mem_t *m, int64_t now) {
  if (now < m->next_sweep)
    return;
  m->next_sweep = now + 1;
  const char *name;
  json_t *ns, *tmp;
  json_object_foreach_safe(m->root, tmp, name, ns) {
    if (iget(ns, "t") + m->base.limits.ns_ttl <= now)
      json_object_del(m->root, name);
    else
      sweep_ns(ns, now);
  }
  json_t *h;
  json_object_foreach_safe(m->hits, tmp, name, h) {
    if (iget(h, "e") <= now)
      json_object_del(m->hits, name);
  }
}

/* The namespace object (created when `create`), marked used now; NULL if
 * absent, or *err set when it cannot be created. */
static json_t *ns_get(mem_t *m, const char *ns, int64_t now, int create, int *err) {
  sweep(m, now);
  json_t *o = json_object_get(m->root, ns);
  if (!o && create) {
    if (json_object_size(m->root) >= m->base.limits.max_namespaces) {
      *err = HS__REST_ENSPACES;
      return NULL;
    }
    o = json_object();
    if (!o || json_object_set_new(m->root, ns, o) < 0) {
      *err = HS__REST_ENOMEM;
      return NULL;
    }
    iset(o, "b", 0);
    iset(o, "n", 0);
    json_object_set_new(o, "c", json_object());
  }
  if (o)
    iset(o, "t", now);
  return o;
}

/* The collection object of namespace `o` (created when `create`). */
static json_t *coll_get(mem_t *m, json_t *o, const char *coll, int create, int *err) {
  json_t *cs = json_object_get(o, "c");
  json_t *c = json_object_get(cs, coll);
  if (!c && create) {
    if (json_object_size(cs) >= m->base.limits.max_colls) {
      *err = HS__REST_ECOLLS;
      return NULL;
    }
    c = json_object();
    if (!c || json_object_set_new(cs, coll, c) < 0) {
      *err = HS__REST_ENOMEM;
      return NULL;
    }
    iset(c, "seq", 1);
    json_object_set_new(c, "i", json_object());
  }
  return c;
}

static json_t *item_find(mem_t *m, const hs__rest_key_t *k, int64_t now, json_t **nsp) {
  int err = 0;
  json_t *ns = ns_get(m, k->ns, now, 0, &err);
  json_t *c = ns ? coll_get(m, ns, k->coll, 0, &err) : NULL;
  if (nsp)
    *nsp = ns;
  return c ? json_object_get(json_object_get(c, "i"), k->id) : NULL;
}

/* Copies item object `it` into *out; returns 0, EGONE or ENOMEM. */
static int item_out(const json_t *it, int64_t now, hs__rest_item_t *out) {
  memset(out, 0, sizeof *out);
  const json_t *d = json_object_get(it, "d");
  snprintf(out->etag, sizeof out->etag, "%s", json_string_value(json_object_get(it, "e")));
  out->mtime = iget(it, "m");
  out->seq = (uint64_t)iget(it, "s");
  if (json_is_null(d)) {
    out->gone = iget(it, "g");
    return out->gone > now ? HS__REST_EGONE : HS__REST_ENOENT;
  }
  out->len = json_string_length(d);
  out->doc = malloc(out->len + 1);
  if (!out->doc)
    return HS__REST_ENOMEM;
  memcpy(out->doc, json_string_value(d), out->len + 1);
  return 0;
}

static int m_get(hs__rest_store_t *s, const hs__rest_key_t *k, int64_t now, hs__rest_item_t *out) {
  mem_t *m = (mem_t *)s;
  pthread_mutex_lock(&m->mu);
  json_t *it = item_find(m, k, now, NULL);
  if (it && iget(it, "v") > now)
    it = NULL; /* not readable yet */
  int rc = it ? item_out(it, now, out) : HS__REST_ENOENT;
  pthread_mutex_unlock(&m->mu);
  if (rc == HS__REST_ENOENT)
    memset(out, 0, sizeof *out);
  return rc;
}

/* 1 if `it` is a live item. */
static int live(const json_t *it) { return it && !json_is_null(json_object_get(it, "d")); }

static int cond_ok(const json_t *it, hs__rest_cond_t cond, const char *if_etag) {
  switch (cond) {
  case HS__REST_IF_ABSENT:
    return !live(it);
  case HS__REST_IF_PRESENT:
    return live(it);
  case HS__REST_IF_ETAG:
    return live(it) && strcmp(json_string_value(json_object_get(it, "e")), if_etag) == 0;
  default:
    return 1;
  }
}

static int m_put(hs__rest_store_t *s, const hs__rest_key_t *k, const char *doc, size_t len,
                 const char *etag, int64_t now, int64_t from, hs__rest_cond_t cond,
                 const char *if_etag, int *created) {
  mem_t *m = (mem_t *)s;
  int err = 0;
  pthread_mutex_lock(&m->mu);
  json_t *ns = ns_get(m, k->ns, now, 1, &err);
  json_t *c = ns ? coll_get(m, ns, k->coll, 1, &err) : NULL;
  if (!c)
    goto out;
  json_t *items = json_object_get(c, "i");
  json_t *it = json_object_get(items, k->id);
  if (!cond_ok(it, cond, if_etag)) {
    err = HS__REST_EPRECOND;
    goto out;
  }
  int was = live(it);
  size_t old = was ? json_string_length(json_object_get(it, "d")) + strlen(k->id) : 0;
  size_t bytes = (size_t)iget(ns, "b") - old + len + strlen(k->id);
  if (bytes > s->limits.max_bytes) {
    err = HS__REST_EBYTES;
    goto out;
  }
  if (!was && (size_t)iget(ns, "n") >= s->limits.max_items) {
    err = HS__REST_EITEMS;
    goto out;
  }
  json_t *nit = json_object();
  json_t *d = json_stringn_nocheck(doc, len);
  if (!nit || !d) {
    json_decref(nit);
    json_decref(d);
    err = HS__REST_ENOMEM;
    goto out;
  }
  json_object_set_new(nit, "d", d);
  json_object_set_new(nit, "e", json_string(etag));
  iset(nit, "m", now);
  iset(nit, "g", 0);
  iset(nit, "v", from);
  int64_t seq = was ? iget(it, "s") : iget(c, "seq");
  if (!was)
    iset(c, "seq", seq + 1);
  iset(nit, "s", seq);
  if (json_object_set_new(items, k->id, nit) < 0) {
    err = HS__REST_ENOMEM;
    goto out;
  }
  iset(ns, "b", (int64_t)bytes);
  if (!was)
    iset(ns, "n", iget(ns, "n") + 1);
  *created = !was;
out:
  pthread_mutex_unlock(&m->mu);
  return err;
}

static int m_del(hs__rest_store_t *s, const hs__rest_key_t *k, int64_t now, hs__rest_cond_t cond,
                 const char *if_etag) {
  mem_t *m = (mem_t *)s;
  json_t *ns;
  int rc = 0;
  pthread_mutex_lock(&m->mu);
  json_t *it = item_find(m, k, now, &ns);
  if (!live(it))
    rc = it && iget(it, "g") > now ? HS__REST_EGONE : HS__REST_ENOENT;
  else if (!cond_ok(it, cond, if_etag))
    rc = HS__REST_EPRECOND;
  else {
    size_t was = json_string_length(json_object_get(it, "d")) + strlen(k->id);
    iset(ns, "b", iget(ns, "b") - (int64_t)was);
    iset(ns, "n", iget(ns, "n") - 1);
    json_object_set_new(it, "d", json_null());
    iset(it, "g", now + s->limits.tomb_ttl);
    iset(it, "m", now);
  }
  pthread_mutex_unlock(&m->mu);
  return rc;
}

static int by_seq(const void *a, const void *b) {
  const hs__rest_item_t *x = a, *y = b;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int m_list(hs__rest_store_t *s, const char *ns, const char *coll, int64_t now,
                  hs__rest_item_t **items, size_t *n) {
  mem_t *m = (mem_t *)s;
  int err = 0;
  *items = NULL;
  *n = 0;
  pthread_mutex_lock(&m->mu);
  json_t *o = ns_get(m, ns, now, 0, &err);
  json_t *c = o ? coll_get(m, o, coll, 0, &err) : NULL;
  json_t *all = json_object_get(c, "i");
  size_t cap = json_object_size(all);
  hs__rest_item_t *v = cap ? calloc(cap, sizeof *v) : NULL;
  if (cap && !v)
    err = HS__REST_ENOMEM;
  const char *id;
  json_t *it;
  size_t k = 0;
  if (v)
    json_object_foreach(all, id, it) {
      if (!live(it) || iget(it, "v") > now)
        continue;
      if (item_out(it, now, &v[k]) < 0 || !(v[k].id = strdup(id))) {
        hs__rest_item_free(&v[k]);
        err = HS__REST_ENOMEM;
        break;
      }
      k++;
    }
  pthread_mutex_unlock(&m->mu);
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

static int m_config_get(hs__rest_store_t *s, const char *ns, const char *coll, int64_t now,
                        char **json) {
  mem_t *m = (mem_t *)s;
  int err = 0;
  *json = NULL;
  pthread_mutex_lock(&m->mu);
  json_t *o = ns_get(m, ns, now, 0, &err);
  json_t *c = o ? coll_get(m, o, coll, 0, &err) : NULL;
  const char *cfg = json_string_value(json_object_get(c, "cfg"));
  if (cfg && !(*json = strdup(cfg)))
    err = HS__REST_ENOMEM;
  pthread_mutex_unlock(&m->mu);
  return err;
}

static int m_config_put(hs__rest_store_t *s, const char *ns, const char *coll, const char *json,
                        int64_t now) {
  mem_t *m = (mem_t *)s;
  int err = 0;
  pthread_mutex_lock(&m->mu);
  json_t *o = ns_get(m, ns, now, 1, &err);
  json_t *c = o ? coll_get(m, o, coll, 1, &err) : NULL;
  if (c && json_object_set_new(c, "cfg", json_string(json)) < 0)
    err = HS__REST_ENOMEM;
  pthread_mutex_unlock(&m->mu);
  return err;
}

static int m_hit(hs__rest_store_t *s, const char *key, int64_t now, int64_t window, uint64_t *count,
                 int64_t *reset) {
  mem_t *m = (mem_t *)s;
  int64_t start = now - now % window;
  pthread_mutex_lock(&m->mu);
  sweep(m, now);
  json_t *h = json_object_get(m->hits, key);
  if (!h || iget(h, "w") != start) {
    h = json_object();
    iset(h, "w", start);
    iset(h, "e", start + window);
    iset(h, "n", 0);
    json_object_set_new(m->hits, key, h);
  }
  iset(h, "n", iget(h, "n") + 1);
  *count = (uint64_t)iget(h, "n");
  pthread_mutex_unlock(&m->mu);
  *reset = start + window - now;
  return 0;
}

static void m_destroy(hs__rest_store_t *s) {
  mem_t *m = (mem_t *)s;
  json_decref(m->root);
  json_decref(m->hits);
  pthread_mutex_destroy(&m->mu);
  free(m);
}

static const hs__rest_store_ops_t mem_ops = {m_get,        m_put,        m_del, m_list,
                                             m_config_get, m_config_put, m_hit, m_destroy};

hs__rest_store_t *hs__rest_store_mem_new(const hs__rest_limits_t *limits) {
  mem_t *m = calloc(1, sizeof *m);
  if (!m)
    return NULL;
  m->base.ops = &mem_ops;
  m->base.limits = *limits;
  m->root = json_object();
  m->hits = json_object();
  pthread_mutex_init(&m->mu, NULL);
  if (!m->root || !m->hits) {
    m_destroy(&m->base);
    return NULL;
  }
  return &m->base;
}

void hs__rest_item_free(hs__rest_item_t *it) {
  free(it->doc);
  free(it->id);
  it->doc = it->id = NULL;
}

void hs__rest_items_free(hs__rest_item_t *items, size_t n) {
  for (size_t i = 0; i < n; i++)
    hs__rest_item_free(&items[i]);
  free(items);
}

void hs__rest_etag(const char *doc, size_t len, char etag[24]) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (size_t i = 0; i < len; i++) {
    h ^= (unsigned char)doc[i];
    h *= 0x100000001b3ULL;
  }
  snprintf(etag, 24, "\"%016" PRIx64 "\"", h);
}
