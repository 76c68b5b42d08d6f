/* Turns one command-line query into a result (records, see-also, suggestions):
 * the meaning of `httpstatus ARG`, independent of how it is printed. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

/* Room for every record of the registry. */
static size_t record_capacity(void) {
  size_t total = 0, n;
  for (int ns = 0; ns < HS_NS_COUNT; ns++) {
    hs_records((hs_namespace_t)ns, &n);
    total += n;
  }
  return total;
}

void hs__result_init(hs__result_t *res, const char *query, const char *kind) {
  memset(res, 0, sizeof *res);
  res->query = query;
  res->kind = kind;
  res->ns = HS_NS_HTTP;
  res->code = -1;
  res->cap = record_capacity();
  res->recs = calloc(res->cap ? res->cap : 1, sizeof *res->recs);
}

void hs__result_free(hs__result_t *res) {
  free(res->recs);
  res->recs = NULL;
}

void hs__result_add(hs__result_t *res, const hs_status_t *r) {
  for (size_t i = 0; i < res->nrec; i++)
    if (res->recs[i] == r)
      return;
  if (res->recs && res->nrec < res->cap)
    res->recs[res->nrec++] = r;
  res->total = res->nrec;
  res->found = res->nrec > 0;
}

static void add_see(hs__result_t *res, const hs_status_t *r) {
  for (size_t i = 0; i < res->nrec; i++)
    if (res->recs[i] == r)
      return;
  if (res->nsee < sizeof res->see / sizeof res->see[0])
    res->see[res->nsee++] = r;
}

/* Up to 4 registered codes of `ns` closest to `code` (2 below, 2 above). */
static void nearest(hs__result_t *res, hs_namespace_t ns, int code) {
  size_t n;
  const hs_status_t *recs = hs_records(ns, &n);
  size_t split = 0;
  while (split < n && recs[split].code < code)
    split++;
  for (size_t i = split >= 2 ? split - 2 : 0; i < split + 2 && i < n; i++)
    res->sugg[res->nsugg++] = &recs[i];
}

/* Same number in the namespaces that were not asked: FTP replies beside HTTP
 * codes (331, 530), WebSocket close codes for four digits (1008). */
static void see_also_number(hs__result_t *res, int code, int asked) {
  static const hs_namespace_t others[] = {HS_NS_HTTP, HS_NS_HTTP_VENDOR, HS_NS_FTP, HS_NS_WS};
  for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
    hs_namespace_t ns = others[i];
    if ((int)ns == asked || (asked == HS_NS_HTTP && ns == HS_NS_HTTP_VENDOR))
      continue;
    if (ns == HS_NS_HTTP_VENDOR) {
      const hs_status_t *v[8];
      size_t nv = hs_vendor_meanings(code, v, 8);
      for (size_t k = 0; k < nv && k < 8; k++)
        add_see(res, v[k]);
    } else {
      const hs_status_t *r = hs_lookup(ns, code);
      if (r)
        add_see(res, r);
    }
  }
}

/* HTTP `code`: the official record, then every vendor meaning. */
static void http_code(hs__result_t *res, int code, int vendor_only, const char *vendor) {
  const hs_status_t *r = vendor_only ? NULL : hs_lookup(HS_NS_HTTP, code);
  if (r)
    hs__result_add(res, r);
  const hs_status_t *v[16];
  size_t nv = hs_vendor_meanings(code, v, 16);
  for (size_t i = 0; i < nv && i < 16; i++)
    if (!vendor || strcmp(v[i]->vendor_key, vendor) == 0)
      hs__result_add(res, v[i]);
  if (r && res->nrec > 1)
    res->split = 1; /* text: the vendor meanings as lines under the card */
}

/* A number: in the namespace asked for, or (bare) HTTP first, then the other
 * namespaces that have it; see-also lists the rest. */
