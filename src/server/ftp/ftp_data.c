/* FTP data connections (RFC 959 §3.2-3.3, RFC 2428, RFC 4217 §9): a passive
 * listener (one connection each, from the control connection's host) or an
 * active connection to the PORT/EPRT address; the transfer itself with the
 * data timeout; TLS when the session asked for PROT P. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "server/ftp/ftp_conn.h"

#define CHUNK (64 * 1024)   /* bytes per write */
#define INFLIGHT 2          /* writes queued at once */
#define LINGER_MS 2000      /* after our FIN, wait this long for the client's */
#define SNDBUF (128 * 1024) /* kernel send buffer of a data connection */

struct hs__ftp_pasv_s {
  uv_tcp_t tcp;
  hs__ftp_sess_t *fs;
};

struct hs__ftp_dconn_s {
  uv_tcp_t tcp;
  uv_timer_t linger;
  uv_connect_t creq;
  uv_shutdown_t sreq;
  hs__ftp_sess_t *fs; /* NULL once detached (closing or lingering) */
  hs__ftp_tls_t tls;
  int use_tls;
  int open;      /* connected and (TLS) handshake done */
  int started;   /* the transfer began on it */
  int finishing; /* SEND: every byte queued */
  int closing;
  int closes;
  size_t inflight;
  hs__buf_t plain, wire;
  char rbuf[16384];
};

static void on_data_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *buf);

/* ---- closing ---- */

static void on_pasv_closed(uv_handle_t *h) { free(h->data); }

static void close_pasv(hs__ftp_sess_t *fs) {
  if (!fs->pasv)
    return;
  fs->pasv->tcp.data = fs->pasv;
  uv_close((uv_handle_t *)&fs->pasv->tcp, on_pasv_closed);
  fs->pasv = NULL;
}

static void on_dconn_closed(uv_handle_t *h) {
  hs__ftp_dconn_t *d = h->data;
  if (--d->closes > 0)
    return;
  hs__ftp_tls_free(&d->tls);
  hs__buf_release(&d->plain);
  hs__buf_release(&d->wire);
  free(d);
}

/* Closes a data connection now (pending writes are cancelled). */
static void dconn_free(hs__ftp_dconn_t *d) {
  if (d->closing)
    return;
  d->closing = 1;
  d->fs = NULL;
  d->closes = 2;
  uv_close((uv_handle_t *)&d->tcp, on_dconn_closed);
  uv_close((uv_handle_t *)&d->linger, on_dconn_closed);
}

/* Detaches the session's data connection and closes it. */
static void close_data(hs__ftp_sess_t *fs) {
  if (!fs->data)
    return;
  hs__ftp_dconn_t *d = fs->data;
  fs->data = NULL;
  dconn_free(d);
}

void hs__ftp_io_data_close(void *ud) {
  hs__ftp_sess_t *fs = ud;
  close_pasv(fs);
  close_data(fs);
  fs->xfer = 0;
  fs->port_addr.port = 0;
  if (!fs->closing)
    uv_timer_stop(&fs->dtimer);
}

/* The transfer ended with `ev`: the connection goes, the session answers. */
static void end(hs__ftp_sess_t *fs, hs__ftp_ev_t ev) {
  hs__ftp_io_data_close(fs);
  hs__ftp_sess_event(fs, ev);
}

/* ---- the transfer ---- */

static void on_lingered(uv_timer_t *t) { dconn_free(t->data); }

/* SEND finished: FIN after the last byte, the session answers 226, and the
 * connection lingers until the client closes (or LINGER_MS), so that the
 * kernel does not reset it while the client still reads. */
static void on_shutdown(uv_shutdown_t *r, int status) {
  hs__ftp_dconn_t *d = r->data;
  if (d->closing)
    return;
  hs__ftp_sess_t *fs = d->fs;
  if (fs) {
    fs->data = NULL;
    d->fs = NULL;
    uv_timer_start(&d->linger, on_lingered, LINGER_MS, 0);
    end(fs, status < 0 ? HS_FTP_EV_RESET : HS_FTP_EV_DONE);
  }
}

