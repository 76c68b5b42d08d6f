/* The chunk-size line of a chunked request body (RFC 9112 §7.1, §7.1.1),
 * read here rather than by llhttp: Debian's llhttp 8.1 refuses valid chunk
 * extensions (two with values, "5;a=b;c=d", and the optional whitespace of
 * "5 ;a=b" or "5; a=b"), which a recipient MUST ignore. Each line is checked
 * against the grammar, its extensions counted against --max-chunk-ext and
 * dropped, and llhttp is handed the bare "HEX CRLF" it accepts. The line is
 * read byte by byte into a small state, so it never has to sit whole in the
 * read buffer. */
#include <string.h>

#include "server/http1/h1_internal.h"

#define MAX_SIZE_CHARS 64  /* leading zeros included */
#define MAX_SIZE_DIGITS 16 /* significant hex digits: 64 bits */

/* Where the scanner is in chunk-size [ chunk-ext ] CRLF, with
 * chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ). */
enum {
  CL_SIZE0 = 0, /* no digit yet */
  CL_SIZE,      /* in the hex digits */
  CL_BWS_SEMI,  /* whitespace that must be followed by ';' */
  CL_BWS_NAME,  /* after ';': whitespace, then a name */
  CL_NAME,      /* in a chunk-ext-name (token) */
  CL_BWS_EQ,    /* after a name: whitespace, then '=' or ';' */
  CL_BWS_VALUE, /* after '=': whitespace, then a token or a quoted-string */
  CL_VALUE,     /* in a token value */
  CL_QUOTED,    /* in a quoted-string value */
  CL_QPAIR,     /* after a backslash in a quoted-string */
  CL_AFTER_QUOTED,
  CL_LF, /* after CR */
};

enum { LINE_MORE, LINE_DONE, LINE_BAD_SIZE, LINE_BAD_EXT, LINE_BAD_EOL, LINE_EXT_TOO_LONG };