static void by_code(hs__result_t *res, const hs_query_t *q, int explicit_ns) {
  int code = q->code;
  int ns = q->ns;
  res->cards = 1;
  res->code = code;
  if (ns == HS_NS_HTTP || ns == HS_NS_HTTP_VENDOR || ns < 0)
    http_code(res, code, ns == HS_NS_HTTP_VENDOR, q->vendor[0] ? q->vendor : NULL);
  else if (hs_lookup((hs_namespace_t)ns, code))
    hs__result_add(res, hs_lookup((hs_namespace_t)ns, code));
  if (!res->nrec && !explicit_ns) {
    /* a bare number HTTP does not have: FTP 331, WebSocket 1008 */
    static const hs_namespace_t order[] = {HS_NS_FTP, HS_NS_WS};
    for (size_t i = 0; i < 2 && !res->nrec; i++)
      if (hs_lookup(order[i], code)) {
        hs__result_add(res, hs_lookup(order[i], code));
        res->elsewhere = 1;
      }
  }
  int asked = ns >= 0 ? ns : HS_NS_HTTP;
  if (res->nrec)
    asked = (int)res->recs[0]->ns;
  see_also_number(res, code, asked);
  if (res->nrec)
    return;
  /* unassigned: explain the class of the namespace that fits the number */
  res->ns = ns >= 0 && ns != HS_NS_HTTP_VENDOR ? (hs_namespace_t)ns
            : code >= 1000                     ? HS_NS_WS
                                               : HS_NS_HTTP;
  const hs_class_t *c = hs_class_of(res->ns, res->ns == HS_NS_WS ? code : code / 100);
  if (c)
    res->cls[res->ncls++] = c;
  nearest(res, res->ns, code);
}

/* IIS code.sub; an unknown sub-status suggests the known ones of its code. */
static void by_iis(hs__result_t *res, const hs_query_t *q) {
  res->cards = 1;
  res->ns = HS_NS_IIS;
  res->code = q->code;
  const hs_status_t *r = hs_lookup_iis(q->code, q->sub);
  if (r) {
    hs__result_add(res, r);
    return;
  }
  size_t n;
  const hs_status_t *all = hs_records(HS_NS_IIS, &n);
  for (size_t i = 0; i < n && res->nsugg < 8; i++)
    if (all[i].code == q->code)
      res->sugg[res->nsugg++] = &all[i];
}

/* "iis 403": every sub-status of the code. */
static void by_iis_code(hs__result_t *res, int code) {
  res->ns = HS_NS_IIS;
  res->code = code;
  size_t n;
  const hs_status_t *r = hs_records(HS_NS_IIS, &n);
  for (size_t i = 0; i < n; i++)
    if (r[i].code == code)
      hs__result_add(res, &r[i]);
}

/* Every record of the namespace(s) whose number fits the pattern. A class
 * pattern (4xx) also brings its class explanation. */
static void by_pattern(hs__result_t *res, const hs_query_t *q) {
  int ns = q->ns < 0 ? HS_NS_HTTP : q->ns;
  int all_wild = 1;
  for (int i = 1; i < q->ndigits; i++)
    all_wild &= q->digits[i] == 0x3FF;
  int first = __builtin_ctz(q->digits[0]);
  if (all_wild && q->ndigits == 3 && (q->digits[0] & (q->digits[0] - 1)) == 0) {
    const hs_class_t *c = hs_class_of(
        ns == HS_NS_IIS || ns == HS_NS_HTTP_VENDOR ? HS_NS_HTTP : (hs_namespace_t)ns, first);
    if (c && ns != HS_NS_WS)
      res->cls[res->ncls++] = c;
  }
  hs_namespace_t list[2] = {(hs_namespace_t)ns, HS_NS_HTTP_VENDOR};
  size_t nl = ns == HS_NS_HTTP ? 2 : 1;
  for (size_t k = 0; k < nl; k++) {
    size_t n;
    const hs_status_t *r = hs_records(list[k], &n);
    for (size_t i = 0; i < n; i++)
      if (hs_query_matches(q, r[i].code) &&
          (!q->vendor[0] || (r[i].vendor_key && !strcmp(r[i].vendor_key, q->vendor))))
        hs__result_add(res, &r[i]);
    if (k == 0)
      res->split = res->nrec; /* text: vendor codes under their own heading */
  }
  res->found = res->nrec > 0 || res->ncls > 0;
}

/* Every code of one vendor ("nginx"). */
static void by_vendor(hs__result_t *res, const char *key) {
  size_t n;
  const hs_status_t *r = hs_records(HS_NS_HTTP_VENDOR, &n);
  for (size_t i = 0; i < n; i++)
    if (r[i].vendor_key && strcmp(r[i].vendor_key, key) == 0)
      hs__result_add(res, &r[i]);
}

/* 1 when `r`'s English phrase, an alias or its Chinese phrase contains `text`
 * (ASCII case-insensitive, surrounding spaces ignored). */