static void finish_send(hs__ftp_dconn_t *d) {
  d->sreq.data = d;
  uv_os_fd_t fd;
  if (!d->use_tls && uv_fileno((uv_handle_t *)&d->tcp, &fd) == 0) {
    /* every write has completed: the FIN goes now, without a turn of the loop */
    on_shutdown(&d->sreq, shutdown(fd, SHUT_WR) == 0 ? 0 : UV_ECONNRESET);
    return;
  }
  if (uv_shutdown(&d->sreq, (uv_stream_t *)&d->tcp, on_shutdown) != 0) {
    hs__ftp_sess_t *fs = d->fs;
    end(fs, HS_FTP_EV_RESET);
  }
}

static void send_more(hs__ftp_dconn_t *d);

typedef struct {
  uv_write_t req;
  hs__ftp_dconn_t *d;
} dwrite_t;

static void on_data_written(uv_write_t *r, int status) {
  hs__ftp_dconn_t *d = r->data;
  d->inflight--;
  if (d->closing || !d->fs)
    return;
  if (status < 0) {
    end(d->fs, HS_FTP_EV_RESET);
    return;
  }
  uv_timer_start(&d->fs->dtimer, hs__ftp_data_timeout, d->fs->srv->cfg->data_ms, 0);
  send_more(d);
}

static void on_plain_written(uv_write_t *r, int status) {
  dwrite_t *w = (dwrite_t *)r;
  r->data = w->d;
  on_data_written(r, status);
  free(w);
}

/* Queues up to INFLIGHT chunks of the file; the last one shuts down. */
static void send_more(hs__ftp_dconn_t *d) {
  hs__ftp_sess_t *fs = d->fs;
  while (fs && d->inflight < INFLIGHT && fs->xoff < fs->x.len) {
    size_t n = fs->x.len - fs->xoff < CHUNK ? fs->x.len - fs->xoff : CHUNK;
    const char *p = fs->x.data + fs->xoff;
    int r;
    if (d->use_tls) {
      d->wire.len = 0;
      r = hs__ftp_tls_write(&d->tls, p, n, &d->wire) != 0
              ? UV_EPROTO
              : hs__ftp_write_copy((uv_stream_t *)&d->tcp, d->wire.base, d->wire.len,
                                   on_data_written, d);
    } else { /* the session keeps the bytes until the transfer ends */
      uv_buf_t b = uv_buf_init((char *)p, (unsigned)n);
      int k = d->inflight == 0 ? uv_try_write((uv_stream_t *)&d->tcp, &b, 1) : UV_EAGAIN;
      if (k < 0 && k != UV_EAGAIN) {
        end(fs, HS_FTP_EV_RESET);
        return;
      }
      if (k > 0) { /* written at once: progress */
        fs->xoff += (size_t)k;
        uv_timer_start(&fs->dtimer, hs__ftp_data_timeout, fs->srv->cfg->data_ms, 0);
        if ((size_t)k == n)
          continue;
        b = uv_buf_init((char *)p + k, (unsigned)(n - (size_t)k));
        n -= (size_t)k;
      }
      dwrite_t *w = malloc(sizeof(*w));
      r = !w ? UV_ENOMEM : uv_write(&w->req, (uv_stream_t *)&d->tcp, &b, 1, on_plain_written);
      if (w)
        w->d = d;
      if (r)
        free(w);
    }
    if (r) {
      end(fs, HS_FTP_EV_RESET);
      return;
    }
    d->inflight++;
    fs->xoff += n;
  }
  if (fs && fs->xoff >= fs->x.len && d->inflight == 0 && !d->finishing) {
    d->finishing = 1;
    if (d->use_tls) { /* RFC 4217 §12.2: close_notify before the FIN */
      d->wire.len = 0;
      hs__ftp_tls_close(&d->tls, &d->wire);
      if (d->wire.len)
        hs__ftp_write_copy((uv_stream_t *)&d->tcp, d->wire.base, d->wire.len, NULL, NULL);
    }
    finish_send(d);
  }
}

