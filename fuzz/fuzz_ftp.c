/* libFuzzer harness for the FTP session (src/ftp): command bytes in → replies
 * out, no sockets. The first input byte chooses the session's options (TLS
 * offered, language, 120 greeting, IPv6, tiny limits); the rest is a script of
 * steps, each one byte then its operand: control bytes to feed, a data event
 * (open, done, reset, no connection, stall, closed), upload bytes, the 220
 * after a 120, the end of a TLS handshake, or a 421. The fake I/O answers the
 * session's requests like the server would and reads every byte a transfer
 * hands over, at the start and again when it ends (lifetime check).
 * Oracle: the output is a sequence of well-formed replies (RFC 959 §4.2:
 * "NNN " or "NNN-" lines ending in CRLF, no bare CR or LF, multi-line replies
 * closed by "NNN " with the same code, inner lines not looking like replies),
 * every code is an FTP code of the registry, and nothing follows a close. The
 * reply writer is also fed the raw input as a detail text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ftp/ftp.h"
#include "fuzz_harness.h"

typedef struct {
  int listening, active;
  const char *xdata;
  size_t xlen;
  int xfer;
  unsigned sum;
} fake_t;

static void touch(fake_t *f) {
  for (size_t i = 0; i < f->xlen; i++)
    f->sum += (unsigned char)f->xdata[i];
}

static int io_passive(void *ud) {
  fake_t *f = ud;
  f->listening = 1;
  return 40000;
}
static int io_active(void *ud, const hs__ftp_addr_t *a) {
  ((fake_t *)ud)->active = 1;
  return a->port == 1234 ? -1 : 0;
}
static void io_transfer(void *ud, const hs__ftp_xfer_t *x) {
  fake_t *f = ud;
  f->xfer = 1;
  f->xdata = x->dir == HS_FTP_SEND ? x->data : NULL;
  f->xlen = x->dir == HS_FTP_SEND ? x->len : 0;
  if (f->xlen > 1 << 16) /* the 4 MiB sample: its ends are enough */
    f->xlen = 1 << 16;
  touch(f);
}
static void io_data_close(void *ud) {
  fake_t *f = ud;
  f->xfer = f->listening = f->active = 0;
  f->xdata = NULL;
  f->xlen = 0;
}
static void io_start_tls(void *ud) {}
static int64_t io_now(void *ud) { return 1700000000; }

/* Checks out[*off..]: whole reply lines only. *multi is the code of an open
 * multi-line reply (0: none). */
static void check_replies(const hs__buf_t *out, size_t *off, int *multi) {
  const char *p = out->base;
  while (*off < out->len) {
    const char *line = p + *off;
    const char *end = memchr(line, '\n', out->len - *off);
    if (!end || end == line || end[-1] != '\r')
      abort(); /* every line ends in CRLF */
    size_t n = (size_t)(end - line) - 1;
    if (memchr(line, '\r', n) || memchr(line, 0, n))
      abort();
    int is_reply = n >= 4 && line[0] >= '1' && line[0] <= '6' && line[1] >= '0' && line[1] <= '9' &&
                   line[2] >= '0' && line[2] <= '9' && (line[3] == ' ' || line[3] == '-');
    int code = is_reply ? (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0') : 0;
    if (*multi) {
      if (is_reply && code == *multi && line[3] == ' ')
        *multi = 0;
      else if (line[0] != ' ' &&
               !(line[0] >= '2' && line[0] <= '2' && line[3] == '-' && code == *multi))
        abort(); /* inner lines begin with a space */
    } else {
      if (!is_reply || !hs_lookup(HS_NS_FTP, code))
        abort();
      if (line[3] == '-')
        *multi = code;
    }
    *off += n + 2;
  }
}

int LLVMFuzzerInitialize(int *argc, char ***argv) { return 0; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  unsigned opt = data[0];
  data++;
  size--;
  hs__buf_t out;
  hs__buf_init(&out, NULL);
  /* the reply writer alone, with any detail text */
  char detail[256];
  size_t dn = size < sizeof detail - 1 ? size : sizeof detail - 1;
  memcpy(detail, data, dn);
  detail[dn] = 0;
  hs__ftp_reply(&out, 550, (hs_lang_t)(opt & 1), detail);
  const char *lines[] = {detail, "x"};
  hs__ftp_reply_multi(&out, 211, detail, lines, 2, detail);
  size_t off = 0;
  int multi = 0;
  check_replies(&out, &off, &multi);
  if (multi)
    abort();
  out.len = 0;
  off = 0;

  hs__ftp_opts_t o = {0};
  o.lang = (hs_lang_t)(opt & 1);
  o.tls_available = (opt >> 1) & 1;
  o.busy_minutes = (opt >> 2) & 1;
  o.local_v6 = (opt >> 3) & 1;
  o.local_ip[0] = 127;
  o.local_ip[3] = 1;
  o.max_file = (opt >> 4) & 1 ? 100 : 1 << 20;
  o.quota = (opt >> 5) & 1 ? 150 : 4 << 20;
  o.max_data = (opt >> 6) & 1 ? 3 : 1000;
  fake_t f = {0};
  hs__ftp_io_t io = {&f, io_passive, io_active, io_transfer, io_data_close, io_start_tls, io_now};
  hs__ftp_t *s = hs__ftp_new(&o, &io);
  if (!s)
    return 0;
  hs__ftp_greet(s, &out);
  int closed = 0;
  size_t i = 0;
  while (i < size && !closed) {
    unsigned c = data[i++];
    size_t n = (c >> 2) + 1;
    if (n > size - i)
      n = size - i;
    unsigned flags = 0;
    switch (c & 3) {
    case 0: { /* control bytes, as much as the session takes */
      size_t k = 0;
      while (k < n) {
        size_t avail;
        char *d = hs__ftp_rbuf(s, &avail);
        size_t m = n - k < avail ? n - k : avail;
        if (m)
          memcpy(d, data + i + k, m);
        k += m;
        flags |= hs__ftp_feed(s, m, &out);
        if (!m)
          break;
      }
      i += n;
      break;
    }
    case 1: { /* a data event */
      hs__ftp_ev_t ev = (hs__ftp_ev_t)((c >> 2) % 6 + 1);
      touch(&f);                /* a SEND's bytes stay valid until the transfer ends */
      if (ev != HS_FTP_EV_OPEN) /* the server drops the connection first */
        io_data_close(&f);
      flags = hs__ftp_data_event(s, ev, &out);
      break;
    }
    case 2: /* upload bytes */
      if (hs__ftp_data_in(s, (const char *)data + i, n, &out) != 0)
        io_data_close(&f);
      i += n;
      break;
    default:
      if ((c >> 2) % 3 == 0)
        flags = hs__ftp_ready(s, &out);
      else if ((c >> 2) % 3 == 1)
        hs__ftp_tls_ready(s);
      else {
        hs__ftp_bye(s, "fuzz", &out);
        closed = 1;
      }
    }
    if (flags & HS_FTP_CLOSE)
      closed = 1;
    check_replies(&out, &off, &multi);
  }
  if (closed) { /* nothing more after a close */
    size_t avail;
    hs__ftp_rbuf(s, &avail);
    if (avail)
      abort();
    size_t len = out.len;
    hs__ftp_feed(s, 0, &out);
    if (out.len != len)
      abort();
  }
  hs__ftp_destroy(s);
  hs__buf_release(&out);
  return 0;
}
