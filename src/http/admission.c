/* Admission (admission.h): the one decision every protocol asks for when a
 * request head is complete, and the one table of refusal texts. */
#include "http/admission.h"

#include <strings.h>

#include "http/authority.h"
#include "http/ctx.h"
#include "http/response.h"
#include "http/router.h"

#define MALFORMED 1 /* row flag: HTTP/1 answers it as a parse error, then closes */

static const struct {
  short status;
  short flags;
  const char *msg;
} rows[HS__R_COUNT] = {
    [HS__R_NONE] = {0, 0, NULL},
    [HS__R_ROUTE] = {0, 0, NULL},
    [HS__R_CONTENT_TOO_LARGE] = {413, 0, "The request content is larger than this server accepts."},
    [HS__R_HEAD_TOO_LARGE] = {431, 0,
                              "The request header section is larger than this server accepts."},
    [HS__R_TRAILERS_TOO_LARGE] = {431, 0,
                                  "The trailer section is larger than this server accepts."},
    [HS__R_TOO_MANY_FIELDS] = {431, 0, "Too many header fields."},
    [HS__R_URI_TOO_LONG] = {414, 0, "The request-target (URI) is longer than this server accepts."},
    [HS__R_LINE_TOO_LONG] = {414, 0, "The request line is longer than this server accepts."},
    [HS__R_METHOD_TOO_LONG] = {501, 0,
                               "The request method is longer than any this server implements."},
    [HS__R_EXPECTATION] = {417, 0, "Unsupported expectation: only 100-continue is understood."},
    [HS__R_HOST_REPEATED] = {400, MALFORMED, "More than one Host header field (RFC 9112 §3.2)."},
    [HS__R_HOST_MISSING] = {400, MALFORMED, "Missing Host header field (RFC 9112 §3.2)."},
    [HS__R_HOST_INVALID] = {400, MALFORMED, "Invalid Host header field value (RFC 9112 §3.2)."},
    [HS__R_TARGET_AUTHORITY] = {400, MALFORMED,
                                "Invalid authority in the request-target (RFC 9110 §4.2.1)."},
    [HS__R_PSEUDO_AUTHORITY] = {400, MALFORMED,
                                "Invalid :authority or Host (RFC 9113 §8.3.1, RFC 3986 §3.2.2)."},
    [HS__R_CONNECT] = {501, MALFORMED, "CONNECT is not implemented: this server is not a proxy."},
    [HS__R_TARGET_INVALID] = {400, MALFORMED, "Invalid request-target."},
    [HS__R_ASTERISK] = {400, MALFORMED, "The asterisk request-target is only for OPTIONS."},
    [HS__R_MISDIRECTED] =
        {421, 0,
         "This connection's TLS certificate does not cover the host this request names (RFC "
         "9110 section 15.5.20, RFC 9113 section 9.1.1): open a new connection to that host."},
    [HS__R_OUT_OF_MEMORY] = {503, 0, "Out of memory; retry later."},
    [HS__R_OVERLOADED] = {503, 0, "Too many connections; retry later."},
    [HS__R_CHUNK_EXT_TOO_LONG] = {413, 0,
                                  "The chunk extensions are longer than this server accepts."},
    [HS__R_TRANSFER_CODING] = {501, 0,
                               "Only the chunked transfer coding is implemented (RFC 9112 §6.1)."},
};

int hs__refusal_status(hs__refusal_t r) { return r < HS__R_COUNT ? rows[r].status : 500; }

const char *hs__refusal_msg(hs__refusal_t r) { return r < HS__R_COUNT ? rows[r].msg : NULL; }

int hs__refusal_malformed(hs__refusal_t r) {
  return r < HS__R_COUNT && (rows[r].flags & MALFORMED);
}

/* RFC 9110 §10.1.1: "100-continue" is the only expectation defined; it is
 * ignored from an HTTP/1.0 client. Returns 1 when every member of the list is
 * 100-continue (an empty list counts as none), 0 when one is unknown; sets
 * *wants_100 when 100-continue was asked for. */
