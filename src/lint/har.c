/* A streaming HAR 1.2 reader: walks log.entries[] and hands each response,
 * with its request, to the lint callback. Only the strings the rules need
 * (method, url, versions, header names and values) are kept, in a per-entry
 * arena of o->max_entry bytes; everything else, content.text included, is
 * skipped as it streams by, so a file of any size reads in bounded memory. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lint/read.h"

#define BUF 65536
#define MAX_HDRS 1000

typedef struct har_s {
  hs__lread_fn rd;
  void *src;
  char *buf;
  size_t pos, len;
  unsigned long long off; /* bytes consumed before buf[pos] */
  int eof;
  char *arena;
  size_t used, cap;
  /* the current entry */
  hs__lfield_t *resp, *req;
  size_t nresp, nreq;
  hs__lspan_t method, url, version, status_text;
  int status;
  int64_t content_size, body_size;
  size_t entries;
  char *err;
  size_t errlen;
  int failed;
} har_t;

static int fail(har_t *h, const char *fmt, ...) {
  if (h->failed)
    return -1;
  h->failed = 1;
  va_list ap;
  va_start(ap, fmt);
  int n = snprintf(h->err, h->errlen, "HAR: byte %llu (entry %zu): ", h->off + h->pos, h->entries);
  if (n >= 0 && (size_t)n < h->errlen)
    vsnprintf(h->err + n, h->errlen - (size_t)n, fmt, ap);
  va_end(ap);
  return -1;
}

/* The next byte without consuming it; -1 at the end, -2 on a read error. */
static int peek(har_t *h) {
  if (h->pos < h->len)
    return (unsigned char)h->buf[h->pos];
  if (h->eof)
    return -1;
  h->off += h->len;
  h->pos = h->len = 0;
  ssize_t n = h->rd(h->src, h->buf, BUF);
  if (n < 0) {
    fail(h, "read error");
    return -2;
  }
  if (n == 0) {
    h->eof = 1;
    return -1;
  }
  h->len = (size_t)n;
  return (unsigned char)h->buf[0];
}

static int get(har_t *h) {
  int c = peek(h);
  if (c >= 0)
    h->pos++;
  return c;
}

static int ws(har_t *h) {
  int c;
  while ((c = peek(h)) == ' ' || c == '\t' || c == '\n' || c == '\r')
    h->pos++;
  return c;
}

static int expect(har_t *h, char want) {
  int c = ws(h);
  if (c != want) {
    if (c == -1)
      return fail(h, "the file ends early (truncated?): expected '%c'", want);
    return c == -2 ? -1 : fail(h, "expected '%c'", want);
  }
  h->pos++;
  return 0;
}

static int arena_put(har_t *h, char c) {
  if (h->used >= h->cap)
    return fail(h, "the entry's headers and URL exceed %zu bytes", h->cap);
  h->arena[h->used++] = c;
  return 0;
}

/* RFC 8259 §7: a string after its opening quote. With keep, its UTF-8 is
 * appended to the arena and *out spans it; otherwise it is skipped. */