static int name_contains(const hs_status_t *r, const char *text) {
  while (*text == ' ')
    text++;
  size_t n = strlen(text);
  while (n && text[n - 1] == ' ')
    n--;
  if (n < 3)
    return 0;
  const char *names[2] = {r->phrase, r->phrase_zh};
  for (size_t k = 0;; k++) {
    const char *h = k < 2 ? names[k] : hs_status_alias(r, k - 2);
    if (k >= 2 && !h)
      return 0;
    for (; h && strlen(h) >= n; h++)
      if (strncasecmp(h, text, n) == 0)
        return 1;
  }
}

/* A plain integer that is no code of any namespace ("0", "99", "-1", "1000000"):
 * 1 and *code set when `text` is one (at most 9 digits, an optional minus). */
static int plain_integer(const char *text, int *code) {
  const char *p = text + (*text == '-');
  size_t n = strspn(p, "0123456789");
  if (n == 0 || n > 9 || p[n] != '\0')
    return 0;
  *code = (int)strtol(text, NULL, 10);
  return 1;
}

/* A name: every record it designates (the first as the answer, the others as
 * see-also); else full-text search: one clear winner is the answer, several
 * close ones are listed. */
static void by_name(hs__result_t *res, const hs_query_t *q) {
  const hs_status_t *named[16];
  size_t nn = hs_find_names(q->text, q->ns, named, 16);
  if (nn) {
    res->cards = 1;
    hs__result_add(res, named[0]);
    for (size_t i = 1; i < nn && i < 16; i++)
      add_see(res, named[i]);
    return;
  }
  hs_hit_t hits[10];
  size_t total = 0;
  unsigned mask = q->ns >= 0 ? 1u << q->ns : 0;
  size_t nh = hs_search_ex(q->text, mask, hits, 10, &total);
  res->searched = 1;
  if (nh && hits[0].matched < hits[0].parts) {
    /* no record has every word: not found, the partial matches are suggestions */
    for (size_t i = 0; i < nh && i < 3; i++)
      res->sugg[res->nsugg++] = hits[i].status;
    return;
  }
  if (nh == 1 || (nh > 1 && hits[0].score >= 2 * hits[1].score)) {
    res->cards = 1;
    hs__result_add(res, hits[0].status);
    /* one clear winner whose name contains the whole query ("teapot") is simply
     * the answer, not a "no code is named" */
    if (name_contains(hits[0].status, q->text))
      res->searched = 0;
    for (size_t i = 1; i < nh && i < 4; i++)
      res->sugg[res->nsugg++] = hits[i].status;
  } else {
    for (size_t i = 0; i < nh; i++)
      hs__result_add(res, hits[i].status);
  }
  res->total = res->nrec ? total : 0;
}

void hs__resolve(hs__result_t *res, const char *arg, int ns_cmd) {
  hs_query_t q;
  hs_query_kind_t k = hs_parse_query(arg, ns_cmd, &q);
  int explicit_ns = ns_cmd >= 0 || q.ns >= 0;
  static const char *const kinds[] = {"none", "code", "iis", "pattern", "vendor", "name"};
  hs__result_init(res, arg, kinds[k]);
  res->zh_query = hs__has_cjk(q.text);
  switch (k) {
  case HS_Q_CODE:
    if (q.ns == HS_NS_IIS)
      by_iis_code(res, q.code);
    else
      by_code(res, &q, explicit_ns);
    break;
  case HS_Q_IIS:
    by_iis(res, &q);
    break;
  case HS_Q_PATTERN:
    by_pattern(res, &q);
    break;
  case HS_Q_VENDOR:
    by_vendor(res, q.vendor);
    break;
  case HS_Q_NAME:
    if (plain_integer(q.text, &q.code)) {
      /* answered like 600: which class (none), the nearest registered codes */
      res->kind = kinds[HS_Q_CODE];
      by_code(res, &q, explicit_ns);
      break;
    }
    by_name(res, &q);
    break;
  default:
    break;
  }
}

void hs__resolve_search(hs__result_t *res, const char *query) {
  hs__result_init(res, query, "search");
  hs_hit_t hits[20];
  size_t total = 0;
  size_t nh = hs_search_ex(query, 0, hits, 20, &total);
  for (size_t i = 0; i < nh; i++)
    hs__result_add(res, hits[i].status);
  res->total = total;
  res->zh_query = hs__has_cjk(query);
}

int hs__has_cjk(const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (*p >= 0xE3 && *p <= 0xE9) /* U+3000-U+9FFF: CJK punctuation and ideographs */
      return 1;
  return 0;
}