/* The connection is ready and a transfer is asked for: go. */
static void begin(hs__ftp_dconn_t *d) {
  hs__ftp_sess_t *fs = d->fs;
  d->started = 1;
  uv_timer_start(&fs->dtimer, hs__ftp_data_timeout, fs->srv->cfg->data_ms, 0);
  if (fs->x.dir == HS_FTP_SEND)
    send_more(d);
}

/* Connected (and TLS done): the session hears of it; a waiting transfer starts. */
static void opened(hs__ftp_dconn_t *d) {
  hs__ftp_sess_t *fs = d->fs;
  d->open = 1;
  hs__ftp_sess_event(fs, HS_FTP_EV_OPEN);
  if (fs->data == d && fs->xfer && !d->started)
    begin(d);
}

static void data_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf) {
  hs__ftp_dconn_t *d = h->data;
  *buf = uv_buf_init(d->rbuf, sizeof d->rbuf);
}

/* Plaintext from the client: upload bytes for RECV, ignored otherwise. */
static int take(hs__ftp_dconn_t *d, const char *p, size_t n) {
  hs__ftp_sess_t *fs = d->fs;
  if (!n || !fs->xfer || !d->started || fs->x.dir != HS_FTP_RECV)
    return 0;
  uv_timer_start(&fs->dtimer, hs__ftp_data_timeout, fs->srv->cfg->data_ms, 0);
  if (hs__ftp_data_in(fs->s, p, n, &fs->out) == 0)
    return 0;
  /* 452/552 written: stop the upload */
  hs__ftp_io_data_close(fs);
  hs__ftp_sess_event(fs, HS_FTP_EV_CLOSED);
  return -1;
}

static void on_data_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *buf) {
  hs__ftp_dconn_t *d = st->data;
  if (nread == 0 || d->closing)
    return;
  hs__ftp_sess_t *fs = d->fs;
  if (!fs) { /* lingering after a SEND: the client's FIN (or anything) ends it */
    if (nread < 0)
      dconn_free(d);
    return;
  }
  if (nread < 0) {
    hs__ftp_ev_t ev = nread == UV_EOF && fs->xfer && fs->x.dir == HS_FTP_RECV && d->started
                          ? HS_FTP_EV_DONE
                      : fs->xfer ? HS_FTP_EV_RESET
                                 : HS_FTP_EV_CLOSED;
    end(fs, ev);
    return;
  }
  if (!d->use_tls) {
    take(d, buf->base, (size_t)nread);
    return;
  }
  d->plain.len = 0;
  d->wire.len = 0;
  int r = hs__ftp_tls_read(&d->tls, buf->base, (size_t)nread, &d->plain, &d->wire);
  if (d->wire.len)
    hs__ftp_write_copy(st, d->wire.base, d->wire.len, NULL, NULL);
  if (r < 0) {
    end(fs, fs->xfer && d->started ? HS_FTP_EV_RESET : HS_FTP_EV_NOCONN);
    return;
  }
  if (r & 1) {
    opened(d);
    if (d->closing || d->fs != fs)
      return;
  }
  if (take(d, d->plain.base, d->plain.len) != 0)
    return;
  if (r & 2) /* close_notify: the upload is complete */
    end(fs, fs->xfer && fs->x.dir == HS_FTP_RECV ? HS_FTP_EV_DONE : HS_FTP_EV_CLOSED);
}