static int string(har_t *h, int keep, hs__lspan_t *out) {
  size_t start = h->used;
  for (;;) {
    int c = get(h);
    if (c < 0)
      return c == -1 ? fail(h, "the file ends inside a string (truncated?)") : -1;
    if (c == '"')
      break;
    if (c < 0x20)
      return fail(h, "control character in a string");
    if (c == '\\') {
      int e = get(h);
      unsigned cp = 0;
      switch (e) {
      case '"':
      case '\\':
      case '/':
        cp = (unsigned)e;
        break;
      case 'b':
        cp = '\b';
        break;
      case 'f':
        cp = '\f';
        break;
      case 'n':
        cp = '\n';
        break;
      case 'r':
        cp = '\r';
        break;
      case 't':
        cp = '\t';
        break;
      case 'u':
        for (int i = 0; i < 4; i++) {
          int d = get(h);
          int v = d >= '0' && d <= '9'   ? d - '0'
                  : d >= 'a' && d <= 'f' ? d - 'a' + 10
                  : d >= 'A' && d <= 'F' ? d - 'A' + 10
                                         : -1;
          if (v < 0)
            return fail(h, "bad \\u escape");
          cp = cp * 16 + (unsigned)v;
        }
        if (cp >= 0xD800 && cp <= 0xDFFF)
          cp = 0xFFFD; /* lone or paired surrogates: the rules need no astral text */
        break;
      default:
        return fail(h, "bad escape in a string");
      }
      if (!keep)
        continue;
      if (cp < 0x80) {
        if (arena_put(h, (char)cp) < 0)
          return -1;
      } else if (cp < 0x800) {
        if (arena_put(h, (char)(0xC0 | cp >> 6)) < 0 || arena_put(h, (char)(0x80 | (cp & 63))) < 0)
          return -1;
      } else if (arena_put(h, (char)(0xE0 | cp >> 12)) < 0 ||
                 arena_put(h, (char)(0x80 | ((cp >> 6) & 63))) < 0 ||
                 arena_put(h, (char)(0x80 | (cp & 63))) < 0) {
        return -1;
      }
      continue;
    }
    if (keep && arena_put(h, (char)c) < 0)
      return -1;
  }
  if (keep)
    *out = (hs__lspan_t){h->arena + start, h->used - start};
  return 0;
}

/* A number; *v gets its integer part (fractions and exponents are skipped). */
static int number(har_t *h, int64_t *v) {
  int c = ws(h), neg = 0, digits = 0;
  int64_t x = 0;
  if (c == '-') {
    neg = 1;
    h->pos++;
  }
  while ((c = peek(h)) >= '0' && c <= '9') {
    if (x < 100000000000000LL)
      x = x * 10 + (c - '0');
    digits++;
    h->pos++;
  }
  if (!digits)
    return fail(h, "expected a number");
  while ((c = peek(h)) == '.' || c == 'e' || c == 'E' || c == '+' || c == '-' ||
         (c >= '0' && c <= '9'))
    h->pos++;
  *v = neg ? -x : x;
  return 0;
}

/* Skips any value, nested containers included, without recursion. */
static int skip(har_t *h) {
  int depth = 0;
  do {
    int c = ws(h);
    if (c == '"') {
      h->pos++;
      if (string(h, 0, NULL) < 0)
        return -1;
    } else if (c == '{' || c == '[') {
      h->pos++;
      depth++;
    } else if (c == '}' || c == ']') {
      if (!depth)
        return fail(h, "unexpected '%c'", c);
      h->pos++;
      depth--;
    } else if (c == ',' || c == ':') {
      if (!depth)
        return fail(h, "unexpected '%c'", c);
      h->pos++;
      continue;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      int64_t v;
      if (number(h, &v) < 0)
        return -1;
    } else if (c == 't' || c == 'f' || c == 'n') {
      while ((c = peek(h)) >= 'a' && c <= 'z')
        h->pos++;
    } else {
      return c == -1   ? fail(h, "the file ends early (truncated?)")
             : c == -2 ? -1
                       : fail(h, "unexpected byte 0x%02x", c);
    }
  } while (depth > 0);
  return 0;
}

/* Iterates an object's members: *key receives each key (kept in a small
 * buffer); returns 1 for a member (value not yet read), 0 at '}'. */
static int member(har_t *h, int *first, char *key, size_t cap) {
  int c = ws(h);
  if (c == '}') {
    h->pos++;
    return 0;
  }
  if (!*first && expect(h, ',') < 0)
    return -1;
  *first = 0;
  if (expect(h, '"') < 0)
    return -1;
  size_t mark = h->used;
  hs__lspan_t k;
  if (string(h, 1, &k) < 0)
    return -1;
  size_t n = k.n < cap - 1 ? k.n : cap - 1;
  memcpy(key, k.p, n);
  key[n] = '\0';
  h->used = mark;
  return expect(h, ':') < 0 ? -1 : 1;
}

/* Iterates an array's elements: 1 for an element, 0 at ']'. */
static int element(har_t *h, int *first) {
  int c = ws(h);
  if (c == ']') {
    h->pos++;
    return 0;
  }
  if (!*first && expect(h, ',') < 0)
    return -1;
  *first = 0;
  return 1;
}

