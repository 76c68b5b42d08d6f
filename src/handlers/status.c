/* /status/{code}: answers with any status code 100-599, for every method, with
 * the headers the registry requires or expects, real interim 1xx responses, and a
 * negotiated body describing the code. Accepts httpbin's weighted choice syntax
 * (/status/200:0.7,503:0.3). Query: retry_after=, location=. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "handlers/routes.h"
#include "http/ctx.h"
#include "http/render.h"
#include "http/status_table.h"

#define MAX_CHOICES 64
#define USAGE                                                                                      \
  "Use /status/{code} with a code from 100 to 599, or a weighted choice such as "                  \
  "/status/200:0.7,503:0.3 (weights default to 1)."

/* Picks a code from "200" or "200:0.7,503:0.3". Returns the code, or 0 with an
 * explanation in msg. */
static int choose_code(hs__exchange_t *x, const char *s, size_t n, char *msg, size_t msgcap) {
  int codes[MAX_CHOICES];
  double weights[MAX_CHOICES];
  int count = 0;
  double total = 0;
  size_t i = 0;
  while (i <= n) {
    size_t j = i;
    while (j < n && s[j] != ',')
      j++;
    const char *item = s + i;
    size_t ilen = j - i;
    if (count == MAX_CHOICES) {
      snprintf(msg, msgcap, "Too many choices (at most %d). " USAGE, MAX_CHOICES);
      return 0;
    }
    const char *colon = memchr(item, ':', ilen);
    size_t clen = colon ? (size_t)(colon - item) : ilen;
    int code = 0;
    int ok = clen == 3;
    for (size_t k = 0; k < clen && ok; k++) {
      if (item[k] < '0' || item[k] > '9')
        ok = 0;
      else
        code = code * 10 + (item[k] - '0');
    }
    if (!ok || code < 100 || code > 599) {
      snprintf(msg, msgcap, "Invalid status code '%.*s'. " USAGE, (int)(clen > 40 ? 40 : clen),
               item);
      return 0;
    }
    double w = 1;
    if (colon) {
      char tmp[32];
      size_t wlen = ilen - clen - 1;
      char *end;
      if (wlen == 0 || wlen >= sizeof(tmp))
        w = -1;
      else {
        memcpy(tmp, colon + 1, wlen);
        tmp[wlen] = 0;
        w = strtod(tmp, &end);
        if (*end || !isfinite(w) || tmp[0] == '-' || tmp[0] == '+' || tmp[0] == ' ')
          w = -1;
      }
      if (w < 0) {
        snprintf(msg, msgcap, "Invalid weight in '%.*s': use a number >= 0. " USAGE,
                 (int)(ilen > 40 ? 40 : ilen), item);
        return 0;
      }
    }
    codes[count] = code;
    weights[count] = w;
    total += w;
    count++;
    i = j + 1;
  }
  if (count == 1)
    return codes[0];
  if (!(total > 0) || !isfinite(total)) {
    snprintf(msg, msgcap, "The weights add up to zero. " USAGE);
    return 0;
  }
  double r = hs__ctx_random(x->ctx) * total;
  for (int k = 0; k < count; k++) {
    if (r < weights[k])
      return codes[k];
    r -= weights[k];
  }
  for (int k = count - 1; k >= 0; k--)
    if (weights[k] > 0)
      return codes[k];
  return codes[count - 1];
}

/* Reads query parameter `key`, percent-decoded, if every byte is in [0x20,0x7e]
 * (no CR/LF: header injection is impossible). Returns length, 0 if absent, -1 if
 * invalid. */
static long query_value(const hs__req_t *req, const char *key, char *buf, size_t cap) {
  hs__str_t raw;
  if (!hs__req_query(req, key, &raw))
    return 0;
  long n = hs__pct_decode(raw, buf, cap);
  if (n <= 0)
    return -1;
  for (long i = 0; i < n; i++) {
    unsigned char c = (unsigned char)buf[i];
    if (c == '+')
      buf[i] = ' ', c = ' ';
    if (c < 0x20 || c > 0x7e)
      return -1;
  }
  return n;
}

