/* HTTP/1 request parsing (RFC 9112) with llhttp: callbacks that turn the
 * bytes of a head into hs__req_t views, the checks that need the whole head,
 * and the mapping of parse errors to precise statuses. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/admission.h"
#include "http/router.h"
#include "server/http1/h1_internal.h"

#define MAX_METHOD_LEN 32 /* longer than any method we implement → 501 */

static int on_message_begin(llhttp_t *p);
static int on_url(llhttp_t *p, const char *at, size_t n);
static int on_url_complete(llhttp_t *p);
static int on_version_complete(llhttp_t *p);
static int on_header_field(llhttp_t *p, const char *at, size_t n);
static int on_header_value(llhttp_t *p, const char *at, size_t n);
static int on_header_value_complete(llhttp_t *p);
static int on_headers_complete(llhttp_t *p);
static int on_body(llhttp_t *p, const char *at, size_t n);
static int on_chunk_header(llhttp_t *p);
static int on_chunk_complete(llhttp_t *p);
static int on_message_complete(llhttp_t *p);

const llhttp_settings_t hs__h1_settings = {
    .on_message_begin = on_message_begin,
    .on_url = on_url,
    .on_url_complete = on_url_complete,
    .on_version_complete = on_version_complete,
    .on_header_field = on_header_field,
    .on_header_value = on_header_value,
    .on_header_value_complete = on_header_value_complete,
    .on_headers_complete = on_headers_complete,
    .on_body = on_body,
    .on_chunk_header = on_chunk_header,
    .on_chunk_complete = on_chunk_complete,
    .on_message_complete = on_message_complete,
};

static const char empty_str[] = "";
static const char slash_str[] = "/";

void hs__h1_parser_init(hs__h1_t *h) {
  llhttp_init(&h->parser, HTTP_REQUEST, &hs__h1_settings);
  h->parser.data = h;
  /* any DIGIT "." DIGIT: on_version_complete decides (RFC 9110 §2.5) */
  h->parser.lenient_flags |= LENIENT_VERSION;
}

int hs__h1_fail(hs__h1_t *h, int status, const char *msg) {
  if (!h->err_status) {
    h->err_status = status;
    h->err_msg = msg;
  }
  return HPE_USER;
}

int hs__h1_refuse(hs__h1_t *h, hs__refusal_t r) {
  return hs__h1_fail(h, hs__refusal_status(r), hs__refusal_msg(r));
}

/* Is the request line's version "HTTP/" DIGIT "." DIGIT followed by CRLF (just
 * not one we speak)? RFC 9110 §15.6.6: then 505; anything else is a malformed
 * line (400). */
static int version_is_wellformed(hs__h1_t *h, const char *end) {
  const char *s = h->rbuf.base + h->msg_start;
  const char *eol = s;
  while (eol < end && *eol != '\r' && *eol != '\n')
    eol++;
  if (eol - s < 9)
    return 0;
  if (eol < end && *eol == '\r' && (eol + 1 >= end || eol[1] != '\n'))
    return 0; /* bare CR */
  const char *v = eol - 8;
  if (memcmp(v, "HTTP/1.0", 8) == 0 || memcmp(v, "HTTP/1.1", 8) == 0)
    return 0;
  return memcmp(v, "HTTP/", 5) == 0 && v[5] >= '0' && v[5] <= '9' && v[6] == '.' && v[7] >= '0' &&
         v[7] <= '9' && v[-1] == ' ';
}

/* Does the request line carry a version at all? (llhttp takes a line without
 * one for HTTP/0.9, which RFC 9112 §3 does not allow: 400.) */
static int line_has_version(hs__h1_t *h) {
  const char *s = h->rbuf.base + h->msg_start, *end = h->rbuf.base + h->rbuf.len;
  const char *eol = memchr(s, '\n', (size_t)(end - s));
  if (!eol)
    eol = end;
  for (const char *p = s; p + 6 <= eol; p++)
    if (memcmp(p, " HTTP/", 6) == 0)
      return 1;
  return 0;
}

/* llhttp knows only the methods it was built with. RFC 9110 §9.1, §15.6.2: a
 * syntactically valid method we do not know gets 501, a malformed one 400. For a
 * valid token we restart llhttp as if the method were GET and let it parse the
 * rest (so framing, limits and keep-alive still apply); the router answers 501. */
