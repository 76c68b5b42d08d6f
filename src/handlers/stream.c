/* httpbin-compatible endpoints whose answers take time or come in pieces
 * (issue 4): /delay/{n}, /drip, /stream/{n}, /stream-bytes/{n} (httpbin) and
 * /sse, /jsonl, /trailers (go-httpbin). docs/httpbin-compat.md has the facts.
 *
 * They use the connection's suspension mechanism (hs__defer, response.h): the
 * handler validates its input, answers 400 at once if it is bad, else leaves a
 * small state block and a producer that the connection calls from its event
 * loop when the next piece is due. Streams of unknown length are chunked for
 * HTTP/1.1 and close-delimited for HTTP/1.0 (hs__resp_end_stream). Every
 * duration (initial delay plus pacing) is bounded by --max-delay. */
#include <jansson.h>
#include <math.h> /* isfinite (a macro) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/sbuf.h"
#include "handlers/hb_request.h"
#include "handlers/hb_send.h"
#include "handlers/routes.h"
#include "http/ctx.h"
#include "httpbin/form.h"
#include "httpbin/jsonfmt.h"
#include "httpbin/random.h"

#define DRIP_MAX_BYTES (10u * 1024 * 1024) /* httpbin's silent cap */
#define STREAM_MAX_LINES 100               /* httpbin's /stream cap */
#define STREAM_BYTES_MAX (100u * 1024)     /* httpbin's /stream-bytes cap */
#define MAX_EVENTS 100000                  /* /sse and /jsonl count */
#define SLICE 65536                        /* output appended per producer call */
#define TEXT "text/plain; charset=utf-8"

/* ---- parameters ---- */

/* floor() and ceil() for |v| < 2^62 (the server links no libm). */
static double floor_(double v) {
  double i = (double)(int64_t)v;
  return i > v ? i - 1 : i;
}
static double ceil_(double v) {
  double i = (double)(int64_t)v;
  return i < v ? i + 1 : i;
}

/* The value of query parameter `name` (ASCII case-insensitive, as httpbin's
 * CaseInsensitiveDict; the last such key wins, its first value), from `args`
 * as hb_form_args() builds it; NULL if absent. */
static const char *qparam(const json_t *args, const char *name) {
  const char *found = NULL, *key;
  json_t *v;
  json_object_foreach((json_t *)args, key, v) {
    if (strcasecmp(key, name) != 0)
      continue;
    if (json_is_array(v))
      v = json_array_get(v, 0);
    if (json_is_string(v))
      found = json_string_value(v);
  }
  return found;
}

/* Python's float(s) for plain decimal numbers (surrounding whitespace, sign,
 * digits with '_' between them, fraction, exponent). Returns 0 and *v, or -1. */
static int parse_pyfloat(const char *s, size_t n, double *v) {
  char tmp[64];
  size_t k = 0;
  const char *e = s + n;
  while (s < e && hs__is_pyspace(*s))
    s++;
  while (e > s && hs__is_pyspace(e[-1]))
    e--;
  if (s == e || (size_t)(e - s) >= sizeof(tmp))
    return -1;
  for (const char *p = s; p < e; p++) {
    char c = *p;
    if (c == '_') {
      if (p == s || p + 1 == e || p[-1] < '0' || p[-1] > '9' || p[1] < '0' || p[1] > '9')
        return -1;
      continue;
    }
    if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'))
      return -1;
    tmp[k++] = c;
  }
  tmp[k] = 0;
  char *end;
  double d = strtod(tmp, &end);
  if (*end || end == tmp || !isfinite(d))
    return -1;
  *v = d;
  return 0;
}

/* A Go duration ("300ms", "1m30s", "1.5h"; units ns us µs ms s m h), as
 * go-httpbin takes them. Returns 0 and *sec, or -1. */