/* A data connection is up (accepted or connected). */
static void connected(hs__ftp_dconn_t *d) {
  hs__ftp_sess_t *fs = d->fs;
  int sndbuf = SNDBUF; /* a slow reader stalls the transfer instead of filling memory */
  uv_send_buffer_size((uv_handle_t *)&d->tcp, &sndbuf);
  uv_read_start((uv_stream_t *)&d->tcp, data_alloc, on_data_read);
  if (hs__ftp_prot_private(fs->s) && fs->srv->ssl_ctx) {
    if (hs__ftp_tls_init(&d->tls, fs->srv->ssl_ctx) != 0) {
      end(fs, HS_FTP_EV_NOCONN);
      return;
    }
    d->use_tls = 1; /* the client starts the handshake (RFC 4217 §9) */
    return;
  }
  opened(d);
}

static hs__ftp_dconn_t *dconn_new(hs__ftp_sess_t *fs) {
  hs__ftp_dconn_t *d = calloc(1, sizeof(*d));
  if (!d)
    return NULL;
  uv_tcp_init(fs->srv->loop, &d->tcp);
  uv_timer_init(fs->srv->loop, &d->linger);
  d->tcp.data = d->linger.data = d;
  d->fs = fs;
  hs__buf_init(&d->plain, NULL);
  hs__buf_init(&d->wire, NULL);
  return d;
}

static void on_pasv_connection(uv_stream_t *l, int status) {
  hs__ftp_pasv_t *p = l->data;
  hs__ftp_sess_t *fs = p->fs;
  if (status < 0 || fs->data)
    return;
  hs__ftp_dconn_t *d = dconn_new(fs);
  if (!d)
    return;
  if (uv_accept(l, (uv_stream_t *)&d->tcp) != 0) {
    dconn_free(d);
    return;
  }
  /* RFC 2577 §5: only the control connection's host may take the port */
  struct sockaddr_storage peer;
  int len = sizeof peer;
  uv_tcp_getpeername(&d->tcp, (struct sockaddr *)&peer, &len);
  int same =
      peer.ss_family == fs->peer.ss_family &&
      (peer.ss_family == AF_INET ? ((struct sockaddr_in *)&peer)->sin_addr.s_addr ==
                                       ((struct sockaddr_in *)&fs->peer)->sin_addr.s_addr
                                 : memcmp(&((struct sockaddr_in6 *)&peer)->sin6_addr,
                                          &((struct sockaddr_in6 *)&fs->peer)->sin6_addr, 16) == 0);
  if (!same) {
    dconn_free(d);
    return;
  }
  close_pasv(fs); /* one connection per PASV */
  fs->data = d;
  connected(d);
}

static void on_connect(uv_connect_t *r, int status) {
  hs__ftp_dconn_t *d = r->data;
  if (d->closing || !d->fs)
    return;
  if (status < 0) {
    end(d->fs, HS_FTP_EV_NOCONN); /* 425 */
    return;
  }
  connected(d);
}

/* ---- the session's requests ---- */

/* One listener on the control connection's local address and `port` (0: the
 * kernel picks). Returns it, or NULL with *err set. */
static hs__ftp_pasv_t *listen_on(hs__ftp_sess_t *fs, int port, int *err) {
  hs__ftp_pasv_t *p = calloc(1, sizeof(*p));
  if (!p) {
    *err = UV_ENOMEM;
    return NULL;
  }
  p->fs = fs;
  uv_tcp_init(fs->srv->loop, &p->tcp);
  p->tcp.data = p;
  struct sockaddr_storage a;
  memset(&a, 0, sizeof a);
  if (fs->local_v6) {
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&a;
    a6->sin6_family = AF_INET6;
    a6->sin6_port = htons((uint16_t)port);
    memcpy(&a6->sin6_addr, fs->local_ip, 16);
  } else {
    struct sockaddr_in *a4 = (struct sockaddr_in *)&a;
    a4->sin_family = AF_INET;
    a4->sin_port = htons((uint16_t)port);
    memcpy(&a4->sin_addr, fs->local_ip, 4);
  }
  int r = uv_tcp_bind(&p->tcp, (struct sockaddr *)&a, 0); /* libuv: SO_REUSEADDR */
  if (!r)
    r = uv_listen((uv_stream_t *)&p->tcp, 1, on_pasv_connection);
  if (r) {
    uv_close((uv_handle_t *)&p->tcp, on_pasv_closed);
    *err = r;
    return NULL;
  }
  return p;
}

