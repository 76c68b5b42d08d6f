/* A collection of the REST playground: GET lists its items (filters
 * ?field=value, _sort, _page/_per_page, a Link field per RFC 8288 and
 * X-Total-Count), POST creates one (and ?async=S defers that, rest_jobs.c). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rest/rest_int.h"

#define MAX_PARAMS 16
#define MAX_PER_PAGE 1000

typedef struct param_s {
  char key[64];
  char val[256];
  hs__str_t raw; /* key=value as sent */
} param_t;

typedef struct row_s {
  hs__rest_item_t *it;
  json_t *doc; /* parsed when filtering or sorting */
} row_t;

/* Splits and decodes the query. Returns the count, or -1 (400 set). */
static int parse_query(hs__rest_cx_t *cx, param_t *p) {
  hs__str_t q = cx->in->query;
  int n = 0;
  size_t i = 0;
  while (q.ptr && i < q.len) {
    size_t s = i;
    while (i < q.len && q.ptr[i] != '&')
      i++;
    hs__str_t kv = {q.ptr + s, i - s};
    i++;
    if (!kv.len)
      continue;
    size_t eq = 0;
    while (eq < kv.len && kv.ptr[eq] != '=')
      eq++;
    long kl, vl = 0;
    if (n == MAX_PARAMS ||
        (kl = hs__pct_decode((hs__str_t){kv.ptr, eq}, p[n].key, sizeof p[n].key - 1)) < 0 ||
        (eq < kv.len && (vl = hs__pct_decode((hs__str_t){kv.ptr + eq + 1, kv.len - eq - 1},
                                             p[n].val, sizeof p[n].val - 1)) < 0)) {
      hs__rest_problem(cx->out, 400, "bad-query", NULL,
                       "At most %d query parameters, keys under 64 and values under 256 bytes, "
                       "percent-encoded correctly.",
                       "查询参数最多 %d 个，键少于 64 字节、值少于 256 字节，且百分号编码正确。",
                       MAX_PARAMS);
      return -1;
    }
    p[n].key[kl] = '\0';
    p[n].val[vl] = '\0';
    p[n].raw = kv;
    n++;
  }
  return n;
}

/* A positive integer parameter; -1 if malformed. */
static long posint(const char *s) {
  long v = 0;
  if (!*s)
    return -1;
  for (; *s; s++) {
    if (*s < '0' || *s > '9' || v > 100000000)
      return -1;
    v = v * 10 + (*s - '0');
  }
  return v > 0 ? v : -1;
}

/* Does member `key` of doc equal `val` (strings as they are, other values
 * by their JSON text: 3, true, null)? */
static int matches(const json_t *doc, const char *key, const char *val) {
  const json_t *m = json_object_get(doc, key);
  if (!m)
    return 0;
  if (json_is_string(m))
    return strcmp(json_string_value(m), val) == 0;
  char *t = json_dumps(m, JSON_COMPACT | JSON_ENCODE_ANY);
  int r = t && strcmp(t, val) == 0;
  free(t);
  return r;
}

typedef struct sort_s {
  const char *key;
  int desc;
} sort_t;

/* Order of two members: missing last, numbers by value, strings by bytes,
 * other kinds by kind. */
static int cmp_rows(const void *a, const void *b, void *arg) {
  const sort_t *o = arg;
  const json_t *x = json_object_get(((const row_t *)a)->doc, o->key);
  const json_t *y = json_object_get(((const row_t *)b)->doc, o->key);
  int r;
  if (!x || !y)
    return !x - !y;
  if (json_is_number(x) && json_is_number(y)) {
    double u = json_number_value(x), v = json_number_value(y);
    r = u < v ? -1 : u > v;
  } else if (json_is_string(x) && json_is_string(y))
    r = strcmp(json_string_value(x), json_string_value(y));
  else
    r = (int)json_typeof(x) - (int)json_typeof(y);
  if (r == 0) {
    uint64_t s = ((const row_t *)a)->it->seq, t = ((const row_t *)b)->it->seq;
    return s < t ? -1 : s > t; /* stable: creation order */
  }
  return o->desc ? -r : r;
}

/* Appends one Link value (RFC 8288 §3) for page `page`. */
static void link(hs__sbuf_t *b, hs__rest_cx_t *cx, const param_t *p, int np, long page, long per,
                 const char *rel) {
  if (b->len)
    hs__sbuf_adds(b, ", ");
  hs__sbuf_adds(b, "</rest/");
  hs__sbuf_adds(b, cx->coll);
  hs__sbuf_addc(b, '?');
  for (int i = 0; i < np; i++)
    if (strcmp(p[i].key, "_page") != 0 && strcmp(p[i].key, "_per_page") != 0) {
      hs__sbuf_add(b, p[i].raw.ptr, p[i].raw.len);
      hs__sbuf_addc(b, '&');
    }
  char tail[80];
  snprintf(tail, sizeof tail, "_page=%ld&_per_page=%ld>; rel=\"%s\"", page, per, rel);
  hs__sbuf_adds(b, tail);
}