static int parse_go_duration(const char *s, size_t n, double *sec) {
  static const struct {
    const char *u;
    double mult;
  } units[] = {{"ns", 1e-9}, {"us", 1e-6}, {"\xc2\xb5s", 1e-6}, {"\xce\xbcs", 1e-6},
               {"ms", 1e-3}, {"s", 1},     {"m", 60},           {"h", 3600}};
  const char *p = s, *e = s + n;
  double total = 0;
  int neg = 0;
  if (p < e && (*p == '-' || *p == '+'))
    neg = *p++ == '-';
  if (p == e)
    return -1;
  if (e - p == 1 && *p == '0') {
    *sec = 0;
    return 0;
  }
  while (p < e) {
    const char *q = p;
    while (q < e && ((*q >= '0' && *q <= '9') || *q == '.'))
      q++;
    double num;
    if (q == p || parse_pyfloat(p, (size_t)(q - p), &num) != 0)
      return -1;
    const char *u = q;
    while (u < e && !((*u >= '0' && *u <= '9') || *u == '.'))
      u++;
    size_t ul = (size_t)(u - q);
    double mult = -1;
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
      if (strlen(units[i].u) == ul && memcmp(units[i].u, q, ul) == 0)
        mult = units[i].mult;
    if (mult < 0)
      return -1;
    total += num * mult;
    p = u;
  }
  if (!isfinite(total))
    return -1;
  *sec = neg ? -total : total;
  return 0;
}

/* Seconds as httpbin (a float) or go-httpbin (a Go duration) take them;
 * negative, non-finite or unparsable values fail. Returns 0 and *ms (rounded
 * up to whole milliseconds; huge values saturate, for the cap to refuse), or
 * -1. */
static int parse_seconds(const char *s, size_t n, double *ms) {
  double sec;
  if (parse_pyfloat(s, n, &sec) != 0 && parse_go_duration(s, n, &sec) != 0)
    return -1;
  if (!(sec >= 0))
    return -1;
  if (sec > 1e9)
    sec = 1e9;
  *ms = ceil_(sec * 1000.0 - 1e-6);
  if (*ms < 0)
    *ms = 0;
  return 0;
}

/* The {n} of /stream/{n}: Werkzeug's <int> converter, digits only; larger
 * values saturate (they are capped anyway). Returns 0 and *n, or -1 (→ 404). */
static int path_uint(hs__str_t t, uint64_t *n) {
  if (t.len == 0)
    return -1;
  uint64_t v = 0;
  for (size_t i = 0; i < t.len; i++) {
    if (t.ptr[i] < '0' || t.ptr[i] > '9')
      return -1;
    v = v > UINT64_MAX / 20 ? UINT64_MAX / 20 : v * 10 + (uint64_t)(t.ptr[i] - '0');
  }
  *n = v;
  return 0;
}

static void not_found(hs__exchange_t *x) {
  hs__resp_error(x, 404, "No such endpoint; GET /api lists them.", NULL);
}

static void bad_request(hs__exchange_t *x, const char *msg) { hs__resp_error(x, 400, msg, NULL); }

/* Query args of x (a new reference; NULL if out of memory, after answering 503). */
static json_t *query_args(hs__exchange_t *x) {
  json_t *a = hb_form_args(x->req->query);
  if (!a)
    hs__resp_error(x, 503, "Out of memory; retry later.", NULL);
  return a;
}

static uint64_t wall_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void release_json(void *state) { json_decref(*(json_t **)state); }

/* Suspends x with a copy of the plain-data state `st` (a producer already ran
 * once from the handler when nothing was to wait for). Without memory: an
 * answer at once, or closing if the head is already out. */
static void suspend_copy(hs__exchange_t *x, hs_produce_fn fn, const void *st, size_t size,
                         int64_t wait) {
  void *d = hs__defer(x, fn, NULL, size, wait);
  if (d)
    memcpy(d, st, size);
  else if (x->status)
    hs__resp_abort(x);
  else
    hs__resp_error(x, 503, "Out of memory; retry later.", NULL);
}

/* ---- /delay/{n} ---- */

