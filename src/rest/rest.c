/* The REST playground's entry point: picks the namespace, splits the path,
 * applies the collection's configuration (moved, auth, rate limit) and hands
 * over to the item or collection operations. docs/rest.md lists the answers. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rest/rest_int.h"
#include "rest/schema.h"

#define NS_MAX 64

/* The OpenAPI document, embedded at build time (openapi_data.c). */
extern const char hs__rest_openapi[];
extern const size_t hs__rest_openapi_len;

static void route(hs__rest_store_t *st, const hs__rest_in_t *in, hs__rest_out_t *out);

/* 1 if s[0..n) is a namespace name: 1-64 of [A-Za-z0-9_-]. */
static int ns_ok(const char *s, size_t n) {
  if (n == 0 || n > NS_MAX)
    return 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
          c == '-'))
      return 0;
  }
  return 1;
}

/* The value of cookie `name` in a Cookie field (RFC 6265 §5.4), or ptr NULL. */
static hs__str_t cookie_value(hs__str_t c, const char *name) {
  size_t nl = strlen(name), i = 0;
  while (c.ptr && i < c.len) {
    while (i < c.len && (c.ptr[i] == ' ' || c.ptr[i] == ';'))
      i++;
    size_t s = i;
    while (i < c.len && c.ptr[i] != ';')
      i++;
    if (i - s > nl && memcmp(c.ptr + s, name, nl) == 0 && c.ptr[s + nl] == '=')
      return (hs__str_t){c.ptr + s + nl + 1, i - s - nl - 1};
  }
  return (hs__str_t){NULL, 0};
}

/* The namespace: the Playground field, else the playground cookie, else
 * "public" with a cookie that names a fresh one for the client's next
 * requests. Returns 0, or -1 with a 400 problem set. */
static int pick_namespace(hs__rest_cx_t *cx) {
  const hs__rest_in_t *in = cx->in;
  hs__str_t v = in->playground;
  if (v.ptr) {
    if (!ns_ok(v.ptr, v.len)) {
      hs__rest_problem(cx->out, 400, "bad-name", NULL,
                       "A Playground name is 1 to 64 letters, digits, '_' or '-'.",
                       "Playground 名称由 1 到 64 个字母、数字、“_”或“-”组成。");
      return -1;
    }
  } else {
    v = cookie_value(in->cookie, "playground");
    if (!v.ptr || !ns_ok(v.ptr, v.len)) {
      v = HS_STR("public");
      char cookie[96];
      snprintf(cookie, sizeof cookie, "playground=p%016" PRIx64 "; Path=/rest; SameSite=Lax",
               in->random);
      hs__fields_addz(&cx->out->fields, "Set-Cookie", cookie);
    }
  }
  memcpy(cx->ns, v.ptr, v.len);
  cx->ns[v.len] = '\0';
  return 0;
}

static void method_not_allowed(hs__rest_cx_t *cx, const char *allow) {
  hs__rest_problem(cx->out, 405, "method-not-allowed", NULL, "Allowed here: %s.",
                   "此处允许的方法：%s。", allow);
  hs__fields_addz(&cx->out->fields, "Allow", allow);
}

/* Copies path segment s into dst after checking it; 0 or -1 (400 set). */
static int take_name(hs__rest_cx_t *cx, hs__str_t s, char *dst) {
  if (!hs__rest_name_ok(s.ptr, s.len)) {
    hs__rest_problem(cx->out, 400, "bad-name", NULL,
                     "Collection and item names are 1 to 128 of A-Z a-z 0-9 . _ ~ - "
                     "(not \".\" or \"..\").",
                     "集合与条目名称由 1 到 128 个 A-Z a-z 0-9 . _ ~ - 组成（不能是“.”或“..”）。");
    return -1;
  }
  memcpy(dst, s.ptr, s.len);
  dst[s.len] = '\0';
  return 0;
}

/* Checks a collection configuration document; returns NULL if valid, else
 * the reason (English; the problem gives it as is). */