static int kept_string(har_t *h, hs__lspan_t *out) {
  int c = ws(h);
  if (c == 'n')
    return skip(h);
  if (expect(h, '"') < 0)
    return -1;
  return string(h, 1, out);
}

/* "headers": [{"name": ..., "value": ...}, ...] */
static int headers(har_t *h, hs__lfield_t *f, size_t *n) {
  if (expect(h, '[') < 0)
    return -1;
  int first = 1, rc;
  while ((rc = element(h, &first)) == 1) {
    if (expect(h, '{') < 0)
      return -1;
    hs__lfield_t fl = {{"", 0}, {"", 0}, 0}; /* absent name or value: empty, never NULL */
    int f1 = 1, m;
    char key[16];
    while ((m = member(h, &f1, key, sizeof key)) == 1) {
      if (!strcmp(key, "name")) {
        if (kept_string(h, &fl.name) < 0)
          return -1;
      } else if (!strcmp(key, "value")) {
        if (kept_string(h, &fl.value) < 0)
          return -1;
      } else if (skip(h) < 0) {
        return -1;
      }
    }
    if (m < 0)
      return -1;
    if (*n >= MAX_HDRS)
      return fail(h, "more than %d header fields", MAX_HDRS);
    /* HTTP/2 pseudo-header fields (":status") are not header fields */
    if (fl.name.n && fl.name.p[0] != ':')
      f[(*n)++] = fl;
  }
  return rc;
}

static int request(har_t *h) {
  if (expect(h, '{') < 0)
    return -1;
  int first = 1, m;
  char key[16];
  while ((m = member(h, &first, key, sizeof key)) == 1) {
    int rc = !strcmp(key, "method")    ? kept_string(h, &h->method)
             : !strcmp(key, "url")     ? kept_string(h, &h->url)
             : !strcmp(key, "headers") ? headers(h, h->req, &h->nreq)
                                       : skip(h);
    if (rc < 0)
      return -1;
  }
  return m;
}

static int content(har_t *h) {
  if (expect(h, '{') < 0)
    return -1;
  int first = 1, m;
  char key[16];
  while ((m = member(h, &first, key, sizeof key)) == 1) {
    int rc = !strcmp(key, "size") ? number(h, &h->content_size) : skip(h);
    if (rc < 0)
      return -1;
  }
  return m;
}

static int response(har_t *h) {
  if (expect(h, '{') < 0)
    return -1;
  int first = 1, m;
  char key[16];
  while ((m = member(h, &first, key, sizeof key)) == 1) {
    int64_t v = 0;
    int rc;
    if (!strcmp(key, "status")) {
      rc = number(h, &v);
      h->status = v >= 0 && v <= 999 ? (int)v : -1;
    } else if (!strcmp(key, "statusText")) {
      rc = kept_string(h, &h->status_text);
    } else if (!strcmp(key, "httpVersion")) {
      rc = kept_string(h, &h->version);
    } else if (!strcmp(key, "headers")) {
      rc = headers(h, h->resp, &h->nresp);
    } else if (!strcmp(key, "content")) {
      rc = content(h);
    } else if (!strcmp(key, "bodySize")) {
      rc = number(h, &h->body_size);
    } else {
      rc = skip(h);
    }
    if (rc < 0)
      return -1;
  }
  return m;
}

/* "HTTP/1.1", "http/2.0", "h2", "h3" → major and minor. */
static void version(hs__lspan_t v, int *maj, int *min) {
  *maj = *min = 0;
  if (v.n == 2 && (v.p[0] == 'h' || v.p[0] == 'H') && v.p[1] >= '2' && v.p[1] <= '3') {
    *maj = v.p[1] - '0';
    return;
  }
  if (v.n >= 6 && !strncasecmp(v.p, "HTTP/", 5) && v.p[5] >= '0' && v.p[5] <= '9') {
    *maj = v.p[5] - '0';
    if (v.n >= 8 && v.p[6] == '.' && v.p[7] >= '0' && v.p[7] <= '9')
      *min = v.p[7] - '0';
  }
}