/* The answer after the delay: /anything's keys minus json and method. */
static int64_t delay_produce(hs__exchange_t *x, void *state) {
  (void)state;
  json_t *d =
      hs__hb_request_dict(x, HS_HB_URL | HS_HB_ARGS | HS_HB_HEADERS | HS_HB_ORIGIN | HS_HB_BODY);
  if (!d) {
    hs__resp_error(x, 503, "Out of memory; retry later.", NULL);
    return HS_PRODUCE_DONE;
  }
  json_object_del(d, "json");
  hs__hb_send_json(x, 200, d, NULL);
  json_decref(d);
  return HS_PRODUCE_DONE;
}

static void delay_handler(hs__exchange_t *x) {
  double ms;
  if (x->tail.len == 0 || memchr(x->tail.ptr, '/', x->tail.len))
    return not_found(x);
  if (parse_seconds(x->tail.ptr, x->tail.len, &ms) != 0)
    return bad_request(
        x, "The delay must be a number of seconds >= 0, such as /delay/2 or /delay/0.5.");
  if (ms > (double)x->ctx->cfg->max_delay_ms) {
    char msg[160];
    snprintf(msg, sizeof(msg),
             "The delay is longer than this server allows: at most %.3g s (raise it with "
             "httpstatus serve --max-delay).",
             (double)x->ctx->cfg->max_delay_ms / 1000.0);
    return bad_request(x, msg);
  }
  if (ms <= 0)
    delay_produce(x, NULL);
  else if (!hs__defer(x, delay_produce, NULL, 0, (int64_t)ms))
    hs__resp_error(x, 503, "Out of memory; retry later.", NULL);
}

/* ---- /drip ---- */

typedef struct {
  uint64_t n, sent;
  double start, pause; /* ms: when byte 0 is due, and between bytes */
  int code;
  int started; /* head written */
} drip_t;

static const char stars[4096] = {[0 ... 4095] = '*'};

/* Head after the optional delay, then `n` '*' paced over the duration (byte i
 * due at start + i * pause, the end at start + n * pause, as httpbin); bytes
 * already due leave together. */
static int64_t drip_produce(hs__exchange_t *x, void *state) {
  drip_t *d = state;
  double now = (double)x->ctx->now_ms;
  if (!d->started) {
    hs__resp_t r;
    hs__resp_begin(&r, x, d->code);
    hs__resp_required(&r, d->n); /* e.g. code=401 needs WWW-Authenticate */
    hs__resp_end_stream(&r, "application/octet-stream", d->n);
    d->started = 1;
    d->start = now;
    if (x->no_content) {
      hs__resp_finish(x, NULL);
      return HS_PRODUCE_DONE;
    }
  }
  uint64_t due = d->n;
  if (d->pause > 0) {
    double k = floor_((now - d->start) / d->pause) + 1;
    if (k < (double)d->n)
      due = k < 0 ? 0 : (uint64_t)k;
  }
  size_t budget = SLICE;
  while (d->sent < due && budget) {
    size_t k = (size_t)(due - d->sent);
    if (k > sizeof(stars))
      k = sizeof(stars);
    if (k > budget)
      k = budget;
    hs__resp_write(x, stars, k);
    d->sent += k;
    budget -= k;
  }
  if (d->sent >= d->n) {
    /* httpbin pauses after each byte, the last one too: the body ends at
     * start + duration (numbytes=5&duration=1 takes 1 s, not 0.8 s) */
    double end = d->start + (double)d->n * d->pause;
    if (d->pause > 0 && now < end)
      return hs__produce_at(x, end);
    hs__resp_finish(x, NULL);
    return HS_PRODUCE_DONE;
  }
  if (d->sent < due)
    return HS_PRODUCE_MORE;
  return hs__produce_at(x, d->start + (double)d->sent * d->pause);
}