/* Retry-After is delay-seconds or an HTTP-date (RFC 9110 §10.2.3). */
static int valid_retry_after(const char *s, long n) {
  int digits = 1;
  for (long i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9')
      digits = 0;
  if (digits)
    return n <= 10;
  /* loosely: letters, digits, spaces, ',' and ':' as in "Fri, 31 Dec 1999 23:59:59 GMT" */
  for (long i = 0; i < n; i++) {
    char c = s[i];
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == ' ' ||
          c == ',' || c == ':'))
      return 0;
  }
  return n >= 20 && n <= 40;
}

/* A same-site path only: "/..." but not "//..." (no open redirects). */
static int valid_location(const char *s, long n) {
  if (n < 1 || s[0] != '/' || (n > 1 && (s[1] == '/' || s[1] == '\\')))
    return 0;
  for (long i = 0; i < n; i++)
    if (s[i] == ' ' || s[i] == '\\')
      return 0;
  return 1;
}

typedef struct {
  char retry_after[64];
  long retry_after_len;
  char location[512];
  long location_len;
} status_opts_t;

/* Adds a default value for each header in `want` (registry requires | expects). */
static void add_headers(hs__resp_t *r, int code, uint32_t want, size_t blen,
                        const status_opts_t *o) {
  hs__exchange_t *x = r->x;
  char tmp[96];
  size_t n;
  for (int h = 0; h < HS_H_COUNT; h++) {
    if (!(want & HS_HBIT(h)) || (r->have & HS_HBIT(h)))
      continue;
    switch ((hs_header_t)h) {
    case HS_H_ALLOW: /* RFC 9110 §15.5.6 */
      hs__resp_hdr(r, HS_H_ALLOW, HS_ALLOW_ALL, sizeof(HS_ALLOW_ALL) - 1);
      break;
    case HS_H_WWW_AUTHENTICATE:   /* §15.5.2; same challenge as httpbin */
    case HS_H_PROXY_AUTHENTICATE: /* §15.5.8 */
      hs__resp_hdr(r, (hs_header_t)h, "Basic realm=\"Fake Realm\"", 24);
      break;
    case HS_H_LOCATION: /* §10.2.2 */
      if (o->location_len > 0)
        hs__resp_hdr(r, HS_H_LOCATION, o->location, (size_t)o->location_len);
      else if (code == 201) /* §15.3.2: the resource created */
        hs__resp_hdr(r, HS_H_LOCATION, "/status/200", 11);
      else
        hs__resp_hdr(r, HS_H_LOCATION, "/redirect/1", 11); /* httpbin's target */
      break;
    case HS_H_CONTENT_RANGE: /* §14.4: 416 → bytes * /len, 206 → the range sent */
      if (code == 416 || blen == 0)
        n = (size_t)snprintf(tmp, sizeof(tmp), "bytes */%zu", blen);
      else
        n = (size_t)snprintf(tmp, sizeof(tmp), "bytes 0-%zu/%zu", blen - 1, blen);
      hs__resp_hdr(r, HS_H_CONTENT_RANGE, tmp, n);
      break;
    case HS_H_UPGRADE: /* §7.8, §15.5.22 */
      hs__resp_hdr(r, HS_H_UPGRADE, "HTTP/2.0", 8);
      r->upgrade = 1;
      break;
    case HS_H_RETRY_AFTER: /* §10.2.3 */
      if (o->retry_after_len > 0)
        hs__resp_hdr(r, HS_H_RETRY_AFTER, o->retry_after, (size_t)o->retry_after_len);
      else {
        n = hs__u64toa(tmp, x->ctx->cfg->retry_after);
        hs__resp_hdr(r, HS_H_RETRY_AFTER, tmp, n);
      }
      break;
    case HS_H_LINK:
      if (code == 451) /* RFC 7725 §4 */
        hs__resp_hdr(r, HS_H_LINK, "</>; rel=\"blocked-by\"", 21);
      else
        hs__resp_hdr(r, HS_H_LINK, "</status/200>; rel=\"related\"", 28);
      break;
    case HS_H_ETAG:
      n = (size_t)snprintf(tmp, sizeof(tmp), "\"hs-%d\"", code);
      hs__resp_hdr(r, HS_H_ETAG, tmp, n);
      break;
    case HS_H_CONTENT_LOCATION:
      n = (size_t)snprintf(tmp, sizeof(tmp), "/status/%d", code);
      hs__resp_hdr(r, HS_H_CONTENT_LOCATION, tmp, n);
      break;
    case HS_H_CACHE_CONTROL: /* RFC 6585: 428, 429, 431, 511 must not be stored */
      if (code == 428 || code == 429 || code == 431 || code == 511)
        hs__resp_hdr(r, HS_H_CACHE_CONTROL, "no-store", 8);
      else
        hs__resp_hdr(r, HS_H_CACHE_CONTROL, "no-cache", 8);
      break;
    case HS_H_EXPIRES: { /* the Date value itself: expires now */
      hs__ctx_t *c = x->ctx;
      hs__resp_hdr(r, HS_H_EXPIRES, c->date, c->date_len);
      break;
    }
    case HS_H_ACCEPT_PATCH:
      hs__resp_hdr(r, HS_H_ACCEPT_PATCH, "application/json", 16);
      break;
    case HS_H_ACCEPT_POST:
      hs__resp_hdr(r, HS_H_ACCEPT_POST, "application/json", 16);
      break;
    case HS_H_ACCEPT_ENCODING:
      hs__resp_hdr(r, HS_H_ACCEPT_ENCODING, "identity", 8);
      break;
    case HS_H_ACCEPT_RANGES:
      hs__resp_hdr(r, HS_H_ACCEPT_RANGES, "bytes", 5);
      break;
    default: /* Vary, Date, Content-Type, Content-Length: written elsewhere */
      break;
    }
  }
}

