/* httpbin's byte endpoints (docs/httpbin-compat.md, sections 3 and 4):
 * /bytes/{n} (?seed= gives Python's random bytes for that seed),
 * /range/{n} (RFC 9110 §14: single ranges, multipart/byteranges, 416,
 * If-Range) and go-httpbin's /unstable (?failure_rate=, ?seed=). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers/hb_args.h"
#include "handlers/routes.h"
#include "http/ctx.h"
#include "httpbin/byteranges.h"
#include "httpbin/form.h"
#include "httpbin/random.h"

#define OCTETS "application/octet-stream"
#define MAX_BYTES 102400u /* httpbin's cap for /bytes and /range */

/* Parses x->tail as Werkzeug's <int:n>: digits only. Returns 0 and sets *n
 * (saturated at `sat`), or -1 when the tail is not a number. */
static int tail_number(hs__exchange_t *x, unsigned long long sat, unsigned long long *n) {
  hs__str_t t = x->tail;
  if (!t.len)
    return -1;
  unsigned long long v = 0;
  for (size_t i = 0; i < t.len; i++) {
    if (t.ptr[i] < '0' || t.ptr[i] > '9')
      return -1;
    if (v <= sat)
      v = v * 10 + (unsigned)(t.ptr[i] - '0');
  }
  *n = v > sat ? sat : v;
  return 0;
}

/* ---- /bytes/{n} -------------------------------------------------------------- */

/* GET /bytes/{n}: min(n, 102400) random bytes, application/octet-stream; with
 * ?seed= (any case) exactly the bytes httpbin's random.seed(int(seed)) gives. */
static void bytes_n(hs__exchange_t *x) {
  unsigned long long n;
  if (tail_number(x, MAX_BYTES, &n)) {
    hs__resp_error(x, 404, "No such endpoint; use /bytes/{n} with n a number of bytes.", NULL);
    return;
  }
  hb_mt_t mt;
  int seeded = 0;
  if (x->req->query.len) {
    json_t *args = hb_form_args(x->req->query);
    json_t *seed = hs__hb_arg_ci(args, "seed");
    if (seed) {
      hs__str_t s = {json_string_value(seed), json_string_length(seed)};
      if (hb_mt_seed_python(&mt, s)) {
        json_decref(args);
        hs__resp_error(x, 400, "Invalid seed: use an integer such as ?seed=42.", NULL);
        return;
      }
      seeded = 1;
    }
    json_decref(args);
  }
  if (!seeded) {
    uint32_t key[2] = {(uint32_t)(hs__ctx_random(x->ctx) * 4294967296.0),
                       (uint32_t)(hs__ctx_random(x->ctx) * 4294967296.0)};
    hb_mt_seed_array(&mt, key, 2);
  }
  hs__buf_t *b = &x->ctx->scratch;
  b->len = 0;
  uint8_t *p = (uint8_t *)hs__buf_reserve(b, (size_t)n + 1);
  if (seeded) {
    hb_mt_python_bytes(&mt, p, (size_t)n);
  } else {
    for (size_t i = 0; i < n; i += 4) {
      uint32_t r = hb_mt_u32(&mt);
      for (size_t k = 0; k < 4 && i + k < n; k++)
        p[i + k] = (uint8_t)(r >> (8 * k));
    }
  }
  b->len = (size_t)n;
  hs__resp_t r;
  hs__resp_begin(&r, x, 200);
  hs__resp_end(&r, OCTETS, b->base, b->len);
}

/* ---- /range/{n} -------------------------------------------------------------- */

/* Byte i of the /range resource. */
static void fill(char *out, unsigned long long first, unsigned long long last) {
  for (unsigned long long i = first; i <= last; i++)
    *out++ = (char)('a' + i % 26);
}

/* Strong comparison of an If-Range value with our entity-tag "range{n}"; a
 * bare range{n} (httpbin sends its ETag unquoted) matches too; a date never
 * does, as /range has no Last-Modified (RFC 9110 §13.1.5). */
static int if_range_ok(const hs__str_t *v, const char *tag) {
  size_t tl = strlen(tag);
  const char *p = v->ptr, *e = v->ptr + v->len;
  while (p < e && hs__is_ows(*p))
    p++;
  while (e > p && hs__is_ows(e[-1]))
    e--;
  if (e - p >= 2 && *p == '"' && e[-1] == '"')
    p++, e--;
  return (size_t)(e - p) == tl && memcmp(p, tag, tl) == 0;
}

