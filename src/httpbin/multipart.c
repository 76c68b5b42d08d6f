/* multipart/form-data bodies (RFC 7578; delimiters per RFC 2046 §5.1.1),
 * parsed the way Werkzeug 2.2's MultipartDecoder does so that httpbin's
 * answers can be reproduced:
 *  - the first delimiter "--boundary" may appear anywhere in the preamble; a
 *    later one must follow a line break (CRLF, LF or CR);
 *  - a delimiter line may carry trailing blanks (SP, HT, VT, FF); "--boundary--"
 *    ends the body, its line break is optional and the epilogue is ignored;
 *  - part headers end at the first CRLFCRLF, CRCR or LFLF; folded lines are
 *    joined; every non-empty line must contain ':'; Content-Disposition is
 *    required, and a part with a filename parameter is a file;
 *  - anything else (no closing delimiter, missing header block, undecodable
 *    header) makes the whole body malformed. */
#include <string.h>
#include <strings.h>

#include "base/sbuf.h"
#include "base/utf8.h"
#include "httpbin/form.h"
#include "httpbin/multidict.h"
#include "httpbin/params.h"

#define DEFAULT_MAX_PARTS 1000
#define DEFAULT_MAX_PART_HEADER 16384
#define MAX_BOUNDARY 256 /* RFC 2046 allows 70; be generous, but bounded */

static int is_blank(unsigned char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f'; }

/* Length of the line break at s[i] (CRLF, LF or CR), or 0. */
static size_t linebreak(const char *s, size_t i, size_t n) {
  if (i >= n)
    return 0;
  if (s[i] == '\r')
    return (i + 1 < n && s[i + 1] == '\n') ? 2 : 1;
  return s[i] == '\n';
}

/* After a "--boundary" ending at s[i]: the rest of the delimiter line. Returns
 * the index just past it and sets *last for the close delimiter, or 0 if what
 * follows does not make a delimiter line. */
static size_t delim_tail(const char *s, size_t i, size_t n, int *last) {
  if (i + 1 < n && s[i] == '-' && s[i + 1] == '-') {
    i += 2;
    while (i < n && is_blank((unsigned char)s[i]))
      i++;
    *last = 1;
    return i + linebreak(s, i, n);
  }
  while (i < n && is_blank((unsigned char)s[i]))
    i++;
  size_t lb = linebreak(s, i, n);
  if (!lb)
    return 0;
  *last = 0;
  return i + lb;
}

/* Finds the next delimiter at or after `from`. With need_lb a line break must
 * precede it (the break is part of the delimiter, RFC 2046 §5.1.1). Sets
 * *start (where the preceding content ends), *next (first byte after the
 * delimiter line) and *last; returns 1, or 0 if there is none. */
static int find_delim(const char *s, size_t n, size_t from, const char *d, size_t dl, int need_lb,
                      size_t *start, size_t *next, int *last) {
  size_t i = from;
  while (i + dl <= n) {
    const char *hit = memmem(s + i, n - i, d, dl);
    if (!hit)
      return 0;
    size_t h = (size_t)(hit - s), b = h;
    if (h >= from + 1 && s[h - 1] == '\n')
      b = (h >= from + 2 && s[h - 2] == '\r') ? h - 2 : h - 1;
    else if (h >= from + 1 && s[h - 1] == '\r')
      b = h - 1;
    if (b != h || !need_lb) {
      size_t e = delim_tail(s, h + dl, n, last);
      if (e) {
        *start = b;
        *next = e;
        return 1;
      }
    }
    i = h + 1;
  }
  return 0;
}

/* Position of the first blank line (\r\n\r\n, \r\r, \n\n) at or after i; sets
 * *len to its length. Returns n if none. */
static size_t find_blank_line(const char *s, size_t i, size_t n, size_t *len) {
  for (; i + 1 < n; i++) {
    if (s[i] == '\r' && i + 3 < n && s[i + 1] == '\n' && s[i + 2] == '\r' && s[i + 3] == '\n') {
      *len = 4;
      return i;
    }
    if ((s[i] == '\r' || s[i] == '\n') && s[i + 1] == s[i]) {
      *len = 2;
      return i;
    }
  }
  return n;
}

typedef struct part_s {
  hs__sbuf_t disp;  /* Content-Disposition value (first one) */
  hs__sbuf_t ctype; /* Content-Type value (first one) */
  int has_disp, has_ctype;
} part_t;

static void trim(const char **p, const char **e) {
  while (*p < *e && hs__is_pyspace((unsigned char)**p))
    (*p)++;
  while (*e > *p && hs__is_pyspace((unsigned char)(*e)[-1]))
    (*e)--;
}

/* Parses a part's header block h[0..n) (Werkzeug _parse_headers): folded lines
 * are joined with a space, each other non-empty line is "name: value". Keeps
 * the first Content-Disposition and Content-Type. 0, or an hb_form_err_t. */
static int parse_part_headers(const char *h, size_t n, part_t *pt) {
  if (!hs__utf8_valid(h, n))
    return HB_FORM_EMALFORMED; /* Werkzeug: strict UTF-8 */
  hs__sbuf_t line = HS_SBUF_INIT;
  size_t i = 0;
  int rc = HB_FORM_OK;
  while (i <= n && rc == HB_FORM_OK) {
    line.len = 0;
    /* Gather one logical line: continue over breaks followed by SP/HT. */
    for (;;) {
      size_t j = i;
      while (j < n && h[j] != '\r' && h[j] != '\n')
        j++;
      hs__sbuf_add(&line, h + i, j - i);
      size_t lb = linebreak(h, j, n);
      if (lb && j + lb < n && (h[j + lb] == ' ' || h[j + lb] == '\t')) {
        hs__sbuf_addc(&line, ' ');
        i = j + lb + 1;
        continue;
      }
      i = lb ? j + lb : n + 1;
      break;
    }
    if (line.oom) {
      rc = HB_FORM_ENOMEM;
      break;
    }
    const char *p = line.p ? line.p : "", *e = p + line.len;
    trim(&p, &e);
    if (p == e)
      continue;
    const char *colon = memchr(p, ':', (size_t)(e - p));
    if (!colon) {
      rc = HB_FORM_EMALFORMED;
      break;
    }
    const char *np = p, *ne = colon, *vp = colon + 1, *ve = e;
    trim(&np, &ne);
    trim(&vp, &ve);
    size_t nl = (size_t)(ne - np);
    if (nl == 19 && !strncasecmp(np, "content-disposition", 19) && !pt->has_disp) {
      pt->has_disp = 1;
      hs__sbuf_add(&pt->disp, vp, (size_t)(ve - vp));
    } else if (nl == 12 && !strncasecmp(np, "content-type", 12) && !pt->has_ctype) {
      pt->has_ctype = 1;
      hs__sbuf_add(&pt->ctype, vp, (size_t)(ve - vp));
    }
    if (pt->disp.oom || pt->ctype.oom)
      rc = HB_FORM_ENOMEM;
  }
  hs__sbuf_free(&line);
  if (rc == HB_FORM_OK && !pt->has_disp)
    rc = HB_FORM_EMALFORMED;
  return rc;
}

/* Python's encodings.normalize_encoding() plus lower-casing: runs of
 * characters other than alphanumerics and '.' become one '_', and leading or
 * trailing ones are dropped ("ISO-8859-1" → "iso_8859_1", "latin-" → "latin"). */
static void norm_charset(const char *s, char *out, size_t cap) {
  size_t o = 0;
  int pend = 0;
  for (; *s && o + 2 < cap; s++) {
    unsigned char c = (unsigned char)*s;
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.') {
      if (pend && o)
        out[o++] = '_';
      pend = 0;
      out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    } else {
      pend = 1;
    }
  }
  out[o] = '\0';
}

