/* libFuzzer harness for the request path: llhttp adapter + router + handlers +
 * response writer, no sockets. The first byte of the input chooses how the rest
 * is split into reads (to exercise requests that span reads). Oracle: the
 * output, gathered over the whole connection, is a sequence of responses each
 * framed as RFC 9112 §6 says (check_framing). Suspended exchanges (/delay,
 * /drip, /stream ...) are driven by calling their producer with the clock set
 * to the time it asked for, a bounded number of times; one still running at the
 * end is abandoned (as when a client goes away). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define HS_FUZZ_SERVER
#include "fuzz_harness.h"
#include "server/http1/http1.h"

HS_FUZZ_SERVER_STATE(cfg, ctx)

static int starts_response(const char *p, size_t n) {
  return n >= 9 && memcmp(p, "HTTP/1.1 ", 9) == 0;
}

/* Offset just past the CRLF that ends the line at p[i..n), or 0 if none. */
static size_t line_end(const char *p, size_t i, size_t n) {
  for (; i + 1 < n; i++)
    if (p[i] == '\r' && p[i + 1] == '\n')
      return i + 2;
  return 0;
}

/* Length of a chunked body (RFC 9112 §7.1: hex size CRLF, data CRLF, ...,
 * "0" CRLF, trailer fields, CRLF; we send no chunk extensions) at p[i..n),
 * or 0 if the bytes there are not one. */
static size_t chunked_len(const char *p, size_t i, size_t n) {
  size_t start = i;
  for (;;) {
    size_t size = 0, digits = 0;
    for (; i < n && digits < 16; i++, digits++) {
      char c = p[i];
      int v = c >= '0' && c <= '9'   ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                     : -1;
      if (v < 0)
        break;
      size = size * 16 + (size_t)v;
    }
    if (!digits || n - i < 2 || p[i] != '\r' || p[i + 1] != '\n')
      return 0;
    i += 2;
    if (size == 0)
      break;
    if (n - i < size + 2 || p[i + size] != '\r' || p[i + size + 1] != '\n')
      return 0;
    i += size + 2;
  }
  for (;;) { /* trailer section */
    size_t e = line_end(p, i, n);
    if (!e)
      return 0;
    if (e == i + 2)
      return e - start;
    i = e;
  }
}

/* Is the field line p[i..e) (CRLF excluded) named `name` (lower case)? Its
 * value (OWS trimmed) is returned in *v. */
static int field_is(const char *p, size_t i, size_t e, const char *name, const char **v,
                    size_t *vl) {
  size_t nl = strlen(name);
  if (e - i <= nl || p[i + nl] != ':')
    return 0;
  for (size_t k = 0; k < nl; k++) {
    char c = p[i + k];
    if ((c >= 'A' && c <= 'Z' ? c | 0x20 : c) != name[k])
      return 0;
  }
  size_t a = i + nl + 1;
  while (a < e && (p[a] == ' ' || p[a] == '\t'))
    a++;
  size_t b = e;
  while (b > a && (p[b - 1] == ' ' || p[b - 1] == '\t'))
    b--;
  *v = p + a;
  *vl = b - a;
  return 1;
}

/* Checks every response in out[0..n) (RFC 9112 §6): a status line, field
 * lines with a name and a colon, then content framed by exactly one of
 * Content-Length (that many bytes follow) or chunked coding (well-formed
 * chunks), none for 1xx, 204 and 304 (RFC 9110 §6.4.1, where neither field
 * may be sent for 1xx and 204), or up to the end when neither is there. A
 * response to HEAD sends no content whatever its fields say, which the
 * stream cannot tell apart otherwise: then the next response (or the end)
 * must follow the head at once. After 101 the bytes are another protocol's.
 * `cut`: the last response may stop early (an exchange abandoned at the end
 * of the input). Returns where the output ends: FRAMING_WHOLE where a
 * response would start, FRAMING_INSIDE inside one (cut short, or delimited by
 * the close), FRAMING_TUNNEL in another protocol's bytes after a 101. */
enum { FRAMING_INSIDE, FRAMING_WHOLE, FRAMING_TUNNEL };