/* How /range paces its body (httpbin's chunk_size and duration): chunks of
 * `chunk` bytes, `ms_per_byte` = duration / n apart (n: the whole resource's
 * size, as httpbin computes it, so a 10-byte range of /range/100 takes a tenth
 * of the duration); ms_per_byte 0 sends everything at once. */
typedef struct {
  size_t chunk;
  double ms_per_byte;
  double ms; /* the duration asked for: no body takes longer */
} pace_t;

/* Reads ?chunk_size= (an integer, at least 1; default 10 KiB) and ?duration=
 * (seconds >= 0; default 0) for a resource of n bytes. Returns 0 and *p, or
 * answers 400 (bad value, or longer than --max-delay) and returns -1. */
static int read_pacing(hs__exchange_t *x, unsigned long long n, pace_t *p) {
  p->chunk = 10 * 1024;
  p->ms_per_byte = p->ms = 0;
  if (!x->req->query.len)
    return 0;
  json_t *args = hb_form_args(x->req->query);
  json_t *cs = hs__hb_arg_ci(args, "chunk_size"), *du = hs__hb_arg_ci(args, "duration");
  int bad = 0;
  double secs = 0;
  char *end;
  if (cs) {
    const char *s = json_string_value(cs);
    long long v = strtoll(s, &end, 10);
    while (*end == ' ')
      end++;
    bad |= end == s || *end;
    p->chunk = v < 1 ? 1 : v > (long long)MAX_BYTES ? MAX_BYTES : (size_t)v;
  }
  if (du) {
    const char *s = json_string_value(du);
    secs = strtod(s, &end);
    while (*end == ' ')
      end++;
    bad |= end == s || *end || !isfinite(secs) || secs < 0;
  }
  json_decref(args);
  if (bad) {
    hs__resp_error(x, 400,
                   "Invalid chunk_size or duration: use an integer and a number of seconds >= 0.",
                   NULL);
    return -1;
  }
  if (secs * 1000.0 > (double)x->ctx->cfg->max_delay_ms) {
    hs__resp_error(x, 400, "The duration is longer than this server allows (--max-delay).", NULL);
    return -1;
  }
  p->ms = secs * 1000.0;
  p->ms_per_byte = p->ms / (double)n;
  return 0;
}

/* A paced body in progress: a copy of the content (owned here, freed by
 * release_paced), how much has been written, and when the first chunk left. */
typedef struct {
  char *body;
  size_t len, sent;
  pace_t pace;
  double start;
  int started;
} paced_t;

static void release_paced(void *state) { free(((paced_t *)state)->body); }

/* Writes the chunks that are due, as httpbin's generator does: a full chunk
 * at start + offset x ms_per_byte, a final short chunk after its own pause,
 * and the end of the body once len x ms_per_byte has passed. */
static int64_t paced_produce(hs__exchange_t *x, void *state) {
  paced_t *p = state;
  double now = (double)x->ctx->now_ms;
  if (!p->started) {
    p->started = 1;
    p->start = now;
  }
  while (p->sent < p->len) {
    size_t k = p->len - p->sent;
    size_t due_at = p->sent;
    if (k >= p->pace.chunk)
      k = p->pace.chunk;
    else
      due_at += k; /* the short last chunk waits for its own bytes */
    double due = p->start + (double)due_at * p->pace.ms_per_byte;
    if (now < due)
      return hs__produce_at(x, due);
    hs__resp_write(x, p->body + p->sent, k);
    p->sent += k;
    if (hs__resp_pending(x) >= 65536 || !hs__resp_room(x))
      return HS_PRODUCE_MORE; /* let it drain first */
  }
  double end = p->start + (double)p->len * p->pace.ms_per_byte;
  if (now < end)
    return hs__produce_at(x, end);
  hs__resp_finish(x, NULL);
  return HS_PRODUCE_DONE;
}

/* Ends the response begun in r with `body` (len bytes, borrowed, of which
 * `data` are bytes of the resource): at once, or paced when a duration was
 * asked for (the body is copied for later). The body takes data x
 * ms_per_byte, as httpbin's would: a multipart body spreads that time over
 * its part heads too, and never takes longer than the duration asked for
 * (overlapping ranges can repeat bytes). */