/* The passive port: the next free one of --ftp-pasv-ports in turn (binding a
 * given port costs the kernel one check, while port 0 makes it search past
 * every recently closed connection on the address), else the kernel's pick. */
int hs__ftp_io_passive(void *ud) {
  hs__ftp_sess_t *fs = ud;
  hs__ftp_srv_t *f = fs->srv;
  hs__ftp_io_data_close(fs);
  hs__ftp_pasv_t *p = NULL;
  int err = 0;
  unsigned lo = f->cfg->pasv_lo, span = f->cfg->pasv_hi - f->cfg->pasv_lo + 1;
  for (int tries = 0; lo && !p && tries < 32; tries++)
    p = listen_on(fs, (int)(lo + f->next_port++ % span), &err);
  if (!p && !(p = listen_on(fs, 0, &err)))
    return err;
  struct sockaddr_storage a;
  int len = sizeof a;
  if (uv_tcp_getsockname(&p->tcp, (struct sockaddr *)&a, &len) != 0) {
    uv_close((uv_handle_t *)&p->tcp, on_pasv_closed);
    return UV_EINVAL;
  }
  fs->pasv = p;
  return ntohs(fs->local_v6 ? ((struct sockaddr_in6 *)&a)->sin6_port
                            : ((struct sockaddr_in *)&a)->sin_port);
}

int hs__ftp_io_active(void *ud, const hs__ftp_addr_t *a) {
  hs__ftp_sess_t *fs = ud;
  hs__ftp_io_data_close(fs);
  fs->port_addr = *a;
  return 0;
}

void hs__ftp_io_transfer(void *ud, const hs__ftp_xfer_t *x) {
  hs__ftp_sess_t *fs = ud;
  fs->x = *x;
  fs->xoff = 0;
  fs->xfer = 1;
  if (fs->data && fs->data->open) { /* 125: start on the next loop turn */
    uv_timer_start(&fs->dtimer, hs__ftp_data_timeout, 0, 0);
    return;
  }
  if (!fs->data && !fs->pasv && fs->port_addr.port) { /* active: connect now */
    hs__ftp_dconn_t *d = dconn_new(fs);
    struct sockaddr_storage sa;
    memset(&sa, 0, sizeof sa);
    if (fs->port_addr.v6) {
      struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&sa;
      a6->sin6_family = AF_INET6;
      a6->sin6_port = htons(fs->port_addr.port);
      memcpy(&a6->sin6_addr, fs->port_addr.ip, 16);
    } else {
      struct sockaddr_in *a4 = (struct sockaddr_in *)&sa;
      a4->sin_family = AF_INET;
      a4->sin_port = htons(fs->port_addr.port);
      memcpy(&a4->sin_addr, fs->port_addr.ip, 4);
    }
    if (d) {
      fs->data = d;
      d->creq.data = d;
      if (uv_tcp_connect(&d->creq, &d->tcp, (struct sockaddr *)&sa, on_connect) != 0)
        close_data(fs); /* reported as 425 by the timer below */
    }
  }
  /* not connected yet: 425 if it does not come in time (at once if it cannot) */
  uint64_t wait = fs->data || fs->pasv ? fs->srv->cfg->data_ms : 0;
  uv_timer_start(&fs->dtimer, hs__ftp_data_timeout, wait, 0);
}

void hs__ftp_data_timeout(uv_timer_t *t) {
  hs__ftp_sess_t *fs = t->data;
  if (!fs->xfer || fs->closing)
    return;
  hs__ftp_dconn_t *d = fs->data;
  if (d && d->open && !d->started) {
    begin(d);
    return;
  }
  end(fs, d && d->started ? HS_FTP_EV_STALL : HS_FTP_EV_NOCONN);
}