static void drip_handler(hs__exchange_t *x) {
  json_t *args = query_args(x);
  if (!args)
    return;
  const char *v;
  double duration = 2000, delay = 0;
  long numbytes = 10, code = 200;
  const char *err = NULL;
  if ((v = qparam(args, "numbytes")) && hs__parse_pyint(v, strlen(v), &numbytes) != 0)
    err = "numbytes must be an integer.";
  else if ((v = qparam(args, "code")) &&
           (hs__parse_pyint(v, strlen(v), &code) != 0 || code < 200 || code > 599))
    err = "code must be a final status code from 200 to 599.";
  else if ((v = qparam(args, "duration")) && parse_seconds(v, strlen(v), &duration) != 0)
    err = "duration must be a number of seconds >= 0.";
  else if ((v = qparam(args, "delay")) && parse_seconds(v, strlen(v), &delay) != 0)
    err = "delay must be a number of seconds >= 0.";
  json_decref(args);
  if (err)
    return bad_request(x, err);
  if (numbytes <= 0) { /* httpbin's answer, verbatim */
    hs__resp_t r;
    hs__resp_begin(&r, x, 400);
    hs__resp_end(&r, TEXT, "number of bytes must be positive", 32);
    return;
  }
  if (duration + delay > (double)x->ctx->cfg->max_delay_ms)
    return bad_request(x, "duration + delay is longer than this server allows (--max-delay).");
  if ((unsigned long)numbytes > DRIP_MAX_BYTES)
    numbytes = DRIP_MAX_BYTES;
  drip_t d = {.n = (uint64_t)numbytes, .pause = duration / (double)numbytes, .code = (int)code};
  int64_t wait = (int64_t)delay;
  if (delay <= 0 && (wait = drip_produce(x, &d)) == HS_PRODUCE_DONE)
    return; /* all at once */
  suspend_copy(x, drip_produce, &d, sizeof(d), wait);
}

/* ---- /stream-bytes/{n} ---- */

typedef struct {
  hb_mt_t mt;
  uint64_t left;
  size_t chunk;
} sbytes_t;

/* `left` random bytes in chunks of `chunk` (one HTTP chunk each), a slice at a
 * time so that a slow reader holds back the generation. */
static int64_t sbytes_produce(hs__exchange_t *x, void *state) {
  sbytes_t *s = state;
  uint8_t buf[4096];
  size_t start = hs__resp_pending(x);
  while (s->left && hs__resp_pending(x) - start < SLICE && hs__resp_room(x)) {
    size_t k = s->chunk < s->left ? s->chunk : (size_t)s->left;
    if (k <= sizeof(buf)) {
      hb_mt_python_bytes(&s->mt, buf, k);
      hs__resp_write(x, buf, k);
    } else { /* one chunk larger than buf: build it in the scratch buffer */
      hs__buf_t *b = &x->ctx->scratch;
      b->len = 0;
      uint8_t *p = (uint8_t *)hs__buf_reserve(b, k);
      hb_mt_python_bytes(&s->mt, p, k);
      hs__resp_write(x, p, k);
    }
    s->left -= k;
  }
  if (s->left)
    return HS_PRODUCE_MORE;
  hs__resp_finish(x, NULL);
  return HS_PRODUCE_DONE;
}

static void stream_bytes_handler(hs__exchange_t *x) {
  uint64_t n;
  if (path_uint(x->tail, &n) != 0)
    return not_found(x);
  json_t *args = query_args(x);
  if (!args)
    return;
  const char *seed = qparam(args, "seed"), *cs = qparam(args, "chunk_size");
  long chunk = 10240;
  const char *err = NULL;
  hb_mt_t mt;
  if (cs && hs__parse_pyint(cs, strlen(cs), &chunk) != 0)
    err = "chunk_size must be an integer.";
  else if (seed && hb_mt_seed_python(&mt, (hs__str_t){seed, strlen(seed)}) != 0)
    err = "seed must be an integer.";
  json_decref(args);
  if (err)
    return bad_request(x, err);
  if (!seed) {
    uint32_t key[2] = {(uint32_t)(hs__ctx_random(x->ctx) * 4294967296.0),
                       (uint32_t)(hs__ctx_random(x->ctx) * 4294967296.0)};
    hb_mt_seed_array(&mt, key, 2);
  }
  if (chunk < 1)
    chunk = 1;
  if (chunk > (long)STREAM_BYTES_MAX)
    chunk = STREAM_BYTES_MAX;
  hs__resp_t r;
  hs__resp_begin(&r, x, 200);
  hs__resp_end_stream(&r, "application/octet-stream", HS_LEN_UNKNOWN);
  if (x->no_content || n == 0)
    return hs__resp_finish(x, NULL);
  sbytes_t *s = hs__defer(x, sbytes_produce, NULL, sizeof(*s), HS_PRODUCE_MORE);
  if (!s) {
    hs__resp_abort(x); /* head sent, nothing can follow */
    return;
  }
  s->mt = mt;
  s->left = n < STREAM_BYTES_MAX ? n : STREAM_BYTES_MAX;
  s->chunk = (size_t)chunk;
}