int hs__h1_unknown_method(hs__h1_t *h, const char **pp, const char *end) {
  const char *s = h->rbuf.base + h->msg_start;
  while (s < end && (*s == '\r' || *s == '\n'))
    s++;
  const char *t = s;
  while (t < end && hs__is_tchar((unsigned char)*t)) {
    t++;
    if (t - s > MAX_METHOD_LEN) {
      hs__h1_refuse(h, HS__R_METHOD_TOO_LONG);
      return M_ERROR;
    }
  }
  if (t == end)
    return M_NEED_MORE;
  if (t == s || *t != ' ') {
    hs__h1_fail(h, 400, "Malformed request method.");
    return M_ERROR;
  }
  hs__h1_parser_init(h);
  llhttp_execute(&h->parser, "GET", 3); /* calls on_message_begin */
  h->msg_start = (size_t)(s - h->rbuf.base);
  h->req.method = HS_M_OTHER;
  h->req.method_name.ptr = s;
  h->req.method_name.len = (size_t)(t - s);
  MS(h)->fake_method = 1;
  *pp = t;
  return M_CONTINUE;
}

/* Maps an llhttp error to our answer (400 unless a callback said otherwise). */
void hs__h1_protocol_error(hs__h1_t *h, llhttp_errno_t e, const char *end) {
  int status = h->err_status;
  const char *msg = h->err_msg;
  if (!status) {
    status = 400;
    switch (e) {
    case HPE_INVALID_VERSION:
      if (version_is_wellformed(h, end)) {
        status = 505;
        msg = "Only HTTP/1.0 and HTTP/1.1 are supported.";
      } else {
        msg = "Malformed HTTP version.";
      }
      break;
    case HPE_PAUSED_H2_UPGRADE:
      status = 505;
      msg = "HTTP/2 with prior knowledge is not supported; use HTTP/1.1.";
      break;
    case HPE_UNEXPECTED_CONTENT_LENGTH: /* RFC 9112 §6.3 */
      msg = "Content-Length together with Transfer-Encoding, or a repeated Content-Length.";
      break;
    case HPE_INVALID_TRANSFER_ENCODING: /* RFC 9112 §6.3: chunked must be last */
      msg = "Invalid Transfer-Encoding: chunked must be the final coding of a request.";
      break;
    case HPE_INVALID_CHUNK_SIZE:
      msg = "Invalid chunk size in a chunked request body.";
      break;
    case HPE_INVALID_HEADER_TOKEN:
      msg = "Invalid character in a header field (NUL, bare CR or a control character).";
      break;
    case HPE_LF_EXPECTED:
    case HPE_CR_EXPECTED:
      msg = "Bare CR or missing CRLF: lines must end with CRLF.";
      break;
    default:
      msg = llhttp_get_error_reason(&h->parser);
      if (!msg)
        msg = "Malformed request.";
      break;
    }
  }
  hs__h1_answer_error(h, status, msg);
}

/* ---- llhttp callbacks ---- */

static inline size_t off(hs__h1_t *h, const char *at) { return (size_t)(at - h->rbuf.base); }

static int check_head_size(hs__h1_t *h, const char *at, size_t n) {
  size_t e = off(h, at) + n;
  if (e > h->span_end)
    h->span_end = e;
  if (e - h->msg_start > h->ctx->cfg->max_header_size)
    return hs__h1_refuse(h, HS__R_HEAD_TOO_LARGE);
  return 0;
}

static int on_message_begin(llhttp_t *p) {
  hs__h1_t *h = p->data;
  hs__hdr_t *hdrs = h->hdrs;
  memset(&h->req, 0, sizeof(h->req));
  memset(&h->m, 0, sizeof(h->m));
  h->req.headers = hdrs;
  h->req.peer = h->peer;
  h->req.scheme = h->scheme;
  h->early = 0;
  h->early_reason = HS__R_NONE;
  h->nhost = 0;
  h->trailer_bytes = 0;
  h->body.len = 0;
  h->body_seen = 0;
  h->span_end = h->msg_start;
  if (h->phase == HS_H1_IDLE && h->any_request) /* the first one counts from the accept */
    h->head_start_ms = h->ctx->now_ms;
  h->phase = HS_H1_HEAD;
  return 0;
}

