/* go-httpbin's /dump/request text (Go's httputil.DumpRequest). */
#include "httpbin/dump.h"

#include <stdlib.h>
#include <string.h>

/* Go's textproto.CanonicalMIMEHeaderKey: upper case first and after '-',
 * lower case elsewhere; names with other than token characters unchanged. */
static void go_canonical(const char *s, size_t n, char *out) {
  int tok = 1;
  for (size_t i = 0; i < n; i++)
    if (!hs__is_tchar((unsigned char)s[i]))
      tok = 0;
  int upper = 1;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (tok) {
      if (upper && c >= 'a' && c <= 'z')
        c = (char)(c - 32);
      else if (!upper && c >= 'A' && c <= 'Z')
        c = (char)(c + 32);
      upper = c == '-';
    }
    out[i] = c;
  }
}

typedef struct dump_hdr_s {
  char *name; /* canonical name (malloc'd) */
  size_t nlen;
  size_t idx; /* position in the request, to keep the values' order */
  hs__str_t value;
} dump_hdr_t;

static int dump_cmp(const void *a, const void *b) {
  const dump_hdr_t *x = a, *y = b;
  size_t n = x->nlen < y->nlen ? x->nlen : y->nlen;
  int c = memcmp(x->name, y->name, n);
  if (c)
    return c;
  if (x->nlen != y->nlen)
    return x->nlen < y->nlen ? -1 : 1;
  return x->idx < y->idx ? -1 : x->idx > y->idx;
}

int hb_dump_request(const hb_dump_req_t *req, hs__buf_t *b) {
  dump_hdr_t *h = calloc(req->nheaders ? req->nheaders : 1, sizeof *h);
  size_t nh = 0;
  if (!h)
    goto oom;
  for (size_t i = 0; i < req->nheaders; i++) {
    hs__str_t nm = req->headers[i].name;
    if (hs__str_ieq(nm, "Host", 4) || hs__str_ieq(nm, "Transfer-Encoding", 17) ||
        hs__str_ieq(nm, "Trailer", 7))
      continue;
    h[nh].name = malloc(nm.len + 1);
    if (!h[nh].name)
      goto oom;
    go_canonical(nm.ptr, nm.len, h[nh].name);
    h[nh].nlen = nm.len;
    h[nh].idx = i;
    h[nh].value = req->headers[i].value;
    nh++;
  }
  qsort(h, nh, sizeof *h, dump_cmp);
  hs__buf_append(b, req->method_name.ptr, req->method_name.len);
  hs__buf_lit(b, " ");
  hs__buf_append(b, req->target.ptr, req->target.len);
  hs__buf_printf(b, " HTTP/%u.%u\r\n", (unsigned)req->major, (unsigned)req->minor);
  if (req->host.len) {
    hs__buf_lit(b, "Host: ");
    hs__buf_append(b, req->host.ptr, req->host.len);
    hs__buf_lit(b, "\r\n");
  }
  if (req->chunked)
    hs__buf_lit(b, "Transfer-Encoding: chunked\r\n");
  for (size_t i = 0; i < nh; i++) {
    hs__buf_append(b, h[i].name, h[i].nlen);
    hs__buf_lit(b, ": ");
    hs__buf_append(b, h[i].value.ptr, h[i].value.len);
    hs__buf_lit(b, "\r\n");
  }
  hs__buf_lit(b, "\r\n");
  if (req->chunked) {
    if (req->body_len) {
      hs__buf_printf(b, "%zx\r\n", req->body_len);
      hs__buf_append(b, req->body, req->body_len);
      hs__buf_lit(b, "\r\n");
    }
    hs__buf_lit(b, "0\r\n\r\n");
  } else {
    hs__buf_append(b, req->body, req->body_len);
  }
  for (size_t i = 0; i < nh; i++)
    free(h[i].name);
  free(h);
  return 0;
oom:
  for (size_t i = 0; h && i < nh; i++)
    free(h[i].name);
  free(h);
  return -1;
}