/* ---- /stream/{n} ---- */

typedef struct {
  json_t *obj; /* first: release_json frees it */
  int next, n;
} lines_t;

/* One json.dumps() line per id (keys url, args, headers, origin, id). */
static int64_t stream_produce(hs__exchange_t *x, void *state) {
  lines_t *s = state;
  hs__buf_t *b = &x->ctx->scratch;
  b->len = 0;
  while (s->next < s->n && b->len < SLICE) {
    json_object_set_new(s->obj, "id", json_integer(s->next++));
    if (hb_json_to_buf(b, s->obj, HB_JSON_PYDUMPS) != 0)
      break;
    hs__buf_lit(b, "\n");
  }
  hs__resp_write(x, b->base, b->len);
  if (s->next < s->n)
    return HS_PRODUCE_MORE;
  hs__resp_finish(x, NULL);
  return HS_PRODUCE_DONE;
}

static void stream_handler(hs__exchange_t *x) {
  uint64_t n;
  if (path_uint(x->tail, &n) != 0)
    return not_found(x);
  if (n > STREAM_MAX_LINES)
    n = STREAM_MAX_LINES;
  json_t *obj = NULL;
  if (n && !x->head) { /* httpbin's key order: url, args, headers, origin, id */
    json_t *d = hs__hb_request_dict(x, HS_HB_URL | HS_HB_ARGS | HS_HB_HEADERS | HS_HB_ORIGIN);
    obj = json_object();
    if (!d || !obj) {
      json_decref(d);
      json_decref(obj);
      return hs__resp_error(x, 503, "Out of memory; retry later.", NULL);
    }
    static const char *const keys[] = {"url", "args", "headers", "origin"};
    for (size_t i = 0; i < 4; i++) {
      json_t *v = json_object_get(d, keys[i]);
      json_object_set(obj, keys[i], v ? v : json_null());
    }
    json_decref(d);
  }
  hs__resp_t r;
  hs__resp_begin(&r, x, 200);
  hs__resp_end_stream(&r, "application/json", HS_LEN_UNKNOWN);
  lines_t *s = obj ? hs__defer(x, stream_produce, release_json, sizeof(*s), HS_PRODUCE_MORE) : NULL;
  if (!s) {
    if (obj) { /* out of memory after the head */
      json_decref(obj);
      return hs__resp_abort(x);
    }
    return hs__resp_finish(x, NULL);
  }
  s->obj = obj;
  s->n = (int)n;
}

/* ---- /sse and /jsonl (go-httpbin) ---- */

typedef struct {
  double start, pause, jitter; /* ms */
  double next_at;
  int count, next, started, jsonl;
} events_t;

/* Head after the delay, then `count` events: event i at start + i * pause
 * (jittered for /jsonl). SSE: "event: ping" + data {"id","timestamp"}. */
