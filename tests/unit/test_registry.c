/* Checks every registry record against the rules of RFC 9110 and the registries
 * (IANA HTTP, RFC 959 and extensions, RFC 6455). */
#include <string.h>

#include "hs_test.h"
#include "httpstatus/registry.h"

static int nonempty(const char *s) { return s && *s; }

/* Strict UTF-8 validation (no overlongs, no surrogates). */
static int valid_utf8(const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    if (*p < 0x80) {
      p++;
    } else if ((*p & 0xE0) == 0xC0) {
      if (*p < 0xC2 || (p[1] & 0xC0) != 0x80)
        return 0;
      p += 2;
    } else if ((*p & 0xF0) == 0xE0) {
      if ((p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
        return 0;
      unsigned cp = ((p[0] & 0xFu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
      if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
      p += 3;
    } else if ((*p & 0xF8) == 0xF0) {
      if ((p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80)
        return 0;
      p += 4;
    } else {
      return 0;
    }
  }
  return 1;
}

static int has_cjk(const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (*p >= 0xE4 && *p <= 0xE9)
      return 1;
  return 0;
}

static void check_texts(const hs_status_t *r) {
  CHECK(nonempty(r->constant), "%s: constant", r->key);
  CHECK(nonempty(r->phrase), "%s: phrase", r->key);
  CHECK(nonempty(r->phrase_zh) && has_cjk(r->phrase_zh), "%s: phrase_zh", r->key);
  CHECK(nonempty(r->spec), "%s: spec", r->key);
  for (int l = 0; l < HS_LANG_COUNT; l++) {
    CHECK(nonempty(r->summary[l]), "%s: summary[%d]", r->key, l);
    CHECK(nonempty(r->detail[l]), "%s: detail[%d]", r->key, l);
    CHECK(r->scenarios[l] && r->scenarios[l][0], "%s: scenarios[%d]", r->key, l);
    CHECK(valid_utf8(r->summary[l]) && valid_utf8(r->detail[l]), "%s: utf-8", r->key);
  }
  CHECK(has_cjk(r->summary[HS_LANG_ZH]) && has_cjk(r->detail[HS_LANG_ZH]), "%s: zh text", r->key);
  CHECK(!has_cjk(r->summary[HS_LANG_EN]), "%s: en summary has CJK", r->key);
}

static const int iana_http[] = {100, 101, 102, 103, 104, 200, 201, 202, 203, 204, 205, 206, 207,
                                208, 226, 300, 301, 302, 303, 304, 305, 306, 307, 308, 400, 401,
                                402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414,
                                415, 416, 417, 418, 421, 422, 423, 424, 425, 426, 428, 429, 431,
                                451, 500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511};
static const int cacheable[] = {200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 451, 501};

static int in(const int *a, size_t n, int v) {
  for (size_t i = 0; i < n; i++)
    if (a[i] == v)
      return 1;
  return 0;
}
#define IN(a, v) in(a, sizeof a / sizeof a[0], v)

/* Every IANA code is there; each record's flags follow RFC 9110. */
HS_TEST(http_records) {
  size_t n;
  const hs_status_t *r = hs_records(HS_NS_HTTP, &n);
  CHECK_EQ_UINT(n, sizeof iana_http / sizeof iana_http[0], "http records vs IANA list");
  for (size_t i = 0; i < sizeof iana_http / sizeof iana_http[0]; i++)
    CHECK(hs_lookup(HS_NS_HTTP, iana_http[i]) != NULL, "IANA code %d missing", iana_http[i]);
  for (size_t i = 0; i < n; i++) {
    const hs_status_t *s = &r[i];
    int c = s->code;
    check_texts(s);
    CHECK(hs_lookup(HS_NS_HTTP, c) == s, "%d: lookup", c);
    CHECK(s->vendor == NULL && s->state != HS_STATE_UNOFFICIAL, "%d: official", c);
    /* RFC 9110 §15: no content for 1xx, 204, 205, 304 */
    int nobody = (c < 200) || c == 204 || c == 205 || c == 304;
    CHECK_EQ_INT(!!(s->flags & HS_F_NO_BODY), nobody, "%d: body flag", c);
    CHECK_EQ_INT(hs_body_allowed(c), !nobody, "%d: hs_body_allowed", c);
    /* RFC 9110 §8.6: no Content-Length in 1xx or 204 */
    CHECK_EQ_INT(!!(s->flags & HS_F_NO_CLENGTH), (c < 200 || c == 204), "%d: CL flag", c);
    CHECK_EQ_INT(!!(s->flags & HS_F_INTERIM), (c < 200), "%d: interim flag", c);
    /* RFC 9110 §15.1 + RFC 7725 §3 */
    CHECK_EQ_INT(!!(s->flags & HS_F_CACHEABLE), IN(cacheable, c), "%d: cacheable flag", c);
    CHECK_EQ_INT(hs_cacheable(c), IN(cacheable, c), "%d: hs_cacheable", c);
    if (c != 306 && c != 418)
      CHECK_EQ_STR(hs_reason_phrase(c), s->phrase, "%d: reason phrase", c);
  }
}

/* Headers a status requires (must) or expects. */
HS_TEST(http_header_rules) {
  struct {
    int code;
    hs_header_t h;
    int must;
  } rules[] = {
      {101, HS_H_UPGRADE, 1},
      {426, HS_H_UPGRADE, 1},
      {401, HS_H_WWW_AUTHENTICATE, 1},
      {405, HS_H_ALLOW, 1},
      {407, HS_H_PROXY_AUTHENTICATE, 1},
      {206, HS_H_CONTENT_RANGE, 1},
      {103, HS_H_LINK, 0},
      {201, HS_H_LOCATION, 0},
      {301, HS_H_LOCATION, 0},
      {302, HS_H_LOCATION, 0},
      {303, HS_H_LOCATION, 0},
      {307, HS_H_LOCATION, 0},
      {308, HS_H_LOCATION, 0},
      {300, HS_H_LOCATION, 0},
      {416, HS_H_CONTENT_RANGE, 0},
      {429, HS_H_RETRY_AFTER, 0},
      {503, HS_H_RETRY_AFTER, 0},
      {413, HS_H_RETRY_AFTER, 0},
      {451, HS_H_LINK, 0},
  };
  for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
    const hs_status_t *s = hs_lookup(HS_NS_HTTP, rules[i].code);
    uint32_t bit = HS_HBIT(rules[i].h);
    if (rules[i].must)
      CHECK(s && (s->requires & bit), "%d must require %s", rules[i].code,
            hs_header_name(rules[i].h));
    else
      CHECK(s && ((s->requires | s->expects) & bit), "%d must expect %s", rules[i].code,
            hs_header_name(rules[i].h));
  }
}

/* registration states */
HS_TEST(http_states) {
  CHECK_EQ_INT(hs_lookup(HS_NS_HTTP, 104)->state, HS_STATE_TEMPORARY, "104 temporary");
  CHECK_EQ_INT(hs_lookup(HS_NS_HTTP, 306)->state, HS_STATE_UNUSED, "306 unused");
  CHECK_EQ_INT(hs_lookup(HS_NS_HTTP, 418)->state, HS_STATE_UNUSED, "418 unused");
  CHECK_EQ_INT(hs_lookup(HS_NS_HTTP, 510)->state, HS_STATE_OBSOLETE, "510 obsolete");
  CHECK_EQ_INT(hs_lookup(HS_NS_HTTP, 305)->state, HS_STATE_DEPRECATED, "305 deprecated");
}

/* RFC 9110 names, old names as aliases */
HS_TEST(http_names) {
  CHECK_EQ_STR(hs_reason_phrase(413), "Content Too Large", "413 phrase");
  CHECK_EQ_STR(hs_reason_phrase(422), "Unprocessable Content", "422 phrase");
  CHECK_EQ_STR(hs_reason_phrase(416), "Range Not Satisfiable", "416 phrase");
  CHECK_EQ_STR(hs_reason_phrase(299), "Success", "299 generic phrase");
  CHECK_EQ_STR(hs_reason_phrase(418), "I'm a teapot", "418 wire phrase");
  CHECK_EQ_STR(hs_reason_phrase(306), "Switch Proxy", "306 wire phrase");
  CHECK_EQ_STR(hs_reason_phrase(700), "Unknown", "700 generic phrase");
  const char *aliases[][2] = {{"Payload Too Large", "413"},
                              {"Request Entity Too Large", "413"},
                              {"Request-URI Too Long", "414"},
                              {"Requested Range Not Satisfiable", "416"},
                              {"Unprocessable Entity", "422"},
                              {"Moved Temporarily", "302"},
                              {"I'm a teapot", "418"},
                              {"im a teapot", "418"},
                              {"not_found", "404"},
                              {"TOO MANY REQUESTS", "429"}};
  for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
    const hs_status_t *s = hs_find_name(aliases[i][0], -1);
    CHECK(s && strcmp(s->key, aliases[i][1]) == 0, "name '%s' -> %s", aliases[i][0], aliases[i][1]);
  }
}

HS_TEST(all_namespaces) {
  for (int ns = 0; ns < HS_NS_COUNT; ns++) {
    size_t n;
    const hs_status_t *r = hs_records((hs_namespace_t)ns, &n);
    CHECK(n > 0, "namespace %s is empty", hs_namespace_name((hs_namespace_t)ns));
    for (size_t i = 0; i < n; i++) {
      const hs_status_t *s = &r[i];
      CHECK_EQ_INT((int)s->ns, ns, "%s: namespace", s->key);
      if (ns != HS_NS_HTTP)
        check_texts(s);
      if (i)
        CHECK(r[i - 1].code < s->code || (r[i - 1].code == s->code && r[i - 1].sub <= s->sub),
              "%s: order", s->key);
      /* constants unique within a namespace, and they resolve */
      for (size_t j = 0; j < i; j++)
        CHECK(strcmp(r[j].constant, s->constant) != 0, "%s: duplicate constant %s", s->key,
              s->constant);
      const hs_status_t *byname = hs_find_name(s->constant, ns);
      CHECK(byname && byname->ns == s->ns, "%s: constant %s does not resolve", s->key, s->constant);
      for (const char *const *a = s->aliases; a && *a; a++)
        CHECK(hs_find_name(*a, ns) != NULL, "%s: alias '%s' does not resolve", s->key, *a);
      switch (ns) {
      case HS_NS_HTTP_VENDOR:
        CHECK(s->code >= 100 && s->code <= 599, "%s: class", s->key);
        CHECK(s->state == HS_STATE_UNOFFICIAL && nonempty(s->vendor), "%s: vendor", s->key);
        CHECK_EQ_INT(!!(s->flags & HS_F_INTERIM), (s->code < 200), "%s: interim", s->key);
        break;
      case HS_NS_IIS:
        CHECK(s->code >= 400 && s->code <= 599 && s->sub >= 0, "%s: IIS code", s->key);
        CHECK(hs_lookup_iis(s->code, s->sub) == s, "%s: IIS lookup", s->key);
        break;
      case HS_NS_FTP:
        CHECK(s->code >= 100 && s->code <= 699, "%s: FTP class", s->key);
        CHECK(hs_lookup(HS_NS_FTP, s->code) == s, "%s: FTP lookup", s->key);
        break;
      case HS_NS_WS:
        CHECK(s->code >= 1000 && s->code <= 4999, "%s: WS range", s->key);
        CHECK(hs_lookup(HS_NS_WS, s->code) == s, "%s: WS lookup", s->key);
        CHECK_EQ_INT(!!(s->flags & HS_F_NOT_ON_WIRE),
                     (s->code == 1005 || s->code == 1006 || s->code == 1015),
                     "%s: not-on-wire flag", s->key);
        break;
      default:
        break;
      }
    }
  }
}

HS_TEST(coverage) {
  static const struct {
    int code;
    const char *vendor;
  } vendor[] = {{103, "checkpoint"}, {218, "apache"},     {419, "laravel"},    {420, "spring"},
                {420, "twitter"},    {440, "iis"},        {444, "nginx"},      {449, "iis"},
                {450, "microsoft"},  {451, "iis"},        {494, "nginx"},      {495, "nginx"},
                {496, "nginx"},      {497, "nginx"},      {498, "esri"},       {499, "nginx"},
                {499, "esri"},       {509, "apache"},     {520, "cloudflare"}, {521, "cloudflare"},
                {522, "cloudflare"}, {523, "cloudflare"}, {524, "cloudflare"}, {525, "cloudflare"},
                {526, "cloudflare"}, {527, "cloudflare"}, {530, "cloudflare"}, {530, "pantheon"},
                {598, "informal"}};
  for (size_t i = 0; i < sizeof vendor / sizeof vendor[0]; i++) {
    const hs_status_t *m[8];
    size_t n = hs_vendor_meanings(vendor[i].code, m, 8), found = 0;
    for (size_t j = 0; j < n && j < 8; j++)
      found |= strcmp(m[j]->vendor_key, vendor[i].vendor) == 0;
    CHECK(found, "vendor code %d (%s) missing", vendor[i].code, vendor[i].vendor);
  }
  static const int ftp[] = {110, 120, 125, 150, 200, 202, 211, 212, 213, 214, 215, 220,
                            221, 225, 226, 227, 228, 229, 230, 232, 234, 235, 250, 257,
                            331, 332, 334, 335, 336, 350, 421, 425, 426, 431, 450, 451,
                            452, 500, 501, 502, 503, 504, 521, 522, 530, 532, 533, 534,
                            535, 536, 537, 550, 551, 552, 553, 554, 631, 632, 633};
  for (size_t i = 0; i < sizeof ftp / sizeof ftp[0]; i++)
    CHECK(hs_lookup(HS_NS_FTP, ftp[i]), "FTP %d missing", ftp[i]);
  static const int ws[] = {1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009,
                           1010, 1011, 1012, 1013, 1014, 1015, 3000, 3003, 3008};
  for (size_t i = 0; i < sizeof ws / sizeof ws[0]; i++)
    CHECK(hs_lookup(HS_NS_WS, ws[i]), "WS %d missing", ws[i]);
  static const int iis[][2] = {{403, 14}, {404, 0}, {404, 3}, {403, 1}, {500, 19}, {401, 1}};
  for (size_t i = 0; i < sizeof iis / sizeof iis[0]; i++)
    CHECK(hs_lookup_iis(iis[i][0], iis[i][1]), "IIS %d.%d missing", iis[i][0], iis[i][1]);
  CHECK(hs_lookup_iis(403, 999) == NULL && hs_lookup_iis(200, 0) == NULL, "IIS absent codes");
}

/* classes, FTP digits, WS ranges */
HS_TEST(classes) {
  for (int d = 1; d <= 5; d++)
    CHECK(hs_class_of(HS_NS_HTTP, d), "HTTP class %d", d);
  for (int d = 1; d <= 6; d++)
    CHECK(hs_class_of(HS_NS_FTP, d), "FTP class %d", d);
  int ranges[] = {1000, 2500, 3008, 4000, 4999};
  for (size_t i = 0; i < 5; i++)
    CHECK(hs_class_of(HS_NS_WS, ranges[i]), "WS range of %d", ranges[i]);
  size_t nc, digits = 0;
  const hs_class_t *cl = hs_classes(&nc);
  for (size_t i = 0; i < nc; i++)
    if (cl[i].ns == HS_NS_FTP && cl[i].kind == 1)
      digits++;
  CHECK_EQ_UINT(digits, 6, "FTP second-digit meanings");
}

HS_TEST(bounds) {
  int bad[] = {-1, 0, 99, 600, 1000, 99999};
  for (size_t i = 0; i < 6; i++) {
    CHECK(hs_lookup(HS_NS_HTTP, bad[i]) == NULL, "lookup %d", bad[i]);
    CHECK(hs_lookup(HS_NS_FTP, bad[i] == 600 ? 700 : bad[i]) == NULL, "ftp lookup %d", bad[i]);
  }
  CHECK(hs_lookup(HS_NS_WS, 5000) == NULL && hs_lookup(HS_NS_WS, 999) == NULL, "ws bounds");
  CHECK(hs_lookup((hs_namespace_t)42, 200) == NULL, "bad namespace");
  CHECK(hs_find_name("", -1) == NULL && hs_find_name(NULL, -1) == NULL, "empty name");
  CHECK(hs_find_name("no such status anywhere", -1) == NULL, "unknown name");
  CHECK(hs_header_name(HS_H_COUNT) == NULL, "header bounds");
  CHECK_EQ_STR(hs_version(), HS_VERSION_STRING, "version");
}

static const hs_test_case_t cases[] = {
    HS_CASE(http_records),   HS_CASE(http_header_rules), HS_CASE(http_states), HS_CASE(http_names),
    HS_CASE(all_namespaces), HS_CASE(coverage),          HS_CASE(classes),     HS_CASE(bounds),
};

int main(int argc, char **argv) { return hs_test_main(argc, argv, cases, HS_COUNT(cases)); }