static int check_framing(const char *p, size_t n, int cut) {
  size_t i = 0;
  while (i < n) {
    if (n - i < 13 || !starts_response(p + i, n - i) || p[i + 12] != ' ')
      abort();
    int status = 0;
    for (int k = 9; k < 12; k++) {
      if (p[i + k] < '0' || p[i + k] > '9')
        abort();
      status = status * 10 + (p[i + k] - '0');
    }
    if (status < 100 || status > 599)
      abort();
    size_t e = line_end(p, i, n), cl = 0;
    int has_cl = 0, chunked = 0;
    if (!e) {
      if (cut)
        return FRAMING_INSIDE;
      abort();
    }
    for (;;) { /* field lines up to the empty line */
      size_t f = e;
      e = line_end(p, f, n);
      if (!e) {
        if (cut)
          return FRAMING_INSIDE;
        abort(); /* a head that never ends */
      }
      if (e == f + 2)
        break;
      const char *colon = memchr(p + f, ':', e - 2 - f);
      if (!colon || colon == p + f)
        abort(); /* a field line without a name */
      const char *v;
      size_t vl;
      if (field_is(p, f, e - 2, "content-length", &v, &vl)) {
        if (has_cl || !vl || vl > 15)
          abort();
        for (size_t k = 0; k < vl; k++) {
          if (v[k] < '0' || v[k] > '9')
            abort();
          cl = cl * 10 + (size_t)(v[k] - '0');
        }
        has_cl = 1;
      } else if (field_is(p, f, e - 2, "transfer-encoding", &v, &vl)) {
        if (chunked || vl != 7 || memcmp(v, "chunked", 7) != 0)
          abort();
        chunked = 1;
      }
    }
    i = e;
    if (has_cl && chunked)
      abort(); /* RFC 9112 §6.2: never both */
    if ((status < 200 || status == 204) && (has_cl || chunked))
      abort();
    if (status == 101)
      return FRAMING_TUNNEL;
    if (status < 200 || status == 204 || status == 304)
      continue;
    int at_next = i == n || starts_response(p + i, n - i); /* a HEAD response */
    if (chunked) {
      size_t len = chunked_len(p, i, n);
      if (len && (i + len == n || starts_response(p + i + len, n - i - len)))
        i += len;
      else if (!at_next && !cut)
        abort();
      else if (!at_next)
        return FRAMING_INSIDE;
    } else if (has_cl) {
      if (n - i >= cl && (i + cl == n || starts_response(p + i + cl, n - i - cl)))
        i += cl;
      else if (!at_next && !(cut && n - i < cl))
        abort(); /* Content-Length against the bytes sent */
      else if (!at_next)
        return FRAMING_INSIDE;
    } else {
      return i == n ? FRAMING_WHOLE : FRAMING_INSIDE; /* delimited by the close */
    }
  }
  return FRAMING_WHOLE;
}

/* Appends the connection's output to `all` and empties it. */
static void take_output(hs__h1_t *h, hs__buf_t *all) {
  hs__buf_append(all, h->out.base, h->out.len);
  h->out.len = 0;
}

#define MAX_PRODUCE_CALLS 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0)
    return 0;
  size_t step = data[0] & 0x3f; /* 0 = everything at once */
  data++, size--;
  hs__h1_t h;
  hs__h1_init(&h, &ctx, "fuzz");
  hs__buf_t all;
  hs__buf_init(&all, NULL);
  ctx.now_ms = 1000;
  size_t off = 0;
  unsigned f = 0;
  int calls = 0;
  while (off < size && !(f & HS_H1_CLOSE)) {
    size_t avail;
    char *p = hs__h1_rbuf(&h, &avail);
    size_t n = step ? step : size - off;
    if (n > size - off)
      n = size - off;
    if (n > avail)
      n = avail;
    if (n == 0 && hs__h1_suspended(&h)) { /* the read buffer is full: let it finish */
      if (calls++ >= MAX_PRODUCE_CALLS)
        break;
      if (ctx.now_ms < hs__h1_wake(&h))
        ctx.now_ms = hs__h1_wake(&h);
      f = hs__h1_produce(&h);
      take_output(&h, &all);
      continue;
    }
    memcpy(p, data + off, n);
    off += n;
    f = hs__h1_feed(&h, n);
    take_output(&h, &all);
    while (hs__h1_suspended(&h) && !(f & HS_H1_CLOSE) && calls < MAX_PRODUCE_CALLS &&
           (n == 0 || off == size)) { /* all input given: run the exchange on */
      calls++;
      if (ctx.now_ms < hs__h1_wake(&h))
        ctx.now_ms = hs__h1_wake(&h);
      f = hs__h1_produce(&h);
      take_output(&h, &all);
    }
    hs__h1_release_idle(&h);
  }
  /* an exchange still suspended is abandoned half-way, as when a client leaves */
  int whole = check_framing(all.base, all.len, hs__h1_suspended(&h));
  if (!(f & HS_H1_CLOSE)) {
    f = hs__h1_timeout(&h);        /* a request left half-way gets 408 */
    if (whole != FRAMING_TUNNEL) { /* after 101 it is the tunnel's goodbye */
      if (h.out.len && whole != FRAMING_WHOLE)
        abort(); /* a response inside another one */
      check_framing(h.out.base, h.out.len, 0);
    }
  }
  hs__h1_free(&h);
  hs__buf_release(&all);
  return 0;
}