static int64_t events_produce(hs__exchange_t *x, void *state) {
  events_t *e = state;
  double now = (double)x->ctx->now_ms;
  if (!e->started) {
    hs__resp_t r;
    hs__resp_begin(&r, x, 200);
    hs__resp_end_stream(
        &r, e->jsonl ? "application/jsonl; charset=utf-8" : "text/event-stream; charset=utf-8",
        HS_LEN_UNKNOWN);
    e->started = 1;
    e->start = e->next_at = now;
    if (x->no_content) {
      hs__resp_finish(x, NULL);
      return HS_PRODUCE_DONE;
    }
  }
  char line[128];
  size_t start = hs__resp_pending(x);
  while (e->next < e->count && e->next_at <= now && hs__resp_pending(x) - start < SLICE &&
         hs__resp_room(x)) {
    unsigned long long ts = (unsigned long long)wall_ms();
    int n = e->jsonl
                ? snprintf(line, sizeof(line), "{\"id\":%d,\"timestamp\":%llu}\n", e->next, ts)
                : snprintf(line, sizeof(line),
                           "event: ping\ndata: {\"id\":%d,\"timestamp\":%llu}\n\n", e->next, ts);
    hs__resp_write(x, line, (size_t)n);
    e->next++;
    double step = e->pause;
    if (e->jitter > 0)
      step *= 1 + e->jitter * (2 * hs__ctx_random(x->ctx) - 1);
    e->next_at += step;
  }
  if (e->next >= e->count) {
    hs__resp_finish(x, NULL);
    return HS_PRODUCE_DONE;
  }
  return e->next_at <= now ? HS_PRODUCE_MORE : hs__produce_at(x, e->next_at);
}

static void events_handler(hs__exchange_t *x, int jsonl) {
  json_t *args = query_args(x);
  if (!args)
    return;
  const char *v;
  long count = 10;
  double duration = jsonl ? 0 : 5000, delay = 0, jitter = 0;
  const char *err = NULL;
  if ((v = qparam(args, "count")) &&
      (hs__parse_pyint(v, strlen(v), &count) != 0 || count < 1 || count > MAX_EVENTS))
    err = "count must be an integer from 1 to 100000.";
  else if ((v = qparam(args, "duration")) && parse_seconds(v, strlen(v), &duration) != 0)
    err = "duration must be a duration such as 300ms, 2s or 1.5.";
  else if ((v = qparam(args, "delay")) && parse_seconds(v, strlen(v), &delay) != 0)
    err = "delay must be a duration such as 300ms, 2s or 1.5.";
  else if (jsonl && (v = qparam(args, "jitter")) &&
           (parse_pyfloat(v, strlen(v), &jitter) != 0 || jitter < 0 || jitter > 1))
    err = "jitter must be a number from 0 to 1.";
  json_decref(args);
  if (err)
    return bad_request(x, err);
  if (duration + delay > (double)x->ctx->cfg->max_delay_ms)
    return bad_request(x, "duration + delay is longer than this server allows (--max-delay).");
  events_t e = {.count = (int)count,
                .pause = count > 1 ? duration / (double)(count - 1) : 0,
                .jitter = jitter,
                .jsonl = jsonl};
  int64_t wait = (int64_t)delay;
  if (delay <= 0 && (wait = events_produce(x, &e)) == HS_PRODUCE_DONE)
    return;
  suspend_copy(x, events_produce, &e, sizeof(e), wait);
}

static void sse_handler(hs__exchange_t *x) { events_handler(x, 0); }
static void jsonl_handler(hs__exchange_t *x) { events_handler(x, 1); }

/* ---- /trailers (go-httpbin) ---- */

/* Field names a trailer must not carry (RFC 9110 §6.5.1; go-httpbin's list). */
static int forbidden_trailer(const char *k) {
  static const char *const names[] = {"authorization",
                                      "cache-control",
                                      "content-encoding",
                                      "content-length",
                                      "content-range",
                                      "content-type",
                                      "host",
                                      "max-forwards",
                                      "set-cookie",
                                      "te",
                                      "trailer",
                                      "transfer-encoding"};
  for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
    if (strcasecmp(k, names[i]) == 0)
      return 1;
  return 0;
}

/* `k` in canonical form (Go's CanonicalHeaderKey: X-Trailer-A), in `b`
 * (cleared first). */
static void canonical_name(hs__sbuf_t *b, const char *k) {
  b->len = 0;
  int up = 1;
  for (; *k; k++) {
    char c = *k;
    if (up && c >= 'a' && c <= 'z')
      c = (char)(c - 32);
    else if (!up && c >= 'A' && c <= 'Z')
      c = (char)(c + 32);
    hs__sbuf_addc(b, c);
    up = c == '-';
  }
}