static int in_list(const char *name, const char *const *list) {
  for (; *list; list++)
    if (!strcmp(name, *list))
      return 1;
  return 0;
}

/* Decodes a field's bytes with the part's charset into a new string value.
 * UTF-8 (the default), ISO-8859-1 and ASCII with CPython's alias names;
 * errors are replaced. Other charsets are read as UTF-8 (CPython would decode
 * them, or answer 500 for names it does not know). */
static json_t *field_value(const part_t *pt, const char *v, size_t n) {
  static const char *const LATIN1[] = {
      "latin_1", "latin1", "latin",      "l1",          "iso_8859_1",      "iso8859_1", "8859",
      "cp819",   "ibm819", "iso_ir_100", "csisolatin1", "iso_8859_1_1987", NULL};
  static const char *const ASCII[] = {"ascii",
                                      "us_ascii",
                                      "us",
                                      "646",
                                      "cp367",
                                      "ibm367",
                                      "csascii",
                                      "iso646_us",
                                      "iso_ir_6",
                                      "ansi_x3.4_1968",
                                      "ansi_x3_4_1968",
                                      "ansi_x3.4_1986",
                                      "iso_646.irv_1991",
                                      NULL};
  hs__sbuf_t cs = HS_SBUF_INIT, out = HS_SBUF_INIT;
  int found =
      pt->has_ctype ? hb__param_find((hs__str_t){pt->ctype.p, pt->ctype.len}, "charset", &cs) : 0;
  if (found == -1) {
    hs__sbuf_free(&cs);
    return NULL;
  }
  char name[64] = "";
  if (found > 0 && cs.p)
    norm_charset(cs.p, name, sizeof name);
  if (in_list(name, LATIN1)) {
    hs__latin1_to_utf8(&out, v, n);
  } else if (in_list(name, ASCII)) {
    for (size_t i = 0; i < n; i++) {
      if ((unsigned char)v[i] < 0x80)
        hs__sbuf_addc(&out, v[i]);
      else
        hs__sbuf_add(&out, "\xEF\xBF\xBD", 3);
    }
  } else {
    hs__utf8_sanitize_to(&out, v, n);
  }
  json_t *r = out.oom ? NULL : json_stringn_nocheck(out.p ? out.p : "", out.len);
  hs__sbuf_free(&cs);
  hs__sbuf_free(&out);
  return r;
}