static const char *config_invalid(const json_t *c) {
  if (!json_is_object(c))
    return "a configuration is a JSON object";
  const char *k;
  json_t *v;
  json_object_foreach((json_t *)c, k, v) {
    if (strcmp(k, "schema") == 0) {
      char where[256] = "";
      const char *why = hs__schema_check(v, where, sizeof where);
      if (why)
        return why;
    } else if (strcmp(k, "require_if_match") == 0) {
      if (!json_is_boolean(v))
        return "\"require_if_match\" must be true or false";
    } else if (strcmp(k, "auth") == 0) {
      if (!json_is_string(v) || strcmp(json_string_value(v), "bearer") != 0)
        return "\"auth\" can only be \"bearer\"";
    } else if (strcmp(k, "rate_limit") == 0) {
      json_int_t l = json_integer_value(json_object_get(v, "limit"));
      json_int_t w = json_integer_value(json_object_get(v, "window"));
      if (!json_is_object(v) || l < 1 || l > 1000000 || w < 1 || w > 86400)
        return "\"rate_limit\" is {\"limit\": 1-1000000, \"window\": 1-86400 seconds}";
    } else if (strcmp(k, "moved_to") == 0) {
      if (!json_is_string(v) || !hs__rest_name_ok(json_string_value(v), json_string_length(v)))
        return "\"moved_to\" must be a collection name";
    } else
      return "unknown member (known: schema, require_if_match, auth, rate_limit, moved_to)";
  }
  return NULL;
}

/* GET/PUT /rest/_collections/{c}: a collection's configuration. */
static void collections(hs__rest_cx_t *cx) {
  hs__rest_out_t *o = cx->out;
  const hs__rest_in_t *in = cx->in;
  if (in->method == HS__REST_PUT) {
    static const char *const ct[] = {"application/json", NULL};
    json_t *c = hs__rest_body(cx, ct, "Accept-Put");
    if (!c)
      return;
    const char *why = config_invalid(c);
    if (why) {
      json_decref(c);
      hs__rest_problem(o, 422, "invalid-document", NULL, "Invalid configuration: %s.",
                       "配置无效：%s。", why);
      return;
    }
    size_t len;
    char *text = hs__rest_dump(c, &len);
    json_decref(c);
    int rc =
        text ? cx->st->ops->config_put(cx->st, cx->ns, cx->coll, text, in->now) : HS__REST_ENOMEM;
    if (rc) {
      free(text);
      hs__rest_store_error(cx, rc);
      return;
    }
    o->status = 200;
    hs__sbuf_add(&o->body, text, len);
    o->ctype = "application/json";
    free(text);
    return;
  }
  if (in->method != HS__REST_GET && in->method != HS__REST_HEAD) {
    method_not_allowed(cx, "GET, HEAD, PUT, OPTIONS");
    return;
  }
  char *text = NULL;
  int rc = cx->st->ops->config_get(cx->st, cx->ns, cx->coll, in->now, &text);
  if (rc) {
    hs__rest_store_error(cx, rc);
    return;
  }
  o->status = 200;
  hs__sbuf_adds(&o->body, text ? text : "{}");
  o->ctype = "application/json";
  free(text);
}

/* 1 if the query holds `key` (`key=` anything or bare). */
static int has_param(hs__str_t q, const char *key) {
  size_t kl = strlen(key), i = 0;
  while (i < q.len) {
    size_t s = i;
    while (i < q.len && q.ptr[i] != '&')
      i++;
    if (i - s >= kl && memcmp(q.ptr + s, key, kl) == 0 && (i - s == kl || q.ptr[s + kl] == '='))
      return 1;
    i++;
  }
  return 0;
}

/* "moved_to": 308 to the same place in the new collection (RFC 9110
 * §15.4.9), or 301 for GET with ?legacy=1 (§15.4.2). */
static int moved(hs__rest_cx_t *cx) {
  const char *to = json_string_value(json_object_get(cx->cfg, "moved_to"));
  if (!to)
    return 0;
  const hs__rest_in_t *in = cx->in;
  hs__sbuf_t loc = HS_SBUF_INIT;
  hs__sbuf_adds(&loc, "/rest/");
  hs__sbuf_adds(&loc, to);
  if (cx->id[0]) {
    hs__sbuf_addc(&loc, '/');
    hs__sbuf_adds(&loc, cx->id);
  }
  if (in->query.len) {
    hs__sbuf_addc(&loc, '?');
    hs__sbuf_add(&loc, in->query.ptr, in->query.len);
  }
  int legacy = (in->method == HS__REST_GET || in->method == HS__REST_HEAD) &&
               has_param(in->query, "legacy=1");
  cx->out->status = legacy ? 301 : 308;
  if (!loc.oom)
    hs__fields_add(&cx->out->fields, "Location", 8, loc.p, loc.len);
  hs__sbuf_free(&loc);
  return 1;
}