/* Every query parameter becomes a trailer field (its last value), announced
 * in Trailer; the content is /anything's object, always chunked (RFC 9112
 * §7.1.2). Names must be tokens and not forbidden, values field-content. */
static void trailers_handler(hs__exchange_t *x) {
  json_t *args = query_args(x);
  if (!args)
    return;
  const char *key;
  json_t *v;
  hs__fields_t tr = HS_FIELDS_INIT, ann = HS_FIELDS_INIT;
  hs__sbuf_t name = HS_SBUF_INIT;
  const char *err = NULL;
  json_object_foreach(args, key, v) {
    if (json_is_array(v))
      v = json_array_get(v, json_array_size(v) - 1);
    const char *val = json_string_value(v);
    int ok = key[0] != 0 && val;
    for (const char *p = key; ok && *p; p++)
      ok = hs__is_tchar((unsigned char)*p);
    for (const char *p = val; ok && *p; p++)
      ok = (unsigned char)*p >= 0x20 ? *p != 0x7f : *p == '\t';
    if (!ok) {
      err = "Trailer names must be tokens and values printable text.";
      break;
    }
    if (forbidden_trailer(key)) {
      err = "Forbidden trailer name (Authorization, Cache-Control, Content-*, Host, Max-Forwards, "
            "Set-Cookie, TE, Trailer, Transfer-Encoding).";
      break;
    }
    canonical_name(&name, key);
    if (name.oom)
      break;
    hs__fields_add(&ann, "Trailer", 7, name.p, name.len);
    hs__fields_add(&tr, name.p, name.len, val, strlen(val));
  }
  json_decref(args);
  int oom = name.oom || hs__fields_oom(&ann) || hs__fields_oom(&tr);
  json_t *d = err || oom ? NULL
                         : hs__hb_request_dict(x, HS_HB_URL | HS_HB_ARGS | HS_HB_HEADERS |
                                                      HS_HB_ORIGIN | HS_HB_BODY | HS_HB_METHOD);
  hs__buf_t *b = &x->ctx->scratch;
  b->len = 0;
  if (err)
    bad_request(x, err);
  else if (!d || hb_json_to_buf(b, d, HB_JSON_FLASK_PRETTY) != 0)
    hs__resp_error(x, 503, "Out of memory; retry later.", NULL);
  else {
    hs__resp_t r;
    hs__resp_begin(&r, x, 200);
    hs__resp_fields(&r, &ann);
    hs__resp_end_stream(&r, "application/json", HS_LEN_UNKNOWN);
    hs__resp_write(x, b->base, b->len);
    hs__resp_finish(x, &tr);
  }
  json_decref(d);
  hs__sbuf_free(&name);
  hs__fields_free(&tr);
  hs__fields_free(&ann);
}

const hs__route_t hs__routes_stream[] = {
    HS_ROUTE("/delay/", 1, HS_M_GET_HEAD, delay_handler, "/delay/{seconds}",
             "answers after a delay (fractions allowed, capped)"),
    HS_ROUTE("/drip", 0, HS_M_GET_HEAD, drip_handler,
             "/drip?duration=&numbytes=&code=&delay=", "sends bytes slowly"),
    HS_ROUTE("/stream/", 1, HS_M_GET_HEAD, stream_handler, "/stream/{n}", "n JSON lines"),
    HS_ROUTE("/stream-bytes/", 1, HS_M_GET_HEAD, stream_bytes_handler,
             "/stream-bytes/{n}?chunk_size=&seed=", "n random bytes, chunked"),
    HS_ROUTE("/sse", 0, HS_M_GET_HEAD, sse_handler, "/sse", "server-sent events"),
    HS_ROUTE("/jsonl", 0, HS_M_GET_HEAD, jsonl_handler, "/jsonl", "JSON lines over time"),
    HS_ROUTE("/trailers", 0, HS_M_ALL_BITS, trailers_handler, "/trailers?K=V",
             "a chunked response with trailer fields"),
    HS_ROUTE_END,
};