/* The final response: `code`, with a body describing `described` by record `rec`
 * (NULL: the code's own description). */
static void final_response(hs__exchange_t *x, int code, int described, const hs_status_t *rec,
                           const status_opts_t *o) {
  hs__neg_t neg = hs__negotiate(x->req);
  hs__str_t body = rec ? hs__render_status_as(described, rec, neg, &x->ctx->scratch)
                       : hs__render_status(described, neg, &x->ctx->scratch);
  uint32_t want = hs__status_requires(code) | hs__status_expects(code);
  if (o->retry_after_len > 0)
    want |= HS_HBIT(HS_H_RETRY_AFTER);
  if (o->location_len > 0)
    want |= HS_HBIT(HS_H_LOCATION);
  /* RFC 9110 §15.4: a client treats an unknown 3xx like 300, so give every
   * redirect a target (304 is not a redirect). 305 (deprecated) gets one too,
   * as httpbin sends. */
  if (code >= 300 && code < 400 && code != 304)
    want |= HS_HBIT(HS_H_LOCATION);
  /* RFC 6585 §3-§6: a 428, 429, 431 or 511 response MUST NOT be stored */
  if (code == 428 || code == 429 || code == 431 || code == 511)
    want |= HS_HBIT(HS_H_CACHE_CONTROL);
  hs__resp_t r;
  hs__resp_begin(&r, x, code);
  /* RFC 9110 §12.5.5: the body depends on Accept and Accept-Language */
  hs__resp_hdr(&r, HS_H_VARY, "Accept, Accept-Language", 23);
  if (want)
    add_headers(&r, code, want, body.len, o);
  if (rec && rec->vendor_key) /* whose meaning this is: nginx, cloudflare, aws, ... */
    hs__resp_field(&r, "Status-Vendor", rec->vendor_key, strlen(rec->vendor_key));
  hs__resp_end(&r, hs__fmt_ctype(neg.fmt), body.ptr, body.len);
}

/* 101 (RFC 9110 §15.2.2): only in answer to an Upgrade request; we name the first
 * protocol offered and then close, since we do not speak it. */
static void switching_protocols(hs__exchange_t *x) {
  hs__str_t up = x->req->upgrade;
  size_t n = 0;
  while (n < up.len && up.ptr[n] != ',' && up.ptr[n] != ' ' && up.ptr[n] != '\t' &&
         (hs__is_tchar((unsigned char)up.ptr[n]) || up.ptr[n] == '/'))
    n++;
  if ((x->req->major == 1 && x->req->minor == 0) || n == 0) {
    hs__resp_error(x, 400,
                   "101 Switching Protocols is only sent in answer to an HTTP/1.1 request "
                   "with an Upgrade header field (RFC 9110 §7.8), e.g. Upgrade: websocket.",
                   NULL);
    return;
  }
  hs__resp_switch_and_close(x, (hs__str_t){up.ptr, n});
}

/* The record /status/{code} describes: ?vendor=KEY picks one of the code's vendor
 * meanings; else the official record or, for a number only vendors use, the most
 * common vendor meaning. Returns 0 and answers 400 for an unknown vendor key. */