/* The fixed bearer tokens of docs/rest.md: one that may read, one that may
 * also write. */
#define TOKEN_READ "playground-read"
#define TOKEN_WRITE "playground-write"

/* "auth": "bearer" (RFC 6750 §3): 401 without a known token, 403 for a
 * write with the read-only one. Returns 1 when it answered. */
static int auth(hs__rest_cx_t *cx) {
  const char *a = json_string_value(json_object_get(cx->cfg, "auth"));
  if (!a)
    return 0;
  const hs__rest_in_t *in = cx->in;
  hs__str_t h = in->authorization;
  int scope = 0; /* 1 read, 2 read + write */
  if (h.ptr && h.len > 7 && hs__str_ieq((hs__str_t){h.ptr, 7}, "Bearer ", 7)) {
    hs__str_t t = {h.ptr + 7, h.len - 7};
    if (t.len == strlen(TOKEN_WRITE) && memcmp(t.ptr, TOKEN_WRITE, t.len) == 0)
      scope = 2;
    else if (t.len == strlen(TOKEN_READ) && memcmp(t.ptr, TOKEN_READ, t.len) == 0)
      scope = 1;
  }
  int write = in->method != HS__REST_GET && in->method != HS__REST_HEAD;
  if (!scope) {
    hs__rest_problem(cx->out, 401, "unauthorized", NULL,
                     "Collection %s needs a bearer token (see /rest docs).",
                     "集合 %s 需要 Bearer 令牌（见 /rest 文档）。", cx->coll);
    hs__fields_addz(&cx->out->fields, "WWW-Authenticate",
                    h.ptr ? "Bearer realm=\"rest\", error=\"invalid_token\""
                          : "Bearer realm=\"rest\"");
    return 1;
  }
  if (write && scope < 2) {
    hs__rest_problem(cx->out, 403, "forbidden", NULL, "This token may read but not write %s.",
                     "此令牌可以读取但不能写入 %s。", cx->coll);
    hs__fields_addz(&cx->out->fields, "WWW-Authenticate",
                    "Bearer realm=\"rest\", error=\"insufficient_scope\", scope=\"write\"");
    return 1;
  }
  return 0;
}

/* "rate_limit": a fixed window per client and collection, counted in the
 * store (shared by instances). RateLimit-Policy and RateLimit as in
 * draft-ietf-httpapi-ratelimit-headers-11 on every answer; 429 with
 * Retry-After once the quota is spent. Returns 1 when it answered. */
static int rate_limit(hs__rest_cx_t *cx) {
  json_t *rl = json_object_get(cx->cfg, "rate_limit");
  if (!rl)
    return 0;
  int64_t limit = json_integer_value(json_object_get(rl, "limit"));
  int64_t window = json_integer_value(json_object_get(rl, "window"));
  char key[400];
  snprintf(key, sizeof key, "%s\n%s\n%s", cx->ns, cx->coll, cx->in->client ? cx->in->client : "");
  uint64_t count;
  int64_t reset;
  int rc = cx->st->ops->hit(cx->st, key, cx->in->now, window, &count, &reset);
  if (rc) {
    hs__rest_store_error(cx, rc);
    return 1;
  }
  char v[96];
  snprintf(v, sizeof v, "\"default\";q=%" PRId64 ";w=%" PRId64, limit, window);
  hs__fields_addz(&cx->out->fields, "RateLimit-Policy", v);
  int64_t left = count >= (uint64_t)limit ? 0 : limit - (int64_t)count;
  snprintf(v, sizeof v, "\"default\";r=%" PRId64 ";t=%" PRId64, left, reset);
  hs__fields_addz(&cx->out->fields, "RateLimit", v);
  if (count <= (uint64_t)limit)
    return 0;
  hs__rest_problem(cx->out, 429, "rate-limited", NULL,
                   "More than %" PRId64 " requests in %" PRId64 " seconds; retry in %" PRId64 " s.",
                   "%2$" PRId64 " 秒内超过 %1$" PRId64 " 个请求；请在 %3$" PRId64 " 秒后重试。",
                   limit, window, reset);
  snprintf(v, sizeof v, "%" PRId64, reset);
  hs__fields_addz(&cx->out->fields, "Retry-After", v);
  return 1;
}

