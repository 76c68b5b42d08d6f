/* Registry records and class explanations as JSON: the one record shape that
 * `httpstatus --json` prints and the web reference serves (docs/web.md).
 * Hand-written so the library stays dependency-free; strings are escaped per
 * RFC 8259 §7 (UTF-8 passes through unchanged). */
#include "record_json.h"

void hs__json_string(FILE *out, const char *s) {
  if (!s) {
    fputs("null", out);
    return;
  }
  fputc('"', out);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    switch (*p) {
    case '"':
      fputs("\\\"", out);
      break;
    case '\\':
      fputs("\\\\", out);
      break;
    case '\n':
      fputs("\\n", out);
      break;
    case '\r':
      fputs("\\r", out);
      break;
    case '\t':
      fputs("\\t", out);
      break;
    default:
      if (*p < 0x20)
        fprintf(out, "\\u%04x", *p);
      else
        fputc(*p, out);
    }
  }
  fputc('"', out);
}

static void ind(FILE *out, int n) { fprintf(out, "%*s", n, ""); }

static void kv_str(FILE *out, int n, const char *k, const char *v, int comma) {
  ind(out, n);
  fprintf(out, "\"%s\": ", k);
  hs__json_string(out, v);
  fputs(comma ? ",\n" : "\n", out);
}

static void str_list(FILE *out, const char *const *l) {
  fputc('[', out);
  for (const char *const *p = l; p && *p; p++) {
    if (p != l)
      fputs(", ", out);
    hs__json_string(out, *p);
  }
  fputc(']', out);
}

static void header_list(FILE *out, uint32_t mask) {
  int first = 1;
  fputc('[', out);
  for (int h = 0; h < HS_H_COUNT; h++)
    if (mask & HS_HBIT(h)) {
      fprintf(out, "%s\"%s\"", first ? "" : ", ", hs_header_name((hs_header_t)h));
      first = 0;
    }
  fputc(']', out);
}

static void pair(FILE *out, int n, const char *k, const char *const v[2], int comma) {
  ind(out, n);
  fprintf(out, "\"%s\": {\"en\": ", k);
  hs__json_string(out, v[0]);
  fputs(", \"zh\": ", out);
  hs__json_string(out, v[1]);
  fputs(comma ? "},\n" : "}\n", out);
}

/* One record as a JSON object; both languages are always included. */
void hs__json_record(FILE *out, const hs_status_t *r, int n) {
  ind(out, n);
  fputs("{\n", out);
  kv_str(out, n + 2, "namespace", hs_namespace_name(r->ns), 1);
  ind(out, n + 2);
  fprintf(out, "\"code\": %d,\n", r->code);
  if (r->ns == HS_NS_IIS) {
    ind(out, n + 2);
    fprintf(out, "\"sub\": %d,\n", r->sub);
  }
  kv_str(out, n + 2, "key", r->key, 1);
  kv_str(out, n + 2, "constant", r->constant, 1);
  kv_str(out, n + 2, "phrase", r->phrase, 1);
  kv_str(out, n + 2, "phrase_zh", r->phrase_zh, 1);
  ind(out, n + 2);
  fputs("\"aliases\": ", out);
  str_list(out, r->aliases);
  fputs(",\n", out);
  ind(out, n + 2);
  if (r->ns == HS_NS_WS || r->ns == HS_NS_IIS)
    fprintf(out, "\"class\": null,\n");
  else
    fprintf(out, "\"class\": \"%dxx\",\n", r->code / 100);
  kv_str(out, n + 2, "state", hs_state_name(r->state), 1);
  kv_str(out, n + 2, "vendor", r->vendor, 1);
  kv_str(out, n + 2, "spec", r->spec, 1);
  kv_str(out, n + 2, "url", r->url, 1);
  kv_str(out, n + 2, "registered", r->registered, 1);
  kv_str(out, n + 2, "expires", r->expires, 1);
  ind(out, n + 2);
  fprintf(out, "\"retryable\": %s,\n",
          (r->flags & HS_F_RETRY)         ? "\"yes\""
          : (r->flags & HS_F_RETRY_AFTER) ? "\"with-retry-after\""
                                          : "\"no\"");
  if (r->ns == HS_NS_HTTP || r->ns == HS_NS_HTTP_VENDOR) {
    ind(out, n + 2);
    fprintf(out, "\"cacheable\": %s,\n", (r->flags & HS_F_CACHEABLE) ? "true" : "false");
    ind(out, n + 2);
    fprintf(out, "\"body_allowed\": %s,\n", (r->flags & HS_F_NO_BODY) ? "false" : "true");
    ind(out, n + 2);
    fputs("\"requires\": ", out);
    header_list(out, r->requires);
    fputs(",\n", out);
    ind(out, n + 2);
    fputs("\"expects\": ", out);
    header_list(out, r->expects);
    fputs(",\n", out);
  }
  if (r->ns == HS_NS_WS) {
    ind(out, n + 2);
    fprintf(out, "\"on_wire\": %s,\n", (r->flags & HS_F_NOT_ON_WIRE) ? "false" : "true");
  }
  pair(out, n + 2, "summary", r->summary, 1);
  pair(out, n + 2, "detail", r->detail, 1);
  ind(out, n + 2);
  fputs("\"scenarios\": {\"en\": ", out);
  str_list(out, r->scenarios[0]);
  fputs(", \"zh\": ", out);
  str_list(out, r->scenarios[1]);
  fputs("},\n", out);
  ind(out, n + 2);
  fputs("\"related\": [", out);
  for (size_t i = 0; hs_status_related(r, i); i++) {
    fputs(i ? ", " : "", out);
    hs__json_record_ref_open(out, hs_status_related(r, i));
    fputc('}', out);
  }
  fputs("]\n", out);
  ind(out, n);
  fputs("}", out);
}

/* Class object whose opening brace goes at the current position. */
static void json_class_inline(FILE *out, const hs_class_t *c, int n) {
  static const char *const kinds[] = {"class", "digit", "range"};
  fputs("{\n", out);
  kv_str(out, n + 2, "namespace", hs_namespace_name(c->ns), 1);
  kv_str(out, n + 2, "kind", kinds[c->kind], 1);
  ind(out, n + 2);
  fprintf(out, "\"value\": %d,\n", c->value);
  ind(out, n + 2);
  fprintf(out, "\"high\": %d,\n", c->high);
  kv_str(out, n + 2, "phrase", c->phrase, 1);
  kv_str(out, n + 2, "phrase_zh", c->phrase_zh, 1);
  pair(out, n + 2, "summary", c->summary, 1);
  pair(out, n + 2, "detail", c->detail, 0);
  ind(out, n);
  fputs("}", out);
}

void hs__json_class(FILE *out, const hs_class_t *c, int n) {
  ind(out, n);
  json_class_inline(out, c, n);
}

void hs__json_record_ref_open(FILE *out, const hs_status_t *r) {
  fputs("{\"namespace\": ", out);
  hs__json_string(out, hs_namespace_name(r->ns));
  fputs(", \"key\": ", out);
  hs__json_string(out, r->key);
  fprintf(out, ", \"code\": %d, \"phrase\": ", r->code);
  hs__json_string(out, r->phrase);
  fputs(", \"phrase_zh\": ", out);
  hs__json_string(out, r->phrase_zh);
}
