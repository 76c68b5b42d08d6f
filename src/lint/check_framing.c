/* Framing and connection rules: Content-Length, Transfer-Encoding, bodies that
 * must not be, trailers, HTTP/2 connection-specific fields (RFC 9110 §6.4,
 * §6.5, §7.6, §8.6; RFC 9112 §6, §7; RFC 9113 §8.2). */
#include <stdio.h>
#include <string.h>

#include "lint/check.h"

static int is_head(const hs__lmsg_t *m) { return hs__lspan_eq(m->method, "HEAD"); }

static int no_content_status(int s) {
  return (s >= 100 && s < 200) || s == 204 || s == 205 || s == 304;
}

/* Content-Length: every member of every field line. Returns the number of
 * values (0: none) with the first in *cl; sets the invalid/conflict flags. */
static int content_length(const hs__lmsg_t *m, hs__lresult_t *r, int64_t *cl) {
  int count = 0;
  for (size_t i = 0; i < m->nfields; i++) {
    if (!hs__lspan_eq(m->fields[i].name, "Content-Length"))
      continue;
    hs__lspan_t rest = m->fields[i].value, it;
    if (!hs__ltrim(rest).n) {
      hs__lemit(r, HS__L_CL_INVALID, "(empty)", 7);
      return -1;
    }
    while (hs__lnext_item(&rest, &it)) {
      int64_t v;
      if (hs__lnumber(it, &v) < 0) {
        hs__lemit_s(r, HS__L_CL_INVALID, it);
        return -1;
      }
      if (count && v != *cl) {
        hs__lemit_s(r, HS__L_CL_CONFLICT, m->fields[i].value);
        return -1;
      }
      *cl = v;
      count++;
    }
  }
  if (count > 1)
    hs__lemit(r, HS__L_CL_REPEATED, NULL, 0);
  return count;
}

static const char *const known_te[] = {"chunked", "gzip",       "deflate",  "compress",
                                       "x-gzip",  "x-compress", "trailers", NULL};

/* Transfer-Encoding codings. Returns whether the field is present; *chunked
 * is 1 when chunked is the final coding. */
static int transfer_encoding(const hs__lmsg_t *m, hs__lresult_t *r, int *chunked) {
  int present = 0, nchunked = 0, last_chunked = 0;
  for (size_t i = 0; i < m->nfields; i++) {
    if (!hs__lspan_eq(m->fields[i].name, "Transfer-Encoding"))
      continue;
    present = 1;
    hs__lspan_t rest = m->fields[i].value, it;
    while (hs__lnext_item(&rest, &it)) {
      hs__lspan_t name = it;
      const char *semi = memchr(it.p, ';', it.n);
      if (semi)
        name = hs__ltrim((hs__lspan_t){it.p, (size_t)(semi - it.p)});
      int known = 0;
      for (size_t k = 0; known_te[k]; k++)
        known |= hs__lspan_eq(name, known_te[k]);
      if (!known)
        hs__lemit_s(r, HS__L_TE_UNKNOWN, it);
      last_chunked = hs__lspan_eq(name, "chunked");
      nchunked += last_chunked;
    }
  }
  if (nchunked > 1)
    hs__lemit(r, HS__L_TE_CHUNKED_TWICE, NULL, 0);
  if (present && !last_chunked && m->vmaj == 1)
    hs__lemit(r, HS__L_TE_CHUNKED_NOT_LAST, NULL, 0);
  *chunked = last_chunked;
  return present;
}

static const char *const trailer_forbidden[] = {"content-length",
                                                "transfer-encoding",
                                                "host",
                                                "cache-control",
                                                "expires",
                                                "content-type",
                                                "content-encoding",
                                                "content-range",
                                                "trailer",
                                                "authorization",
                                                "set-cookie",
                                                "www-authenticate",
                                                "age",
                                                "proxy-authenticate",
                                                "te",
                                                "max-forwards",
                                                "pragma",
                                                "date",
                                                "location",
                                                "retry-after",
                                                "vary",
                                                "connection",
                                                "upgrade",
                                                NULL};

static void trailers(const hs__lmsg_t *m, hs__lresult_t *r, int chunked) {
  const hs__lfield_t *t = HS__LGET(m, "Trailer");
  if (!t)
    return;
  if (m->vmaj == 1 && m->vmin == 0)
    hs__lemit_s(r, HS__L_TRAILER_HTTP10, t->value);
  else if (m->vmaj == 1 && !chunked)
    hs__lemit_s(r, HS__L_TRAILER_NOT_CHUNKED, t->value);
  for (size_t i = 0; i < m->nfields; i++) {
    if (!hs__lspan_eq(m->fields[i].name, "Trailer"))
      continue;
    hs__lspan_t rest = m->fields[i].value, it;
    while (hs__lnext_item(&rest, &it))
      for (size_t k = 0; trailer_forbidden[k]; k++)
        if (hs__lspan_eq(it, trailer_forbidden[k]))
          hs__lemit_s(r, HS__L_TRAILER_FORBIDDEN_FIELD, it);
  }
}