static void list(hs__rest_cx_t *cx) {
  param_t p[MAX_PARAMS];
  int np = parse_query(cx, p);
  if (np < 0)
    return;
  long page = 0, per = 0;
  const char *sort = NULL;
  int filters = 0;
  for (int i = 0; i < np; i++) {
    if (strcmp(p[i].key, "_page") == 0 && (page = posint(p[i].val)) < 0)
      goto bad;
    else if (strcmp(p[i].key, "_per_page") == 0 &&
             ((per = posint(p[i].val)) < 0 || per > MAX_PER_PAGE))
      goto bad;
    else if (strcmp(p[i].key, "_sort") == 0)
      sort = p[i].val;
    else if (p[i].key[0] != '_' && strcmp(p[i].key, "legacy") != 0)
      filters++;
  }
  hs__rest_item_t *items;
  size_t n;
  int rc = cx->st->ops->list(cx->st, cx->ns, cx->coll, cx->in->now, &items, &n);
  if (rc) {
    hs__rest_store_error(cx, rc);
    return;
  }
  row_t *rows = calloc(n ? n : 1, sizeof *rows);
  size_t k = 0;
  for (size_t i = 0; rows && i < n; i++) {
    row_t r = {&items[i], NULL};
    if (filters || sort) {
      r.doc = json_loadb(items[i].doc, items[i].len, JSON_ALLOW_NUL, NULL);
      int keep = r.doc != NULL;
      for (int j = 0; keep && j < np; j++)
        if (p[j].key[0] != '_' && strcmp(p[j].key, "legacy") != 0)
          keep = matches(r.doc, p[j].key, p[j].val);
      if (!keep) {
        json_decref(r.doc);
        continue;
      }
    }
    rows[k++] = r;
  }
  if (sort && *sort) {
    sort_t o = {sort + (sort[0] == '-'), sort[0] == '-'};
    qsort_r(rows, k, sizeof *rows, cmp_rows, &o);
  }
  size_t from = 0, to = k;
  hs__sbuf_t links = HS_SBUF_INIT;
  if (page || per) {
    page = page ? page : 1;
    per = per ? per : 10;
    long last = k ? (long)((k + (size_t)per - 1) / (size_t)per) : 1;
    from = (size_t)(page - 1) * (size_t)per;
    from = from > k ? k : from;
    to = from + (size_t)per > k ? k : from + (size_t)per;
    link(&links, cx, p, np, 1, per, "first");
    if (page > 1)
      link(&links, cx, p, np, page - 1 > last ? last : page - 1, per, "prev");
    if (page < last)
      link(&links, cx, p, np, page + 1, per, "next");
    link(&links, cx, p, np, last, per, "last");
  }
  hs__rest_out_t *o = cx->out;
  o->status = 200;
  o->ctype = "application/json";
  hs__sbuf_addc(&o->body, '[');
  for (size_t i = from; i < to; i++) {
    if (i > from)
      hs__sbuf_addc(&o->body, ',');
    hs__sbuf_add(&o->body, rows[i].it->doc, rows[i].it->len);
  }
  hs__sbuf_addc(&o->body, ']');
  char total[24];
  snprintf(total, sizeof total, "%zu", k);
  hs__fields_addz(&o->fields, "X-Total-Count", total);
  if (links.len && !links.oom)
    hs__fields_add(&o->fields, "Link", 4, links.p, links.len);
  hs__sbuf_free(&links);
  for (size_t i = 0; i < k; i++)
    json_decref(rows[i].doc);
  free(rows);
  hs__rest_items_free(items, n);
  if (!rows)
    hs__rest_store_error(cx, HS__REST_ENOMEM);
  return;
bad:
  hs__rest_problem(cx->out, 400, "bad-query", NULL,
                   "_page and _per_page are positive integers (_per_page at most %d).",
                   "_page 与 _per_page 为正整数（_per_page 最多 %d）。", MAX_PER_PAGE);
}

void hs__rest_collection(hs__rest_cx_t *cx) {
  switch (cx->in->method) {
  case HS__REST_GET:
  case HS__REST_HEAD:
    list(cx);
    break;
  case HS__REST_POST: {
    static const char *const ct[] = {"application/json", NULL};
    param_t p[MAX_PARAMS];
    int np = parse_query(cx, p);
    long delay = 0;
    for (int i = 0; i < np; i++)
      if (strcmp(p[i].key, "async") == 0 && ((delay = posint(p[i].val)) < 0 || delay > 300)) {
        hs__rest_problem(cx->out, 400, "bad-query", NULL,
                         "?async= takes whole seconds from 1 to 300.",
                         "?async= 取值为 1 到 300 的整秒数。");
        return;
      }
    json_t *doc = np < 0 ? NULL : hs__rest_body(cx, ct, "Accept-Post");
    if (doc) {
      hs__rest_create(cx, doc, delay);
      json_decref(doc);
    }
    break;
  }
  default:
    hs__rest_problem(cx->out, 405, "method-not-allowed", NULL, "Allowed here: %s.",
                     "此处允许的方法：%s。", "GET, HEAD, POST, OPTIONS");
    hs__fields_addz(&cx->out->fields, "Allow", "GET, HEAD, POST, OPTIONS");
  }
}