static int hex_value(unsigned char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  c |= 0x20;
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int is_ws(unsigned char c) { return c == ' ' || c == '\t'; }

/* qdtext and the second byte of a quoted-pair (RFC 9110 §5.6.4). */
static int is_qdtext(unsigned char c) {
  return c == '\t' || c == ' ' || c == 0x21 || (c >= 0x23 && c <= 0x5b) ||
         (c >= 0x5d && c <= 0x7e) || c >= 0x80;
}
static int is_quoted_pair_char(unsigned char c) {
  return c == '\t' || c == ' ' || (c >= 0x21 && c <= 0x7e) || c >= 0x80;
}

/* One byte of an extension: the state that follows, or -1 if it breaks the
 * grammar. CR ends the line from the states where an extension may end. */
static int ext_step(int st, unsigned char c) {
  switch (st) {
  case CL_BWS_SEMI:
    return is_ws(c) ? st : c == ';' ? CL_BWS_NAME : -1;
  case CL_BWS_NAME:
    return is_ws(c) ? st : hs__is_tchar(c) ? CL_NAME : -1;
  case CL_NAME:
    if (hs__is_tchar(c))
      return st;
    return is_ws(c)    ? CL_BWS_EQ
           : c == '='  ? CL_BWS_VALUE
           : c == ';'  ? CL_BWS_NAME
           : c == '\r' ? CL_LF
                       : -1;
  case CL_BWS_EQ:
    return is_ws(c) ? st : c == '=' ? CL_BWS_VALUE : c == ';' ? CL_BWS_NAME : -1;
  case CL_BWS_VALUE:
    return is_ws(c) ? st : c == '"' ? CL_QUOTED : hs__is_tchar(c) ? CL_VALUE : -1;
  case CL_VALUE:
    if (hs__is_tchar(c))
      return st;
    /* after a value, as after a closing quote */
    __attribute__((fallthrough));
  case CL_AFTER_QUOTED:
    return is_ws(c) ? CL_BWS_SEMI : c == ';' ? CL_BWS_NAME : c == '\r' ? CL_LF : -1;
  case CL_QUOTED:
    return c == '"' ? CL_AFTER_QUOTED : c == '\\' ? CL_QPAIR : is_qdtext(c) ? st : -1;
  case CL_QPAIR:
    return is_quoted_pair_char(c) ? CL_QUOTED : -1;
  default:
    return -1;
  }
}

/* Scans the line from *pp (state kept in h->m across reads). Returns
 * LINE_MORE with *pp == end, LINE_DONE with *pp just past the LF, or a
 * LINE_BAD_* / LINE_EXT_TOO_LONG refusal. */
static int scan_line(hs__h1_t *h, const char **pp, const char *end) {
  struct hs_h1_chunk_line_s *cl = &MS(h)->chunk_line;
  size_t ext_max = h->ctx->cfg->max_chunk_ext;
  const char *p = *pp;
  int st = cl->state, rc = LINE_MORE;
  for (; p < end; p++) {
    unsigned char c = (unsigned char)*p;
    if (st == CL_SIZE0 || st == CL_SIZE) {
      if (hex_value(c) >= 0) {
        if (++cl->size_chars > MAX_SIZE_CHARS)
          return LINE_BAD_SIZE;
        if (cl->ndigits || c != '0') {
          if (cl->ndigits == MAX_SIZE_DIGITS)
            return LINE_BAD_SIZE; /* over 64 bits */
          cl->digits[cl->ndigits++] = (char)c;
        }
        st = CL_SIZE;
        continue;
      }
      if (st == CL_SIZE0)
        return LINE_BAD_SIZE;
      if (c == '\r') {
        st = CL_LF;
        continue;
      }
      if (!is_ws(c) && c != ';')
        return LINE_BAD_SIZE;
      st = c == ';' ? CL_BWS_NAME : CL_BWS_SEMI;
    } else if (st == CL_LF) {
      if (c != '\n')
        return LINE_BAD_EOL;
      p++;
      rc = LINE_DONE;
      break;
    } else {
      st = ext_step(st, c);
      if (st < 0)
        return c == '\n' ? LINE_BAD_EOL : LINE_BAD_EXT;
      if (st == CL_LF)
        continue;
    }
    if (++MS(h)->chunk_ext_bytes > ext_max) /* RFC 9112 §7.1.1: limit them, 4xx */
      return LINE_EXT_TOO_LONG;
  }
  cl->state = (uint8_t)st;
  *pp = p;
  return rc;
}

int hs__h1_chunk_line(hs__h1_t *h, const char **pp, const char *end) {
  int rc = scan_line(h, pp, end);
  if (rc == LINE_MORE)
    return 0;
  if (rc != LINE_DONE) {
    static const char *const why[] = {
        [LINE_BAD_SIZE] = "Invalid chunk size in a chunked request body.",
        [LINE_BAD_EXT] = "Malformed chunk extension (RFC 9112 §7.1.1).",
        [LINE_BAD_EOL] = "Bare CR or missing CRLF: lines must end with CRLF.",
        [LINE_EXT_TOO_LONG] = NULL /* the table's (http/admission.h) */};
    if (rc == LINE_EXT_TOO_LONG)
      hs__h1_answer_error(h, 413, hs__refusal_msg(HS__R_CHUNK_EXT_TOO_LONG));
    else
      hs__h1_answer_error(h, 400, why[rc]);
    *pp = end;
    return 0;
  }
  struct hs_h1_chunk_line_s *cl = &MS(h)->chunk_line;
  char line[MAX_SIZE_DIGITS + 3];
  size_t n = cl->ndigits;
  memcpy(line, cl->digits, n);
  if (!n)
    line[n++] = '0';
  line[n++] = '\r';
  line[n++] = '\n';
  memset(cl, 0, sizeof(*cl));
  MS(h)->chunk_line_due = 0;
  /* llhttp now reads the chunk's data (or the trailer section) from rbuf */
  llhttp_errno_t e = llhttp_execute(&h->parser, line, n);
  if (e != HPE_OK) {
    hs__h1_protocol_error(h, e, end);
    *pp = end;
    return 0;
  }
  return 1;
}
