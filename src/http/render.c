/* Status bodies rendered from the registry: JSON (httpbin style: 2-space indent,
 * sorted keys), plain text and a small HTML page, in English or Chinese. */
#include "http/render.h"

#include "http/status_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* cache[code - 100][fmt][lang] for codes with a record (official or vendor);
 * NULL otherwise */
static hs__str_t cache[500][HS_FMT_COUNT][HS_LANG_COUNT];

const char *hs__fmt_ctype(hs__fmt_t f) {
  switch (f) {
  case HS_FMT_TEXT:
    return "text/plain; charset=utf-8";
  case HS_FMT_HTML:
    return "text/html; charset=utf-8";
  default:
    return "application/json";
  }
}

void hs__json_escape(hs__buf_t *b, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  char *d = hs__buf_reserve(b, n * 6);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') {
      *d++ = '\\';
      *d++ = (char)c;
    } else if (c == '\n') {
      *d++ = '\\';
      *d++ = 'n';
    } else if (c < 0x20 || c == 0x7f) {
      memcpy(d, "\\u00", 4);
      d[4] = hex[c >> 4];
      d[5] = hex[c & 15];
      d += 6;
    } else {
      *d++ = (char)c;
    }
  }
  b->len = (size_t)(d - b->base);
}

void hs__html_escape(hs__buf_t *b, const char *s, size_t n) {
  char *d = hs__buf_reserve(b, n * 6);
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    switch (c) {
    case '&':
      memcpy(d, "&amp;", 5), d += 5;
      break;
    case '<':
      memcpy(d, "&lt;", 4), d += 4;
      break;
    case '>':
      memcpy(d, "&gt;", 4), d += 4;
      break;
    case '"':
      memcpy(d, "&quot;", 6), d += 6;
      break;
    case '\'':
      memcpy(d, "&#39;", 5), d += 5;
      break;
    default:
      *d++ = c;
    }
  }
  b->len = (size_t)(d - b->base);
}

static void json_kv(hs__buf_t *b, const char *key, const char *val, int last) {
  hs__buf_lit(b, "  \"");
  hs__buf_str(b, key);
  hs__buf_lit(b, "\": \"");
  hs__json_escape(b, val, strlen(val));
  hs__buf_str(b, last ? "\"\n" : "\",\n");
}

/* Appends the description of `code` (with an optional message) in one format,
 * from record `st` (official or vendor; NULL: the class text). */