static int entry(har_t *h, hs__lmsg_cb cb, void *ud) {
  h->used = 0;
  h->nresp = h->nreq = 0;
  h->method = h->url = h->version = h->status_text = (hs__lspan_t){"", 0};
  h->status = -1;
  h->content_size = h->body_size = -1;
  if (expect(h, '{') < 0)
    return -1;
  int first = 1, m;
  char key[16];
  while ((m = member(h, &first, key, sizeof key)) == 1) {
    int rc = !strcmp(key, "request")    ? request(h)
             : !strcmp(key, "response") ? response(h)
                                        : skip(h);
    if (rc < 0)
      return -1;
  }
  if (m < 0)
    return -1;
  hs__lmsg_t msg;
  memset(&msg, 0, sizeof msg);
  if (h->status == 0)
    return 0; /* a request that got no response (blocked, aborted) */
  msg.status = h->status;
  msg.line_ok = h->status >= 0;
  version(h->version, &msg.vmaj, &msg.vmin);
  msg.reason = h->status_text;
  msg.fields = h->resp;
  msg.nfields = h->nresp;
  for (size_t i = 0; i < h->nresp; i++)
    msg.header_bytes += h->resp[i].name.n + h->resp[i].value.n + 4;
  msg.body_len = -1;
  msg.body_seen = h->content_size > 0 || h->body_size > 0;
  msg.final_follows = 1;
  msg.method = h->method;
  msg.target = h->url;
  msg.req_fields = h->req;
  msg.nreq = h->nreq;
  msg.req_known = 1;
  msg.tls = h->url.n >= 6 && !strncasecmp(h->url.p, "https:", 6)  ? 1
            : h->url.n >= 5 && !strncasecmp(h->url.p, "http:", 5) ? 0
                                                                  : -1;
  int rc = cb(ud, &msg, h->entries);
  h->entries++;
  return rc;
}

/* Walks the members down to log.entries (depth 2) and reads each entry. */
static int walk(har_t *h, hs__lmsg_cb cb, void *ud) {
  if (expect(h, '{') < 0)
    return -1;
  int first = 1, m, found = 0;
  char key[16];
  while ((m = member(h, &first, key, sizeof key)) == 1) {
    if (strcmp(key, "log") != 0) {
      if (skip(h) < 0)
        return -1;
      continue;
    }
    if (expect(h, '{') < 0)
      return -1;
    int f2 = 1, m2;
    while ((m2 = member(h, &f2, key, sizeof key)) == 1) {
      if (strcmp(key, "entries") != 0) {
        if (skip(h) < 0)
          return -1;
        continue;
      }
      found = 1;
      if (expect(h, '[') < 0)
        return -1;
      int f3 = 1, e;
      while ((e = element(h, &f3)) == 1) {
        int rc = entry(h, cb, ud);
        if (rc != 0)
          return rc;
      }
      if (e < 0)
        return -1;
    }
    if (m2 < 0)
      return -1;
  }
  if (m < 0)
    return -1;
  if (ws(h) != -1)
    return fail(h, "data after the end of the HAR object");
  if (!found)
    return fail(h, "no log.entries array: not a HAR file");
  return 0;
}

int hs__lread_har(hs__lread_fn rd, void *src, const hs__lread_opts_t *o, hs__lmsg_cb cb, void *ud,
                  char *err, size_t errlen) {
  har_t h;
  memset(&h, 0, sizeof h);
  h.rd = rd;
  h.src = src;
  h.err = err;
  h.errlen = errlen;
  h.cap = o->max_entry;
  h.buf = malloc(BUF);
  h.arena = malloc(h.cap ? h.cap : 1);
  h.resp = malloc(MAX_HDRS * sizeof *h.resp);
  h.req = malloc(MAX_HDRS * sizeof *h.req);
  int rc;
  if (!h.buf || !h.arena || !h.resp || !h.req)
    rc = fail(&h, "out of memory");
  else
    rc = walk(&h, cb, ud);
  if (rc < 0 && !h.failed)
    fail(&h, "malformed JSON");
  free(h.buf);
  free(h.arena);
  free(h.resp);
  free(h.req);
  return rc;
}
