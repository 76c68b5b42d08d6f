/* Printing lint findings, as text for people and JSON for programs; shared by
 * `httpstatus lint` and `httpstatus check`. */
#include <string.h>

#include "cli/companion.h"

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n) {
  size_t len = s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
  if (!len || len > n)
    return 0;
  for (size_t i = 1; i < len; i++)
    if ((s[i] & 0xC0) != 0x80)
      return 0;
  if ((len == 3 && s[0] == 0xE0 && s[1] < 0xA0) || (len == 3 && s[0] == 0xED && s[1] >= 0xA0) ||
      (len == 4 && s[0] == 0xF0 && s[1] < 0x90) || (len == 4 && s[0] == 0xF4 && s[1] >= 0x90))
    return 0;
  return len;
}

void hs__json_strn(FILE *out, const char *s, size_t n) {
  fputc('"', out);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') {
      fprintf(out, "\\%c", c);
    } else if (c == '\n') {
      fputs("\\n", out);
    } else if (c < 0x20 || c == 0x7f) {
      fprintf(out, "\\u%04x", c);
    } else if (c < 0x80) {
      fputc(c, out);
    } else {
      size_t l = utf8_len((const unsigned char *)s + i, n - i);
      if (!l) {
        fputs("\\ufffd", out); /* a byte that is not UTF-8: the replacement character */
        continue;
      }
      fwrite(s + i, 1, l, out);
      i += l - 1;
    }
  }
  fputc('"', out);
}

void hs__json_str(FILE *out, const char *s) {
  if (!s)
    fputs("null", out);
  else
    hs__json_strn(out, s, strlen(s));
}

int hs__sev_parse(const char *s) {
  if (!s)
    return -1;
  if (!strcmp(s, "error"))
    return HS__LSEV_ERROR;
  if (!strcmp(s, "warning"))
    return HS__LSEV_WARNING;
  if (!strcmp(s, "info"))
    return HS__LSEV_INFO;
  return -1;
}

const char *hs__code_meaning(int code, hs_lang_t lang) {
  const hs_status_t *r = hs_lookup(HS_NS_HTTP, code);
  if (!r) {
    const hs_status_t *v[1];
    if (hs_vendor_meanings(code, v, 1) > 0)
      r = v[0];
  }
  return r ? hs_status_text(r, HS_TEXT_SUMMARY, lang) : NULL;
}

void hs__print_findings(FILE *out, hs__out_t *o, const hs__lresult_t *res) {
  int li = o->lang == HS_LANG_ZH ? 1 : 0;
  int first = 1;
  if (o->json)
    fputc('[', out);
  for (size_t i = 0; i < res->n; i++) {
    const hs__lint_rule_t *r = &hs__lint_rules[res->v[i].rule];
    o->counts[r->sev]++;
    if (o->worst < 0 || (int)r->sev < o->worst)
      o->worst = (int)r->sev;
    if ((int)r->sev > o->min_show)
      continue;
    if (o->json) {
      fputs(first ? "\n" : ",\n", out);
      fputs("      {\"id\": ", out);
      hs__json_str(out, r->id);
      fprintf(out, ", \"severity\": \"%s\", \"category\": ", hs__lint_sev_name(r->sev));
      hs__json_str(out, r->category);
      fputs(", \"spec\": ", out);
      hs__json_str(out, r->spec);
      fputs(", \"title\": ", out);
      hs__json_str(out, r->title[li]);
      fputs(", \"text\": ", out);
      hs__json_str(out, r->text[li]);
      fputs(", \"detail\": ", out);
      hs__json_str(out, res->v[i].detail[0] ? res->v[i].detail : NULL);
      fputc('}', out);
    } else {
      fprintf(out, "  %-7s %s: %s (%s)", hs__lint_sev_name(r->sev), r->id, r->title[li], r->spec);
      if (res->v[i].detail[0])
        fprintf(out, " [%s]", res->v[i].detail);
      fprintf(out, "\n          %s\n", r->text[li]);
    }
    first = 0;
  }
  if (o->json)
    fputs(first ? "]" : "\n    ]", out);
  else if (first)
    fputs(li ? "  没有发现问题\n" : "  no findings\n", out);
}