static int pick_record(hs__exchange_t *x, int code, const hs_status_t **out) {
  char key[32];
  long n = x->req->query.len ? query_value(x->req, "vendor", key, sizeof key - 1) : 0;
  const hs_status_t *v[16];
  size_t nv = hs_vendor_meanings(code, v, 16);
  *out = hs__status_record(code);
  if (n == 0)
    return 1;
  key[n > 0 ? n : 0] = '\0';
  for (size_t i = 0; n > 0 && i < nv && i < 16; i++)
    if (strcmp(v[i]->vendor_key, key) == 0) {
      *out = v[i];
      return 1;
    }
  char msg[256];
  size_t len =
      (size_t)snprintf(msg, sizeof msg, "No vendor meaning '%s' for %d.", n > 0 ? key : "?", code);
  for (size_t i = 0; i < nv && i < 16 && len < sizeof msg; i++)
    len += (size_t)snprintf(msg + len, sizeof msg - len, "%s%s",
                            i ? ", " : " Known: vendor=", v[i]->vendor_key);
  if (nv == 0 && len < sizeof msg)
    snprintf(msg + len, sizeof msg - len, " No vendor uses this number (httpstatus vendors).");
  hs__resp_error(x, 400, msg, NULL);
  return 0;
}

static void status_handler(hs__exchange_t *x) {
  char spec[512], msg[256];
  hs__str_t tail = x->tail;
  if (tail.len && tail.ptr[0] == '/')
    tail.ptr++, tail.len--;
  long n = hs__pct_decode(tail, spec, sizeof(spec));
  if (n <= 0) {
    hs__resp_error(x, 400, n == 0 ? "Missing status code. " USAGE : "Malformed status code. " USAGE,
                   NULL);
    return;
  }
  int code = choose_code(x, spec, (size_t)n, msg, sizeof(msg));
  if (!code) {
    hs__resp_error(x, 400, msg, NULL);
    return;
  }
  status_opts_t o;
  o.retry_after_len = o.location_len = 0;
  if (x->req->query.len) {
    o.retry_after_len = query_value(x->req, "retry_after", o.retry_after, sizeof(o.retry_after));
    if (o.retry_after_len == 0)
      o.retry_after_len = query_value(x->req, "retry-after", o.retry_after, sizeof(o.retry_after));
    if (o.retry_after_len < 0 ||
        (o.retry_after_len > 0 && !valid_retry_after(o.retry_after, o.retry_after_len))) {
      hs__resp_error(x, 400, "Invalid retry_after: use delay-seconds (e.g. 120) or an HTTP-date.",
                     NULL);
      return;
    }
    o.location_len = query_value(x->req, "location", o.location, sizeof(o.location));
    if (o.location_len < 0 || (o.location_len > 0 && !valid_location(o.location, o.location_len))) {
      hs__resp_error(x, 400, "Invalid location: use a path on this server such as /status/200.",
                     NULL);
      return;
    }
  }
  if (code == 101) {
    switching_protocols(x);
    return;
  }
  const hs_status_t *rec;
  if (!pick_record(x, code, &rec))
    return;
  if (code < 200) {
    /* RFC 9110 §15.2: a real interim response, then the final one (HTTP/1.1 only) */
    uint32_t want = hs__status_requires(code) | hs__status_expects(code);
    hs__fields_t f = HS_FIELDS_INIT;
    if (want & HS_HBIT(HS_H_LINK)) /* RFC 8297 */
      hs__fields_addz(&f, "Link", "</status/200>; rel=preload; as=fetch; crossorigin");
    hs__resp_interim(x, code, hs__fields_oom(&f) ? NULL : &f);
    hs__fields_free(&f);
    final_response(x, 200, code, NULL, &o);
    return;
  }
  final_response(x, code, code, rec, &o);
}

const hs__route_t hs__routes_status[] = {
    HS_ROUTE("/status/", 1, HS_M_ALL_BITS, status_handler, "/status/{code}",
             "answers with {code} (100-599), its required headers and a body describing it; "
             "{code}:{weight},... picks one at random (e.g. 200:0.7,503:0.3); ?retry_after=N and "
             "?location=/path set those headers; a number vendors use (499, 520) answers with its "
             "most common vendor meaning and a Status-Vendor header, ?vendor=KEY picks another"),
    HS_ROUTE("/status", 0, HS_M_ALL_BITS, status_handler, NULL, NULL),
    HS_ROUTE_END,
};