static int on_url(llhttp_t *p, const char *at, size_t n) {
  hs__h1_t *h = p->data;
  hs__str_t *t = &h->req.target;
  if (!t->ptr) {
    /* RFC 9112 §3: exactly one SP between method and target (llhttp allows more) */
    if (at - h->rbuf.base >= 2 && at[-1] == ' ' && at[-2] == ' ')
      return hs__h1_fail(h, 400, "Malformed request line: more than one space before the target.");
    t->ptr = at;
  } else if (at != t->ptr + t->len)
    return hs__h1_fail(h, 400, "Malformed request-target.");
  t->len += n;
  if (t->len > h->ctx->cfg->max_uri) /* RFC 9110 §15.5.15 */
    return hs__h1_refuse(h, HS__R_URI_TOO_LONG);
  return check_head_size(h, at, n) ? hs__h1_refuse(h, HS__R_LINE_TOO_LONG) : 0;
}

static hs__method_t map_method(uint8_t m);

/* RFC 9110 §2.5: a minor version above 1 is processed as HTTP/1.1 (see
 * on_headers_complete); another major version gets 505 as soon as the request
 * line has been read (RFC 9110 §15.6.6). "PRI * HTTP/2.0" is left to llhttp,
 * which reports the HTTP/2 preface. Returns 0, or HPE_USER. */
static int on_version_complete(llhttp_t *p) {
  if (p->http_major != 1 && p->method != HTTP_PRI)
    return hs__h1_fail(p->data, 505, "Only HTTP/1.0 and HTTP/1.1 are supported.");
  return 0;
}

/* RFC 9112 §3.2: origin-form, absolute-form, authority-form, asterisk-form. */
static int on_url_complete(llhttp_t *p) {
  hs__h1_t *h = p->data;
  hs__req_t *r = &h->req;
  hs__str_t t = r->target;
  MS(h)->url_done = 1;
  if (!MS(h)->fake_method) { /* known now; kept for the log of early errors */
    r->method = map_method(p->method);
    if (r->method != HS_M_OTHER) {
      r->method_name.ptr = hs__method_name(r->method);
      r->method_name.len = hs__method_name_len(r->method);
    } else {
      const char *name = llhttp_method_name((llhttp_method_t)p->method);
      r->method_name.ptr = name;
      r->method_name.len = strlen(name);
    }
  }
  if (t.len == 1 && t.ptr[0] == '*') {
    r->asterisk = 1;
    r->path = t;
    return 0;
  }
  const char *s = t.ptr, *end = t.ptr + t.len;
  if (t.len && t.ptr[0] != '/') {
    size_t skip = 0;
    if (t.len >= 7 && strncasecmp(s, "http://", 7) == 0)
      skip = 7;
    else if (t.len >= 8 && strncasecmp(s, "https://", 8) == 0)
      skip = 8;
    if (!skip)
      return 0; /* authority-form (CONNECT) or garbage: path stays empty */
    const char *a = s + skip, *ae = a;
    while (ae < end && *ae != '/' && *ae != '?' && *ae != '#')
      ae++;
    MS(h)->absolute_form = 1;
    r->authority.ptr = a; /* RFC 9112 §3.2.2: the authority replaces Host */
    r->authority.len = (size_t)(ae - a);
    s = ae;
    if (s == end || *s != '/') {
      r->path.ptr = slash_str;
      r->path.len = 1;
      if (s < end && *s == '?') {
        r->query.ptr = s + 1;
        r->query.len = (size_t)(end - s - 1);
      }
      return 0;
    }
  }
  hs__req_set_path(r, (hs__str_t){s, (size_t)(end - s)});
  return 0;
}