static void range_send(hs__exchange_t *x, hs__resp_t *r, const char *ctype, const char *body,
                       size_t len, size_t data, const pace_t *pace) {
  if (pace->ms_per_byte <= 0 || !len || x->head) {
    hs__resp_end(r, ctype, body, len);
    return;
  }
  pace_t pc = *pace;
  double total = pc.ms_per_byte * (double)data;
  pc.ms_per_byte = (total < pc.ms ? total : pc.ms) / (double)len;
  char *copy = malloc(len);
  paced_t *p = copy ? hs__defer(x, paced_produce, release_paced, sizeof *p, HS_PRODUCE_MORE) : NULL;
  if (!p) {
    free(copy);
    hs__resp_end(r, ctype, body, len); /* no memory to pace: send at once */
    return;
  }
  memcpy(copy, body, len);
  p->body = copy;
  p->len = len;
  p->pace = pc;
  hs__resp_end_stream(r, ctype, len);
}

/* The whole resource: 200 with Content-Range covering it, as httpbin does. */
static void range_whole(hs__exchange_t *x, unsigned long long n, const char *etag,
                        const pace_t *pace) {
  char cr[64];
  int cl = snprintf(cr, sizeof cr, "bytes 0-%llu/%llu", n - 1, n);
  hs__buf_t *b = &x->ctx->scratch;
  b->len = 0;
  fill(hs__buf_reserve(b, (size_t)n), 0, n - 1);
  b->len = (size_t)n;
  hs__resp_t r;
  hs__resp_begin(&r, x, 200);
  hs__resp_hdr(&r, HS_H_ETAG, etag, strlen(etag));
  hs__resp_hdr(&r, HS_H_ACCEPT_RANGES, "bytes", 5);
  hs__resp_hdr(&r, HS_H_CONTENT_RANGE, cr, (size_t)cl);
  range_send(x, &r, OCTETS, b->base, b->len, b->len, pace);
}

/* 206 multipart/byteranges (RFC 9110 §14.6): one part per range, each with
 * its Content-Type and Content-Range; no Content-Range in the header section,
 * which is why the registry's 206 requirement is lifted here. */
static void range_multi(hs__exchange_t *x, unsigned long long n, const char *etag,
                        const hb_range_t *s, int count, const pace_t *pace) {
  char boundary[40], ctype[96];
  snprintf(boundary, sizeof boundary, "hs_byteranges_%08x%08x",
           (unsigned)(hs__ctx_random(x->ctx) * 4294967296.0),
           (unsigned)(hs__ctx_random(x->ctx) * 4294967296.0));
  snprintf(ctype, sizeof ctype, "multipart/byteranges; boundary=%s", boundary);
  hs__buf_t *b = &x->ctx->scratch;
  b->len = 0;
  size_t data = 0;
  for (int i = 0; i < count; i++) {
    hb_byteranges_part(b, boundary, OCTETS, s[i].first, s[i].last, n);
    size_t len = (size_t)(s[i].last - s[i].first + 1);
    fill(hs__buf_reserve(b, len), s[i].first, s[i].last);
    b->len += len;
    data += len;
    hb_byteranges_part_end(b);
  }
  hb_byteranges_close(b, boundary);
  hs__resp_t r;
  hs__resp_begin(&r, x, 206);
  r.requires &= ~HS_HBIT(HS_H_CONTENT_RANGE);
  hs__resp_hdr(&r, HS_H_ETAG, etag, strlen(etag));
  hs__resp_hdr(&r, HS_H_ACCEPT_RANGES, "bytes", 5);
  range_send(x, &r, ctype, b->base, b->len, data, pace);
}

/* GET /range/{n}: n bytes 'a'..'z' repeating (1 <= n <= 102400, else 404),
 * ETag "range{n}", Accept-Ranges: bytes; honours Range and If-Range. */