/* Adds one parsed part to the temporary form/files objects. */
static int add_part(const part_t *pt, const char *v, size_t n, unsigned flags, json_t *form,
                    json_t *files) {
  hs__str_t disp = {pt->disp.p ? pt->disp.p : "", pt->disp.len};
  hs__sbuf_t name = HS_SBUF_INIT, fname = HS_SBUF_INIT;
  int rc = HB_FORM_OK;
  int hn = hb__param_find(disp, "name", &name);
  int hf = hn > 0 ? hb__param_find(disp, "filename", &fname) : 0;
  if (hn == -2 || hf == -2) {
    rc = HB_FORM_EMALFORMED;
  } else if (hn < 0 || hf < 0) {
    rc = HB_FORM_ENOMEM;
  } else if (hn > 0) {
    const char *key = name.p ? name.p : "";
    json_t *val;
    if (hf > 0) {
      hs__str_t ct = {pt->ctype.p, pt->ctype.len};
      val = hb_json_safe(v, n, ct);
      if (hb__multi_add(files, key, name.len, val, flags & HB_FORM_FILES_MULTI))
        rc = HB_FORM_ENOMEM;
    } else {
      val = field_value(pt, v, n);
      if (hb__multi_add(form, key, name.len, val, 1))
        rc = HB_FORM_ENOMEM;
    }
  }
  hs__sbuf_free(&name);
  hs__sbuf_free(&fname);
  return rc;
}

/* Copies every member of src into dst (same multi rules), for the commit at
 * the end: form and files are only touched when the whole body parsed. */
static int merge(json_t *dst, json_t *src) {
  const char *k;
  size_t kl;
  json_t *v;
  void *tmp;
  json_object_keylen_foreach_safe(src, tmp, k, kl, v) {
    if (json_object_setn_nocheck(dst, k, kl, v))
      return HB_FORM_ENOMEM;
  }
  return HB_FORM_OK;
}

int hb_form_multipart(hs__str_t ct, const char *body, size_t len, const hb_form_limits_t *lim,
                      unsigned flags, json_t *form, json_t *files) {
  size_t max_parts = lim && lim->max_parts ? lim->max_parts : DEFAULT_MAX_PARTS;
  size_t max_hdr = lim && lim->max_part_header ? lim->max_part_header : DEFAULT_MAX_PART_HEADER;
  hs__sbuf_t delim = HS_SBUF_INIT;
  hs__sbuf_adds(&delim, "--");
  int found = hb__param_find(ct, "boundary", &delim);
  if (found == -1) {
    hs__sbuf_free(&delim);
    return HB_FORM_ENOMEM;
  }
  if (found != 1 || delim.len == 2 || delim.len > MAX_BOUNDARY + 2) {
    hs__sbuf_free(&delim);
    return HB_FORM_ENOBOUNDARY;
  }
  if (!body)
    body = "";
  json_t *tf = json_object(), *tfi = json_object();
  int rc = (tf && tfi) ? HB_FORM_OK : HB_FORM_ENOMEM;
  size_t start, pos = 0, nparts = 0;
  int last = 0;
  if (rc == HB_FORM_OK && !find_delim(body, len, 0, delim.p, delim.len, 0, &start, &pos, &last))
    rc = HB_FORM_EMALFORMED;
  while (rc == HB_FORM_OK && !last) {
    if (++nparts > max_parts) {
      rc = HB_FORM_ELIMIT;
      break;
    }
    size_t bl, hend = find_blank_line(body, pos, len, &bl);
    if (hend == len) {
      rc = HB_FORM_EMALFORMED;
      break;
    }
    if (hend - pos > max_hdr) {
      rc = HB_FORM_ELIMIT;
      break;
    }
    part_t pt = {HS_SBUF_INIT, HS_SBUF_INIT, 0, 0};
    rc = parse_part_headers(body + pos, hend - pos, &pt);
    size_t dstart = hend + bl, dend = dstart, next = len;
    if (rc == HB_FORM_OK &&
        !find_delim(body, len, dstart, delim.p, delim.len, 1, &dend, &next, &last))
      rc = HB_FORM_EMALFORMED;
    if (rc == HB_FORM_OK)
      rc = add_part(&pt, body + dstart, dend - dstart, flags, tf, tfi);
    hs__sbuf_free(&pt.disp);
    hs__sbuf_free(&pt.ctype);
    pos = next;
  }
  if (rc == HB_FORM_OK)
    rc = merge(form, tf);
  if (rc == HB_FORM_OK)
    rc = merge(files, tfi);
  json_decref(tf);
  json_decref(tfi);
  hs__sbuf_free(&delim);
  return rc;
}