static int on_header_field(llhttp_t *p, const char *at, size_t n) {
  hs__h1_t *h = p->data;
  struct hs_h1_msg_s *m = &h->m;
  if (n == 0)
    return 0;           /* an empty name opens no field: see empty_field_name */
  if (h->in_trailers) { /* RFC 9112 §7.1.2: trailers are read, counted, dropped */
    h->trailer_bytes += n;
    if (!m->field_open)
      m->trailer_fields++, m->field_open = 1;
    if (h->trailer_bytes > h->ctx->cfg->max_header_size ||
        m->trailer_fields > h->ctx->cfg->max_headers)
      return hs__h1_refuse(h, HS__R_TRAILERS_TOO_LARGE);
    return 0;
  }
  hs__req_t *r = &h->req;
  if (!m->field_open) {
    if (r->nheaders >= h->ctx->cfg->max_headers) /* RFC 6585 §5 */
      return hs__h1_refuse(h, HS__R_TOO_MANY_FIELDS);
    hs__hdr_t *hd = &r->headers[r->nheaders++];
    hd->name.ptr = at;
    hd->name.len = n;
    hd->value.ptr = NULL;
    hd->value.len = 0;
    m->field_open = 1;
  } else {
    hs__hdr_t *hd = &r->headers[r->nheaders - 1];
    if (at != hd->name.ptr + hd->name.len)
      return hs__h1_fail(h, 400, "Malformed header field name.");
    hd->name.len += n;
  }
  return check_head_size(h, at, n);
}

/* RFC 9112 §5.1 / RFC 9110 §5.1: field-name = token, at least one tchar. A
 * line such as ": v" has none (llhttp passes it on): 400. Returns HPE_USER. */
static int empty_field_name(hs__h1_t *h) { return hs__h1_fail(h, 400, "Empty header field name."); }

/* Does the value that starts at `at` begin on a continuation line? A line
 * break followed by SP or HTAB between the field's ':' and `at` is obs-fold
 * with an empty or blank first line ("Name:\r\n value"), which llhttp
 * reports as the value's first piece. RFC 9112 §5.2: refused like every
 * other fold. The head is contiguous in rbuf. */
static int starts_on_folded_line(const hs__hdr_t *hd, const char *at) {
  const char *colon = hd->name.ptr + hd->name.len;
  for (const char *q = colon + 1; q + 1 < at; q++)
    if (*q == '\n' && (q[1] == ' ' || q[1] == '\t'))
      return 1;
  return 0;
}

static int on_header_value(llhttp_t *p, const char *at, size_t n) {
  hs__h1_t *h = p->data;
  if (!h->m.field_open)
    return empty_field_name(h);
  if (h->in_trailers) {
    h->trailer_bytes += n;
    if (h->trailer_bytes > h->ctx->cfg->max_header_size)
      return hs__h1_refuse(h, HS__R_TRAILERS_TOO_LARGE);
    return 0;
  }
  hs__req_t *r = &h->req;
  if (!r->nheaders)
    return hs__h1_fail(h, 400, "Malformed header section.");
  hs__hdr_t *hd = &r->headers[r->nheaders - 1];
  if (!hd->value.ptr) {
    if (starts_on_folded_line(hd, at))
      return hs__h1_fail(h, 400,
                         "Obsolete line folding (obs-fold) in a header field is not accepted.");
    hd->value.ptr = at;
    hd->value.len = n;
  } else if (at != hd->value.ptr + hd->value.len) {
    /* llhttp reports a folded line as a second piece: RFC 9112 §5.2 lets a
     * server reject obs-fold with 400, which we do */
    return hs__h1_fail(h, 400,
                       "Obsolete line folding (obs-fold) in a header field is not accepted.");
  } else {
    hd->value.len += n;
  }
  return check_head_size(h, at, n);
}

static int on_header_value_complete(llhttp_t *p) {
  hs__h1_t *h = p->data;
  struct hs_h1_msg_s *m = &h->m;
  if (!m->field_open)
    return empty_field_name(h);
  m->field_open = 0;
  if (h->in_trailers || !h->req.nheaders)
    return 0;
  hs__req_t *r = &h->req;
  hs__hdr_t *hd = &r->headers[r->nheaders - 1];
  if (!hd->value.ptr)
    hd->value.ptr = empty_str;
  while (hd->value.len &&
         (hd->value.ptr[hd->value.len - 1] == ' ' || hd->value.ptr[hd->value.len - 1] == '\t'))
    hd->value.len--;
  switch (hs__req_note_field(r, hd)) {
  case HS_NOTE_HOST:
    if (h->nhost < 3)
      h->nhost++;
    m->host_field = r->nheaders - 1;
    if (!r->authority.ptr || h->nhost > 1)
      r->authority = hd->value;
    break;
  case HS_NOTE_EXPECT:
    if (m->expect.ptr)
      m->expect_repeated = 1; /* keep it simple: one Expect line */
    m->expect = hd->value;
    break;
  default:
    break;
  }
  return 0;
}