static const char *const h2_conn_fields[] = {"connection",        "keep-alive", "proxy-connection",
                                             "transfer-encoding", "upgrade",    NULL};
static const char *const end_to_end[] = {
    "content-length", "content-type", "content-encoding", "cache-control", "date",    "etag",
    "last-modified",  "location",     "set-cookie",       "vary",          "expires", NULL};

static void connection(const hs__lmsg_t *m, hs__lresult_t *r) {
  if (m->vmaj >= 2) {
    for (size_t i = 0; i < m->nfields; i++) {
      const hs__lfield_t *f = &m->fields[i];
      for (size_t k = 0; h2_conn_fields[k]; k++)
        if (hs__lspan_eq(f->name, h2_conn_fields[k]))
          hs__lemit_s(r, HS__L_H2_CONNECTION_FIELD, f->name);
      for (size_t k = 0; k < f->name.n; k++)
        if (f->name.p[k] >= 'A' && f->name.p[k] <= 'Z') {
          hs__lemit_s(r, HS__L_H2_UPPERCASE_FIELD, f->name);
          break;
        }
    }
    if (m->status == 101)
      hs__lemit(r, HS__L_H2_101, NULL, 0);
    return;
  }
  if (m->vmaj != 1)
    return;
  if (m->vmin == 1 && hs__lhas_token(m->fields, m->nfields, "Connection", "keep-alive"))
    hs__lemit(r, HS__L_CONNECTION_KEEP_ALIVE_11, NULL, 0);
  const hs__lfield_t *ka = HS__LGET(m, "Keep-Alive");
  if (ka && m->vmin == 1)
    hs__lemit_s(r, HS__L_KEEP_ALIVE_FIELD, ka->value);
  const hs__lfield_t *up = HS__LGET(m, "Upgrade");
  if (up && !hs__lhas_token(m->fields, m->nfields, "Connection", "upgrade"))
    hs__lemit_s(r, HS__L_UPGRADE_NO_CONNECTION, up->value);
  for (size_t k = 0; end_to_end[k]; k++)
    if (hs__lhas_token(m->fields, m->nfields, "Connection", end_to_end[k]))
      hs__lemit(r, HS__L_CONNECTION_LISTS_END_TO_END, end_to_end[k], strlen(end_to_end[k]));
}

/* RFC 9112 §6.3: how the body is delimited, and whether what arrived fits. */
void hs__lcheck_framing(const hs__lmsg_t *m, hs__lresult_t *r) {
  int64_t cl = -1;
  int ncl = content_length(m, r, &cl);
  int chunked = 0;
  int te = transfer_encoding(m, r, &chunked);
  int s = m->status;
  if (te && ncl)
    hs__lemit(r, HS__L_CL_WITH_TE, NULL, 0);
  if (te && m->vmaj == 1 && m->vmin == 0)
    hs__lemit(r, HS__L_TE_HTTP10, NULL, 0);
  if (te && ((s >= 100 && s < 200) || s == 204))
    hs__lemit(r, HS__L_TE_FORBIDDEN_STATUS, NULL, 0);
  if (ncl && ((s >= 100 && s < 200) || s == 204))
    hs__lemit(r, HS__L_CL_FORBIDDEN_STATUS, NULL, 0);
  int has_body = m->body_seen || m->body_len > 0;
  if (no_content_status(s) && has_body)
    hs__lemit(r, HS__L_BODY_FORBIDDEN, NULL, 0);
  else if (is_head(m) && has_body)
    hs__lemit(r, HS__L_BODY_HEAD, NULL, 0);
  int framed_body = !no_content_status(s) && !is_head(m);
  if (framed_body && ncl == 1 && !te && m->body_len >= 0 && m->body_len != cl) {
    char d[64];
    int n = snprintf(d, sizeof d, "declared %lld, received %lld", (long long)cl,
                     (long long)m->body_len);
    hs__lemit(r, HS__L_CL_BODY_MISMATCH, d, (size_t)n);
  }
  if (framed_body && m->vmaj == 1 && !ncl && !te && has_body)
    hs__lemit(r, HS__L_BODY_NO_LENGTH, NULL, 0);
  trailers(m, r, chunked);
  connection(m, r);
  if (m->header_bytes > 8192) {
    char d[32];
    int n = snprintf(d, sizeof d, "%zu bytes", m->header_bytes);
    hs__lemit(r, HS__L_HEADER_SECTION_LARGE, d, (size_t)n);
  }
}