static int expect_understood(const hs__req_t *req, hs__str_t e, int *wants_100) {
  const char *s = e.ptr, *end = e.ptr + e.len;
  int ok = 1;
  while (s < end) {
    while (s < end && (*s == ' ' || *s == '\t' || *s == ','))
      s++;
    const char *t = s;
    while (t < end && *t != ',')
      t++;
    const char *te = t;
    while (te > s && (te[-1] == ' ' || te[-1] == '\t'))
      te--;
    if (te > s) {
      if ((size_t)(te - s) == 12 && strncasecmp(s, "100-continue", 12) == 0) {
        if (!(req->major == 1 && req->minor == 0))
          *wants_100 = 1;
      } else {
        ok = 0;
      }
    }
    s = t;
  }
  return ok;
}

static inline hs__admit_t verdict(hs__admit_verdict_t v, hs__refusal_t r, int awaits_100) {
  hs__admit_t a = {v, r, (uint8_t)(awaits_100 != 0)};
  return a;
}

#define REFUSE(r) verdict(HS__ADMIT_REFUSE, r, waits)

hs__admit_t hs__admit(const hs__ctx_t *ctx, hs__req_t *req, const hs__admit_in_t *in) {
  req->expect_continue = 0;
  int wants_100 = 0, understood = 1;
  if (in->expect.ptr)
    understood = in->nexpect < 2 && expect_understood(req, in->expect, &wants_100);
  int waits = wants_100 && understood && in->has_content;
  /* RFC 9112 §3.2: at most one Host, exactly one in HTTP/1.1; RFC 9113
   * §8.3.1: HTTP/2 has :authority instead, Host optional; both valid syntax */
  if (in->nhost > 1)
    return REFUSE(HS__R_HOST_REPEATED);
  if (in->nhost == 0 && req->major == 1 && req->minor >= 1)
    return REFUSE(HS__R_HOST_MISSING);
  if (in->pseudo) {
    if ((in->target_authority.ptr && !hs__authority_valid(in->target_authority)) ||
        (in->host.ptr && !hs__authority_valid(in->host)))
      return REFUSE(HS__R_PSEUDO_AUTHORITY);
  } else {
    if (in->nhost && !hs__authority_valid(in->host))
      return REFUSE(HS__R_HOST_INVALID);
    if (in->target_authority.ptr &&
        (!in->target_authority.len || !hs__authority_valid(in->target_authority)))
      return REFUSE(HS__R_TARGET_AUTHORITY);
  }
  /* RFC 9110 §9.3.6: we are not a proxy; RFC 8441 §4: extended CONNECT
   * (HTTP/2 with :protocol) opens a WebSocket on a path of ours */
  if (req->method == HS_M_CONNECT && !in->protocol)
    return REFUSE(HS__R_CONNECT);
  if (!req->path.len && !req->asterisk)
    return REFUSE(HS__R_TARGET_INVALID);
  if (req->asterisk && req->method != HS_M_OPTIONS)
    return REFUSE(HS__R_ASTERISK);
  /* RFC 9110 §15.5.14: refused before any content is read */
  if (req->has_clen && req->content_length > ctx->cfg->max_body)
    return REFUSE(HS__R_CONTENT_TOO_LARGE);
  if (!understood)
    return REFUSE(HS__R_EXPECTATION);
  /* RFC 9110 §15.5.20: a connection whose certificate does not cover the host */
  hs__str_t authority = req->authority;
  if (in->covered && authority.len && !in->covered(in->covered_arg, authority))
    return REFUSE(HS__R_MISDIRECTED);
  if (!waits)
    return verdict(HS__ADMIT_GO, HS__R_NONE, 0);
  /* RFC 9110 §10.1.1: a final status instead of 100 when the content is not wanted */
  if (hs__route_refusal(ctx, req))
    return REFUSE(HS__R_ROUTE);
  req->expect_continue = 1;
  return verdict(HS__ADMIT_CONTINUE, HS__R_NONE, 0);
}

void hs__admit_continue(hs__ctx_t *ctx, const hs__req_t *req, const hs__sink_ops_t *sink,
                        void *conn) {
  hs__exchange_t x; /* a head of its own: the exchange proper starts later */
  hs__exchange_init(&x, ctx, req, sink, conn);
  hs__resp_interim(&x, 100, NULL);
}

void hs__admit_refuse_slow(hs__exchange_t *x, hs__refusal_t r) {
  if (r == HS__R_NONE || r == HS__R_ROUTE)
    return;
  x->refusal = hs__refusal_status(r);
  x->refusal_msg = hs__refusal_msg(r);
}
