/* Forwarded messages (forward.h). */
#include "gateway/forward.h"

#include <string.h>

#define LIT(b, s) hs__buf_append((b), (s), sizeof(s) - 1)

static void put(hs__buf_t *b, hs__str_t s) { hs__buf_append(b, s.ptr, s.len); }

/* Calls fn for each member of a comma-separated list value (OWS trimmed). */
static int list_has(hs__str_t v, hs__str_t want) {
  const char *s = v.ptr, *e = v.ptr + v.len;
  while (s < e) {
    const char *c = memchr(s, ',', (size_t)(e - s));
    const char *me = c ? c : e;
    while (s < me && (*s == ' ' || *s == '\t'))
      s++;
    const char *te = me;
    while (te > s && (te[-1] == ' ' || te[-1] == '\t'))
      te--;
    /* a CDN-Loop member may carry parameters: compare the id before ';' */
    const char *semi = memchr(s, ';', (size_t)(te - s));
    if (semi)
      te = semi;
    while (te > s && (te[-1] == ' ' || te[-1] == '\t'))
      te--;
    if (hs__str_ieq((hs__str_t){s, (size_t)(te - s)}, want.ptr, want.len))
      return 1;
    s = c ? c + 1 : e;
  }
  return 0;
}

int hs__gw_hop_by_hop(hs__str_t name, const hs__hdr_t *fields, size_t n) {
  static const char *const hop[] = {"connection", "proxy-connection",  "keep-alive",
                                    "te",         "transfer-encoding", "upgrade"};
  for (size_t i = 0; i < sizeof(hop) / sizeof(hop[0]); i++)
    if (hs__str_ieq(name, hop[i], strlen(hop[i])))
      return 1;
  for (size_t i = 0; i < n; i++)
    if (hs__str_ieq(fields[i].name, "connection", 10) && list_has(fields[i].value, name))
      return 1;
  return 0;
}

int hs__gw_loop_seen(const hs__hdr_t *fields, size_t n, hs__str_t id) {
  for (size_t i = 0; i < n; i++)
    if (hs__str_ieq(fields[i].name, "cdn-loop", 8) && list_has(fields[i].value, id))
      return 1;
  return 0;
}

int hs__gw_max_forwards(const hs__hdr_t *fields, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (!hs__str_ieq(fields[i].name, "max-forwards", 12))
      continue;
    hs__str_t v = fields[i].value;
    if (!v.len || v.len > 9)
      return -1;
    int m = 0;
    for (size_t k = 0; k < v.len; k++) {
      if (v.ptr[k] < '0' || v.ptr[k] > '9')
        return -1;
      m = m * 10 + (v.ptr[k] - '0');
    }
    return m;
  }
  return -1;
}

/* Appends ", " + v to an existing list field, or starts it. */
static void list_field(hs__buf_t *b, const char *name, const hs__hdr_t *fields, size_t n,
                       hs__str_t add) {
  hs__buf_str(b, name);
  LIT(b, ": ");
  size_t nlen = strlen(name);
  int any = 0;
  for (size_t i = 0; i < n; i++)
    if (hs__str_ieq(fields[i].name, name, nlen)) {
      if (any)
        LIT(b, ", ");
      put(b, fields[i].value);
      any = 1;
    }
  if (any)
    LIT(b, ", ");
  put(b, add);
  LIT(b, "\r\n");
}

void hs__gw_build_request(hs__buf_t *out, const hs__gw_fwd_t *f) {
  put(out, f->method);
  LIT(out, " ");
  put(out, f->target);
  LIT(out, " HTTP/1.1\r\nHost: ");
  put(out, f->host);
  LIT(out, "\r\n");
  static const char *const ours[] = {"host",
                                     "content-length",
                                     "via",
                                     "cdn-loop",
                                     "forwarded",
                                     "x-forwarded-for",
                                     "x-forwarded-proto",
                                     "x-forwarded-host",
                                     "max-forwards",
                                     "expect"};
  for (size_t i = 0; i < f->nheaders; i++) {
    hs__str_t nm = f->headers[i].name;
    int skip = hs__gw_hop_by_hop(nm, f->headers, f->nheaders);
    for (size_t k = 0; !skip && k < sizeof(ours) / sizeof(ours[0]); k++)
      skip = hs__str_ieq(nm, ours[k], strlen(ours[k]));
    if (skip)
      continue;
    put(out, nm);
    LIT(out, ": ");
    put(out, f->headers[i].value);
    LIT(out, "\r\n");
  }
  /* RFC 9110 §7.6.3: Via names the protocol we received and us */
  list_field(out, "Via", f->headers, f->nheaders, HS_STR("1.1 httpstatus"));
  list_field(out, "CDN-Loop", f->headers, f->nheaders, f->loop_id);
  /* RFC 7239 §4: for= is a node; an IPv6 address goes in quotes and brackets */
  hs__buf_t fw;
  hs__buf_init(&fw, NULL);
  LIT(&fw, "for=");
  int v6 = memchr(f->client_addr.ptr, ':', f->client_addr.len) != NULL;
  if (v6)
    LIT(&fw, "\"[");
  put(&fw, f->client_addr);
  if (v6)
    LIT(&fw, "]\"");
  LIT(&fw, ";proto=");
  put(&fw, f->proto);
  if (f->client_host.len) {
    LIT(&fw, ";host=\"");
    for (size_t k = 0; k < f->client_host.len; k++) {
      char c = f->client_host.ptr[k];
      if (c == '"' || c == '\\')
        LIT(&fw, "\\");
      hs__buf_append(&fw, &c, 1);
    }
    LIT(&fw, "\"");
  }
  list_field(out, "Forwarded", f->headers, f->nheaders, (hs__str_t){fw.base, fw.len});
  hs__buf_release(&fw);
  list_field(out, "X-Forwarded-For", f->headers, f->nheaders, f->client_addr);
  LIT(out, "X-Forwarded-Proto: ");
  put(out, f->proto);
  LIT(out, "\r\n");
  if (f->client_host.len) {
    LIT(out, "X-Forwarded-Host: ");
    put(out, f->client_host);
    LIT(out, "\r\n");
  }
  if (f->max_forwards >= 0) {
    LIT(out, "Max-Forwards: ");
    hs__buf_u64(out, (uint64_t)f->max_forwards);
    LIT(out, "\r\n");
  }
  if (f->streamed) {
    if (f->chunked)
      LIT(out, "Transfer-Encoding: chunked\r\n");
    else {
      LIT(out, "Content-Length: ");
      hs__buf_u64(out, f->length);
      LIT(out, "\r\n");
    }
    LIT(out, "\r\n");
    return;
  }
  if (f->has_body || f->body_len) {
    LIT(out, "Content-Length: ");
    hs__buf_u64(out, f->body_len);
    LIT(out, "\r\n");
  }
  LIT(out, "\r\n");
  if (f->body_len)
    hs__buf_append(out, f->body, f->body_len);
}

void hs__gw_chunk_line(hs__buf_t *out, size_t n) {
  if (!n) {
    LIT(out, "0\r\n\r\n");
    return;
  }
  static const char hex[] = "0123456789abcdef";
  char t[20];
  size_t k = sizeof(t);
  t[--k] = '\n';
  t[--k] = '\r';
  do {
    t[--k] = hex[n & 15];
    n >>= 4;
  } while (n);
  hs__buf_append(out, t + k, sizeof(t) - k);
}