static void range_n(hs__exchange_t *x) {
  unsigned long long n;
  if (tail_number(x, 1ULL << 60, &n)) {
    hs__resp_error(x, 404, "No such endpoint; use /range/{n} with n a number of bytes.", NULL);
    return;
  }
  char etag[48], cr[64];
  snprintf(etag, sizeof etag, "\"range%llu\"", n);
  if (n == 0 || n > MAX_BYTES) {
    static const char msg[] = "number of bytes must be in the range (0, 102400]";
    hs__resp_t r;
    hs__resp_begin(&r, x, 404);
    hs__resp_hdr(&r, HS_H_ETAG, etag, strlen(etag));
    hs__resp_hdr(&r, HS_H_ACCEPT_RANGES, "bytes", 5);
    hs__resp_end(&r, "text/plain; charset=utf-8", msg, sizeof msg - 1);
    return;
  }
  pace_t pace;
  if (read_pacing(x, n, &pace))
    return;
  const hs__str_t *range = hs__req_header(x->req, "Range");
  const hs__str_t *ifr = hs__req_header(x->req, "If-Range");
  char tag[48];
  snprintf(tag, sizeof tag, "range%llu", n);
  int ifr_ok = !ifr || if_range_ok(ifr, tag);
  hb_range_t spans[HB_RANGE_MAX];
  int count = range && ifr_ok ? hb_range_parse(*range, n, spans) : -1;
  if (count > 1) { /* many overlapping ranges: RFC 9110 §14.2 lets us ignore them */
    unsigned long long total = 0;
    for (int i = 0; i < count; i++)
      total += spans[i].last - spans[i].first + 1;
    if (total > 2 * n)
      count = -1;
  }
  if (count < 0 || (count == 1 && spans[0].first == 0 && spans[0].last == n - 1)) {
    range_whole(x, n, etag, &pace);
  } else if (count == 0) { /* RFC 9110 §15.5.17 */
    int cl = snprintf(cr, sizeof cr, "bytes */%llu", n);
    hs__resp_t r;
    hs__resp_begin(&r, x, 416);
    hs__resp_hdr(&r, HS_H_ETAG, etag, strlen(etag));
    hs__resp_hdr(&r, HS_H_ACCEPT_RANGES, "bytes", 5);
    hs__resp_hdr(&r, HS_H_CONTENT_RANGE, cr, (size_t)cl);
    hs__resp_end(&r, NULL, NULL, 0);
  } else if (count == 1) { /* RFC 9110 §15.3.7.1 */
    int cl = snprintf(cr, sizeof cr, "bytes %llu-%llu/%llu", spans[0].first, spans[0].last, n);
    size_t len = (size_t)(spans[0].last - spans[0].first + 1);
    hs__buf_t *b = &x->ctx->scratch;
    b->len = 0;
    fill(hs__buf_reserve(b, len), spans[0].first, spans[0].last);
    b->len = len;
    hs__resp_t r;
    hs__resp_begin(&r, x, 206);
    hs__resp_hdr(&r, HS_H_ETAG, etag, strlen(etag));
    hs__resp_hdr(&r, HS_H_ACCEPT_RANGES, "bytes", 5);
    hs__resp_hdr(&r, HS_H_CONTENT_RANGE, cr, (size_t)cl);
    range_send(x, &r, OCTETS, b->base, b->len, b->len, &pace);
  } else {
    range_multi(x, n, etag, spans, count, &pace);
  }
}

/* ---- /unstable (go-httpbin) -------------------------------------------------- */

/* Any method: 500 with probability failure_rate (0..1, default 0.5), else 200;
 * ?seed= (a 64-bit integer) makes the answer repeatable. */
static void unstable(hs__exchange_t *x) {
  double rate = 0.5;
  hb_mt_t mt;
  int seeded = 0;
  const char *err = NULL;
  json_t *args = x->req->query.len ? hb_form_args(x->req->query) : NULL;
  json_t *fr = hs__hb_arg(args, "failure_rate"), *seed = hs__hb_arg(args, "seed");
  if (fr && json_string_length(fr)) {
    const char *s = json_string_value(fr);
    char *end;
    rate = strtod(s, &end);
    if (end == s || *end || !isfinite(rate) || rate < 0 || rate > 1)
      err = "Invalid failure_rate: use a number from 0 to 1.";
  }
  if (!err && seed && json_string_length(seed)) {
    const char *s = json_string_value(seed);
    size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0, nd = 0;
    while (s[i] >= '0' && s[i] <= '9')
      i++, nd++;
    if (!nd || s[i] || nd > 18 || hb_mt_seed_python(&mt, (hs__str_t){s, i}))
      err = "Invalid seed: use an integer such as ?seed=42.";
    seeded = 1;
  }
  json_decref(args);
  if (err) {
    hs__resp_error(x, 400, err, NULL);
    return;
  }
  double r = seeded ? hb_mt_random(&mt) : hs__ctx_random(x->ctx);
  hs__resp_t resp;
  hs__resp_begin(&resp, x, r < rate ? 500 : 200);
  hs__resp_end(&resp, "text/plain; charset=utf-8", NULL, 0);
}

const hs__route_t hs__routes_bytes[] = {
    HS_ROUTE("/bytes/", 1, HS_M_GET_HEAD, bytes_n,
             "/bytes/{n}?seed=", "n random bytes (deterministic with a seed)"),
    HS_ROUTE("/range/", 1, HS_M_GET_HEAD, range_n, "/range/{n}",
             "n bytes honouring Range (206, multipart/byteranges, 416) and If-Range"),
    HS_ROUTE("/unstable", 0, HS_M_ALL_BITS, unstable,
             "/unstable?failure_rate=&seed=", "fails at random with 500"),
    HS_ROUTE_END,
};