static hs__method_t map_method(uint8_t m) {
  switch (m) {
  case HTTP_GET:
    return HS_M_GET;
  case HTTP_HEAD:
    return HS_M_HEAD;
  case HTTP_POST:
    return HS_M_POST;
  case HTTP_PUT:
    return HS_M_PUT;
  case HTTP_DELETE:
    return HS_M_DELETE;
  case HTTP_CONNECT:
    return HS_M_CONNECT;
  case HTTP_OPTIONS:
    return HS_M_OPTIONS;
  case HTTP_TRACE:
    return HS_M_TRACE;
  case HTTP_PATCH:
    return HS_M_PATCH;
  default:
    return HS_M_OTHER;
  }
}

/* Does a Transfer-Encoding field name a coding other than chunked (RFC 9112
 * §6.1, §7)? llhttp has checked that chunked comes last and only once. */
static int has_other_coding(const hs__req_t *r) {
  for (size_t i = 0; i < r->nheaders; i++) {
    if (!hs__str_ieq(r->headers[i].name, "transfer-encoding", 17))
      continue;
    const char *s = r->headers[i].value.ptr, *end = s + r->headers[i].value.len;
    while (s < end) {
      while (s < end && (*s == ' ' || *s == '\t' || *s == ','))
        s++;
      const char *t = s;
      while (t < end && hs__is_tchar((unsigned char)*t))
        t++;
      if (t > s && !((size_t)(t - s) == 7 && strncasecmp(s, "chunked", 7) == 0))
        return 1;
      s = t;
      while (s < end && *s != ',') /* transfer-parameters */
        s++;
    }
  }
  return 0;
}

/* Chunked content: llhttp stops before each chunk-size line, which
 * h1_chunk.c reads (RFC 9112 §7.1.1). Returns HPE_PAUSED, or 0 otherwise. */
static int pause_before_chunk_line(hs__h1_t *h) {
  if (!h->req.chunked)
    return 0;
  MS(h)->chunk_line_due = 1;
  return HPE_PAUSED;
}

/* The end of the header section: everything about the request is known except
 * its content. Checks that need the whole head happen here. */
static int on_headers_complete(llhttp_t *p) {
  hs__h1_t *h = p->data;
  struct hs_h1_msg_s *m = &h->m;
  hs__req_t *r = &h->req;
  h->phase = HS_H1_BODY;
  h->body_start_ms = h->ctx->now_ms; /* the body deadline runs from here */
  if (!m->fake_method && !r->method_name.ptr) {
    r->method = map_method(p->method);
    const char *name = llhttp_method_name((llhttp_method_t)p->method);
    r->method_name.ptr = name;
    r->method_name.len = strlen(name);
  }
  r->major = p->http_major;
  r->minor = p->http_minor;
  if (r->major == 1 && r->minor > 1) /* RFC 9110 §2.5: HTTP/1.2 is read as HTTP/1.1 */
    r->minor = 1;
  if (r->major != 1) { /* RFC 9110 §15.6.6 */
    if (!line_has_version(h))
      hs__h1_fail(h, 400, "The request line has no HTTP version.");
    else
      hs__h1_fail(h, 505, "Only HTTP/1.0 and HTTP/1.1 are supported.");
    return -1;
  }
  if (p->flags & F_CHUNKED)
    r->chunked = 1;
  if (p->flags & F_CONTENT_LENGTH) {
    r->has_clen = 1;
    r->content_length = p->content_length;
  }
  /* admission (http/admission.c): the same decision as over HTTP/2 */
  hs__admit_in_t in = {0};
  in.nhost = h->nhost > 1 ? 2 : h->nhost;
  if (h->nhost)
    in.host = r->headers[m->host_field].value;
  in.expect = m->expect;
  in.nexpect = m->expect_repeated ? 2 : m->expect.ptr != NULL;
  if (m->absolute_form)
    in.target_authority = r->authority;
  in.has_content = r->chunked || (r->has_clen && r->content_length > 0);
  in.covered = h->authority_check;
  in.covered_arg = h->authority_arg;
  hs__admit_t a = hs__admit(h->ctx, r, &in);
  if (a.verdict == HS__ADMIT_REFUSE && hs__refusal_malformed(a.reason))
    return hs__h1_refuse(h, a.reason), -1;
  /* RFC 9112 §6.1: a transfer coding we do not implement (gzip, chunked):
   * 501, without reading the content, then close */
  if (r->chunked && (p->flags & F_TRANSFER_ENCODING) && has_other_coding(r)) {
    h->early = 1;
    h->early_reason = HS__R_TRANSFER_CODING;
    return HPE_PAUSED;
  }
  if (a.verdict == HS__ADMIT_REFUSE) { /* answered without reading the content; closes */
    h->early_reason = a.reason;
    if (in.has_content) {
      h->early = 1;
      return HPE_PAUSED;
    }
    return 0;
  }
  if (a.verdict == HS__ADMIT_CONTINUE) /* through the HTTP/1 writer (h1_write.c) */
    hs__admit_continue(h->ctx, r, &hs__h1_sink, h);
  /* the gateway reads the content as it comes: the exchange runs now */
  if (in.has_content && !r->upgrade.ptr && !h->plain_on_tls && !h->ops_only &&
      hs__route_streams(h->ctx, r)) {
    h->stream_due = 1;
    MS(h)->chunk_line_due = r->chunked;
    return HPE_PAUSED;
  }
  return pause_before_chunk_line(h);
}