static void render(hs__buf_t *b, int code, const hs_status_t *st, hs__neg_t neg,
                   const char *message) {
  const char *phrase = st && st->ns == HS_NS_HTTP_VENDOR ? st->phrase : hs__status_reason(code);
  const char *name = phrase;
  const char *summary = NULL;
  if (st) {
    if (neg.lang == HS_LANG_ZH && st->phrase_zh)
      name = st->phrase_zh;
    summary = st->summary[neg.lang] ? st->summary[neg.lang] : st->summary[HS_LANG_EN];
  } else {
    const hs_class_t *cl = hs_class_of(HS_NS_HTTP, code / 100);
    if (cl) {
      if (neg.lang == HS_LANG_ZH && cl->phrase_zh)
        name = cl->phrase_zh;
      summary = cl->summary[neg.lang] ? cl->summary[neg.lang] : cl->summary[HS_LANG_EN];
    }
  }
  if (!summary)
    summary = "";
  const char *spec = st && st->spec ? st->spec : NULL;
  /* a vendor meaning names its vendor (ASCII: the same in both languages) */
  const char *vendor =
      st && st->ns == HS_NS_HTTP_VENDOR ? hs_status_text(st, HS_TEXT_VENDOR, 0) : NULL;
  switch (neg.fmt) {
  case HS_FMT_JSON:
    hs__buf_lit(b, "{\n  \"code\": ");
    hs__buf_u64(b, (uint64_t)code);
    hs__buf_lit(b, ",\n");
    if (message)
      json_kv(b, "error", message, 0);
    json_kv(b, "lang", neg.lang == HS_LANG_ZH ? "zh" : "en", 0);
    json_kv(b, "phrase", name, 0);
    json_kv(b, "reason", phrase, 0);
    if (spec)
      json_kv(b, "spec", spec, 0);
    json_kv(b, "summary", summary, !vendor);
    if (vendor)
      json_kv(b, "vendor", vendor, 1);
    hs__buf_lit(b, "}\n");
    break;
  case HS_FMT_TEXT:
    hs__buf_u64(b, (uint64_t)code);
    hs__buf_lit(b, " ");
    hs__buf_str(b, name);
    hs__buf_lit(b, "\n");
    if (message) {
      hs__buf_str(b, message);
      hs__buf_lit(b, "\n");
    }
    if (*summary) {
      hs__buf_lit(b, "\n");
      hs__buf_str(b, summary);
      hs__buf_lit(b, "\n");
    }
    if (vendor) {
      hs__buf_str(b, neg.lang == HS_LANG_ZH ? "厂商：" : "Vendor: ");
      hs__buf_str(b, vendor);
      hs__buf_lit(b, "\n");
    }
    if (spec) {
      hs__buf_lit(b, "(");
      hs__buf_str(b, spec);
      hs__buf_lit(b, ")\n");
    }
    break;
  case HS_FMT_HTML:
  default:
    hs__buf_lit(b, "<!DOCTYPE html>\n<html lang=\"");
    hs__buf_str(b, neg.lang == HS_LANG_ZH ? "zh" : "en");
    hs__buf_lit(b, "\"><head><meta charset=\"utf-8\"><title>");
    hs__buf_u64(b, (uint64_t)code);
    hs__buf_lit(b, " ");
    hs__html_escape(b, name, strlen(name));
    hs__buf_lit(b, "</title></head>\n<body><h1>");
    hs__buf_u64(b, (uint64_t)code);
    hs__buf_lit(b, " ");
    hs__html_escape(b, name, strlen(name));
    hs__buf_lit(b, "</h1>\n");
    if (message) {
      hs__buf_lit(b, "<p><strong>");
      hs__html_escape(b, message, strlen(message));
      hs__buf_lit(b, "</strong></p>\n");
    }
    if (*summary) {
      hs__buf_lit(b, "<p>");
      hs__html_escape(b, summary, strlen(summary));
      hs__buf_lit(b, "</p>\n");
    }
    if (vendor) {
      hs__buf_str(b, neg.lang == HS_LANG_ZH ? "<p>厂商：" : "<p>Vendor: ");
      hs__html_escape(b, vendor, strlen(vendor));
      hs__buf_lit(b, "</p>\n");
    }
    if (spec) {
      hs__buf_lit(b, "<p><small>");
      hs__html_escape(b, spec, strlen(spec));
      hs__buf_lit(b, "</small></p>\n");
    }
    hs__buf_lit(b, "</body></html>\n");
    break;
  }
}

void hs__render_global_init(void) {
  for (int code = 100; code <= 599; code++) {
    const hs_status_t *rec = hs__status_record(code);
    if (!rec)
      continue;
    for (int f = 0; f < HS_FMT_COUNT; f++)
      for (int l = 0; l < HS_LANG_COUNT; l++) {
        hs__buf_t b;
        hs__buf_init(&b, NULL);
        render(&b, code, rec, (hs__neg_t){(hs__fmt_t)f, (hs_lang_t)l}, NULL);
        /* shrink to fit: these live for the whole process */
        char *p = malloc(b.len ? b.len : 1);
        if (!p)
          abort();
        memcpy(p, b.base, b.len);
        cache[code - 100][f][l] = (hs__str_t){p, b.len};
        hs__buf_release(&b);
      }
  }
}

hs__str_t hs__render_status(int code, hs__neg_t neg, hs__buf_t *scratch) {
  if (code >= 100 && code <= 599) {
    hs__str_t s = cache[code - 100][neg.fmt][neg.lang];
    if (s.ptr)
      return s;
  }
  scratch->len = 0;
  render(scratch, code, hs__status_record(code), neg, NULL);
  return (hs__str_t){scratch->base, scratch->len};
}

hs__str_t hs__render_status_as(int code, const hs_status_t *rec, hs__neg_t neg,
                               hs__buf_t *scratch) {
  if (rec == hs__status_record(code))
    return hs__render_status(code, neg, scratch);
  scratch->len = 0;
  render(scratch, code, rec, neg, NULL);
  return (hs__str_t){scratch->base, scratch->len};
}

void hs__render_message(hs__buf_t *b, hs__neg_t neg, int code, const char *message) {
  render(b, code, hs_lookup(HS_NS_HTTP, code), neg, message);
}
