/* FTP reply writer (RFC 959 §4.2): one-line and multi-line replies, the text
 * taken from the registry in the session's language. */
#include <string.h>

#include "ftp/ftp.h"

/* Appends s (n bytes) with CR, LF and NUL turned into spaces: a reply line
 * must never end early or carry a second line. */
static void append_clean(hs__buf_t *out, const char *s, size_t n) {
  char *d = hs__buf_reserve(out, n);
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    d[i] = (c == '\r' || c == '\n' || c == 0) ? ' ' : c;
  }
  out->len += n;
}

static void append_code(hs__buf_t *out, int code, char sep) {
  char c[4] = {(char)('0' + code / 100 % 10), (char)('0' + code / 10 % 10), (char)('0' + code % 10),
               sep};
  hs__buf_append(out, c, 4);
}

/* The registry's phrase for FTP `code` (English if `lang` lacks one). */
static const char *phrase(int code, hs_lang_t lang) {
  const hs_status_t *r = hs_lookup(HS_NS_FTP, code);
  const char *p = r ? hs_status_text(r, HS_TEXT_PHRASE, lang) : NULL;
  return p ? p : "";
}

void hs__ftp_reply(hs__buf_t *out, int code, hs_lang_t lang, const char *detail) {
  append_code(out, code, ' ');
  hs__buf_str(out, phrase(code, lang));
  if (detail && *detail) {
    hs__buf_lit(out, " (");
    append_clean(out, detail, strlen(detail));
    hs__buf_lit(out, ")");
  }
  hs__buf_lit(out, "\r\n");
}

void hs__ftp_reply_raw(hs__buf_t *out, int code, const char *text) {
  append_code(out, code, ' ');
  append_clean(out, text, strlen(text));
  hs__buf_lit(out, "\r\n");
}

void hs__ftp_reply_multi(hs__buf_t *out, int code, const char *first, const char *const *lines,
                         size_t n, const char *last) {
  append_code(out, code, '-');
  append_clean(out, first, strlen(first));
  hs__buf_lit(out, "\r\n");
  /* RFC 959 §4.2: inner lines must not look like "NNN " (a leading space) */
  for (size_t i = 0; i < n; i++) {
    hs__buf_lit(out, " ");
    append_clean(out, lines[i], strlen(lines[i]));
    hs__buf_lit(out, "\r\n");
  }
  append_code(out, code, ' ');
  append_clean(out, last, strlen(last));
  hs__buf_lit(out, "\r\n");
}