/* Answers are chosen by namespace (Playground, Cookie) and problems also by
 * language: RFC 9110 §12.5.5. */
static void add_vary(hs__rest_out_t *out) {
  int problem = out->ctype && strcmp(out->ctype, "application/problem+json") == 0;
  hs__fields_addz(&out->fields, "Vary",
                  problem ? "Playground, Cookie, Accept-Language" : "Playground, Cookie");
}

void hs__rest_handle(hs__rest_store_t *st, const hs__rest_in_t *in, hs__rest_out_t *out) {
  route(st, in, out);
  add_vary(out);
}

/* hs__rest_handle without the Vary field. */
static void route(hs__rest_store_t *st, const hs__rest_in_t *in, hs__rest_out_t *out) {
  memset(out, 0, sizeof *out);
  out->fields = (hs__fields_t)HS_FIELDS_INIT;
  out->zh = in->zh;
  snprintf(out->instance, sizeof out->instance, "/rest/%.*s",
           (int)(in->path.len > 250 ? 250 : in->path.len), in->path.ptr ? in->path.ptr : "");
  hs__rest_cx_t cx = {.st = st, .in = in, .out = out};
  if (pick_namespace(&cx) < 0)
    return;
  /* Up to three segments: {c}, {c}/{id}, _collections/{c}. */
  hs__str_t seg[3] = {{0}};
  size_t nseg = 0, i = 0;
  const char *p = in->path.ptr;
  while (i <= in->path.len && nseg < 3) {
    size_t s = i;
    while (i < in->path.len && p[i] != '/')
      i++;
    seg[nseg++] = (hs__str_t){p + s, i - s};
    if (i >= in->path.len)
      break;
    i++;
  }
  if (i < in->path.len || nseg == 3 || seg[0].len == 0) {
    hs__rest_problem(out, 404, "not-found", NULL, "No such place: %s.", "没有这个位置：%s。",
                     out->instance);
    return;
  }
  if (seg[0].len == 12 && memcmp(seg[0].ptr, "_collections", 12) == 0) {
    if (nseg != 2 || take_name(&cx, seg[1], cx.coll) < 0) {
      if (nseg != 2)
        hs__rest_problem(out, 404, "not-found", NULL, "No such place: %s.", "没有这个位置：%s。",
                         out->instance);
      return;
    }
    collections(&cx);
    return;
  }
  if (nseg == 1 && seg[0].len == 12 && memcmp(seg[0].ptr, "openapi.json", 12) == 0) {
    if (in->method != HS__REST_GET && in->method != HS__REST_HEAD) {
      method_not_allowed(&cx, "GET, HEAD, OPTIONS");
      return;
    }
    out->status = 200; /* OpenAPI 3.1 (src/rest/openapi.json) */
    out->ctype = "application/json";
    hs__sbuf_add(&out->body, hs__rest_openapi, hs__rest_openapi_len);
    return;
  }
  if (!st) { /* the store could not be opened (RFC 9110 §15.6.4) */
    hs__rest_store_error(&cx, HS__REST_EUNAVAIL);
    return;
  }
  if (seg[0].len == 5 && memcmp(seg[0].ptr, "_jobs", 5) == 0 && nseg == 2) {
    if (take_name(&cx, seg[1], cx.id) == 0)
      hs__rest_job(&cx);
    return;
  }
  if (seg[0].ptr[0] == '_') { /* names starting with '_' are the playground's own */
    hs__rest_problem(out, 404, "not-found", NULL, "No such place: %s.", "没有这个位置：%s。",
                     out->instance);
    return;
  }
  if (take_name(&cx, seg[0], cx.coll) < 0 || (nseg == 2 && take_name(&cx, seg[1], cx.id) < 0))
    return;
  char *cfg = NULL;
  int rc = st->ops->config_get(st, cx.ns, cx.coll, in->now, &cfg);
  if (rc) {
    hs__rest_store_error(&cx, rc);
    return;
  }
  if (cfg) {
    cx.cfg = json_loads(cfg, 0, NULL);
    free(cfg);
  }
  if (!moved(&cx) && !auth(&cx) && !rate_limit(&cx)) {
    if (nseg == 2)
      hs__rest_item(&cx);
    else
      hs__rest_collection(&cx);
  }
  json_decref(cx.cfg);
}

void hs__rest_out_free(hs__rest_out_t *out) {
  hs__fields_free(&out->fields);
  hs__sbuf_free(&out->body);
}