static int on_chunk_header(llhttp_t *p) {
  hs__h1_t *h = p->data;
  if (p->content_length == 0) { /* last-chunk: trailers may follow */
    h->in_trailers = 1;
    MS(h)->field_open = 0;
    return 0;
  }
  if (h->body_seen > h->ctx->cfg->max_body ||
      p->content_length > h->ctx->cfg->max_body - h->body_seen)
    return hs__h1_refuse(h, HS__R_CONTENT_TOO_LARGE), -1;
  return 0;
}

/* After a chunk's data and its CRLF: the next chunk-size line follows (the
 * last chunk's completion, after the trailers, needs nothing). */
static int on_chunk_complete(llhttp_t *p) {
  hs__h1_t *h = p->data;
  return h->in_trailers ? 0 : pause_before_chunk_line(h);
}

static int on_body(llhttp_t *p, const char *at, size_t n) {
  hs__h1_t *h = p->data;
  if (h->body_seen + n > h->ctx->cfg->max_body)
    return hs__h1_refuse(h, HS__R_CONTENT_TOO_LARGE);
  h->body_seen += n;
  hs__buf_append(&h->body, at, n);
  return 0;
}

static int on_message_complete(llhttp_t *p) {
  hs__h1_t *h = p->data;
  h->req.keep_alive = llhttp_should_keep_alive(p) ? 1 : 0;
  /* RFC 9112 §6.1: chunked framing from an HTTP/1.0 client is faulty (an
   * HTTP/1.0 intermediary may not have understood it): answer, then close */
  if (h->req.chunked && h->req.major == 1 && h->req.minor == 0)
    h->req.keep_alive = 0;
  h->in_trailers = 0;
  return HPE_PAUSED;
}

/* Rewrites the HTAB of one field line's leading and trailing OWS as SP.
 * [s, e) is the line without CRLF. Returns whether a byte changed. */
static int ows_tabs_to_sp(char *s, char *e) {
  char *v = memchr(s, ':', (size_t)(e - s));
  if (!v)
    return 0;
  int changed = 0;
  for (char *t = v + 1; t < e && (*t == ' ' || *t == '\t'); t++) {
    changed |= *t == '\t';
    *t = ' ';
  }
  for (char *t = e; t > v + 1 && (t[-1] == ' ' || t[-1] == '\t'); t--) {
    changed |= t[-1] == '\t';
    t[-1] = ' ';
  }
  return changed;
}

int hs__h1_ows_retry(hs__h1_t *h, const char *end) {
  if (MS(h)->fake_method || h->err_status)
    return 0;
  char *s = h->rbuf.base + h->msg_start, *e = (char *)end;
  int changed = 0;
  while (s < e) {
    char *nl = memchr(s, '\n', (size_t)(e - s));
    if (!nl)
      break;
    char *le = nl > s && nl[-1] == '\r' ? nl - 1 : nl;
    if (le == s)
      break; /* the empty line: end of the head */
    if ((le - s > 15 && strncasecmp(s, "content-length:", 15) == 0) ||
        (le - s > 18 && strncasecmp(s, "transfer-encoding:", 18) == 0))
      changed |= ows_tabs_to_sp(s, le);
    s = nl + 1;
  }
  return changed;
}
