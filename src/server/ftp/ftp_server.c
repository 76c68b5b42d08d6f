/* The FTP listener and control connections (ftp_server.h): accept with the
 * session limits (421), read commands into the session, write its replies,
 * AUTH TLS on the control connection, idle timeout and drain. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "server/ftp/ftp_conn.h"
#include "server/listen.h"

#define PIN_MAX (64 * 1024)  /* plaintext held beyond the session's buffer: more stops reading */
#define OUT_MAX (256 * 1024) /* replies the client has not read: more stops running commands */

int hs__ftp_listen(const hs__config_t *cfg, int inherited, FILE *err) {
  int fd = inherited >= 0
               ? inherited
               : hs__listen_socket(cfg->ftp.host, cfg->ftp.port, cfg->backlog, cfg->reuse_port);
  if (fd < 0) {
    fprintf(err, "httpstatus serve: cannot listen on %s:%d for FTP: %s\n", cfg->ftp.host,
            cfg->ftp.port, strerror(-fd));
    return -1;
  }
  int v6 = strchr(cfg->ftp.host, ':') != NULL;
  fprintf(err, "httpstatus serve: listening on ftp://%s%s%s:%d (FTP, AUTH TLS; docs/ftp.md)\n",
          v6 ? "[" : "", cfg->ftp.host, v6 ? "]" : "", hs__listen_port(fd));
  return fd;
}

/* ---- writing ---- */

typedef struct {
  uv_write_t req;
  void *data;
  uv_write_cb cb;
  char bytes[];
} wcopy_t;

static void on_wcopy(uv_write_t *r, int status) {
  wcopy_t *w = (wcopy_t *)r;
  if (w->cb) {
    r->data = w->data;
    w->cb(r, status);
  }
  free(w);
}

int hs__ftp_write_copy(uv_stream_t *st, const char *p, size_t n, uv_write_cb cb, void *data) {
  wcopy_t *w = malloc(sizeof(*w) + n);
  if (!w)
    return UV_ENOMEM;
  memcpy(w->bytes, p, n);
  w->data = data;
  w->cb = cb;
  uv_buf_t b = uv_buf_init(w->bytes, (unsigned)n);
  int r = uv_write(&w->req, st, &b, 1, on_wcopy);
  if (r)
    free(w);
  return r;
}

static void pump(hs__ftp_sess_t *fs);

/* Does the client leave too many replies unread (it pipelines without reading)? */
static int backlogged(hs__ftp_sess_t *fs) {
  return uv_stream_get_write_queue_size((uv_stream_t *)&fs->ctl) > OUT_MAX;
}

static void on_ctl_written(uv_write_t *r, int status) {
  hs__ftp_sess_t *fs = r->data;
  fs->writes--;
  if (status < 0 || (fs->close_after_write && fs->writes == 0))
    hs__ftp_sess_close(fs);
  else if (!fs->closing && !fs->reading && !backlogged(fs))
    pump(fs); /* the client caught up: run what it sent meanwhile */
}

/* Sends n bytes on the control connection (through TLS when on). */
static void ctl_send(hs__ftp_sess_t *fs, const char *p, size_t n) {
  if (!n || fs->closing)
    return;
  if (fs->tls_on) {
    fs->wire.len = 0;
    if (hs__ftp_tls_write(&fs->tls, p, n, &fs->wire) != 0) {
      hs__ftp_sess_close(fs);
      return;
    }
    p = fs->wire.base;
    n = fs->wire.len;
  }
  if (fs->writes == 0) { /* nothing queued: straight to the socket, no request to track */
    uv_buf_t b = uv_buf_init((char *)p, (unsigned)n);
    int k = uv_try_write((uv_stream_t *)&fs->ctl, &b, 1);
    if (k == (int)n)
      return;
    if (k < 0 && k != UV_EAGAIN) {
      hs__ftp_sess_close(fs);
      return;
    }
    if (k > 0) {
      p += k;
      n -= (size_t)k;
    }
  }
  if (hs__ftp_write_copy((uv_stream_t *)&fs->ctl, p, n, on_ctl_written, fs) != 0) {
    hs__ftp_sess_close(fs);
    return;
  }
  fs->writes++;
}

void hs__ftp_sess_flush(hs__ftp_sess_t *fs, unsigned flags) {
  if (fs->closing)
    return;
  ctl_send(fs, fs->out.base, fs->out.len);
  fs->out.len = 0;
  if (fs->closing)
    return;
  if (fs->tls_start) { /* RFC 4217 §4: the handshake follows the 234 */
    fs->tls_start = 0;
    if (hs__ftp_tls_init(&fs->tls, fs->srv->ssl_ctx) != 0) {
      hs__ftp_sess_close(fs);
      return;
    }
    fs->tls_on = 1;
  }
  if (flags & HS_FTP_CLOSE) {
    fs->close_after_write = 1;
    if (fs->writes == 0)
      hs__ftp_sess_close(fs);
  }
}

/* ---- closing ---- */

static void on_sess_handle_closed(uv_handle_t *h) {
  hs__ftp_sess_t *fs = h->data;
  if (--fs->closes_pending > 0)
    return;
  hs__ftp_destroy(fs->s);
  hs__ftp_tls_free(&fs->tls);
  hs__buf_release(&fs->out);
  hs__buf_release(&fs->wire);
  hs__buf_release(&fs->pin);
  free(fs);
}

static void unlink_sess(hs__ftp_sess_t *fs) {
  hs__ftp_srv_t *f = fs->srv;
  if (fs->prev)
    fs->prev->next = fs->next;
  else
    f->sessions = fs->next;
  if (fs->next)
    fs->next->prev = fs->prev;
  f->nsessions--;
}

static void close_server_handles(hs__ftp_srv_t *f);

void hs__ftp_sess_close(hs__ftp_sess_t *fs) {
  if (fs->closing)
    return;
  fs->closing = 1;
  hs__ftp_io_data_close(fs);
  unlink_sess(fs);
  if (fs->srv->draining && !fs->srv->sessions)
    close_server_handles(fs->srv); /* the last one: the drain is over */
  fs->closes_pending = 3;
  uv_close((uv_handle_t *)&fs->ctl, on_sess_handle_closed);
  uv_close((uv_handle_t *)&fs->timer, on_sess_handle_closed);
  uv_close((uv_handle_t *)&fs->dtimer, on_sess_handle_closed);
}

/* ---- reading ---- */

static void on_idle(uv_timer_t *t);

static void arm_idle(hs__ftp_sess_t *fs) {
  uv_timer_start(&fs->timer, on_idle, fs->srv->cfg->idle_ms, 0);
}

/* Says 421 and closes (idle timeout, shutdown). */
static void bye(hs__ftp_sess_t *fs, const char *why) {
  hs__ftp_bye(fs->s, why, &fs->out);
  hs__ftp_sess_flush(fs, HS_FTP_CLOSE);
}

static void on_idle(uv_timer_t *t) {
  hs__ftp_sess_t *fs = t->data;
  if (hs__ftp_busy(fs->s)) { /* a transfer is not idleness */
    arm_idle(fs);
    return;
  }
  bye(fs, "idle timeout: no command for --ftp-idle-timeout");
}

static void on_ctl_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *buf);

static void ctl_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf) {
  hs__ftp_sess_t *fs = h->data;
  *buf = uv_buf_init(fs->rtmp, sizeof fs->rtmp);
}

/* Gives the session as much held plaintext as it takes, writes its replies,
 * and reads more only while little is held. */
static void pump(hs__ftp_sess_t *fs) {
  unsigned flags = 0;
  size_t off = 0;
  while (!fs->closing && !(flags & HS_FTP_CLOSE) && !backlogged(fs)) {
    size_t avail;
    char *d = hs__ftp_rbuf(fs->s, &avail);
    size_t k = fs->pin.len - off < avail ? fs->pin.len - off : avail;
    if (k)
      memcpy(d, fs->pin.base + off, k);
    off += k;
    flags |= hs__ftp_feed(fs->s, k, &fs->out);
    hs__ftp_sess_flush(fs, flags);
    if (!k)
      break;
  }
  if (fs->closing)
    return;
  memmove(fs->pin.base, fs->pin.base + off, fs->pin.len - off);
  fs->pin.len -= off;
  if (fs->drain_bye && !hs__ftp_busy(fs->s)) {
    bye(fs, "the server is shutting down");
    return;
  }
  int want = fs->pin.len < PIN_MAX && !backlogged(fs);
  if (want && !fs->reading)
    uv_read_start((uv_stream_t *)&fs->ctl, ctl_alloc, on_ctl_read);
  else if (!want && fs->reading)
    uv_read_stop((uv_stream_t *)&fs->ctl);
  fs->reading = (unsigned)want;
}

static void on_ctl_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *buf) {
  hs__ftp_sess_t *fs = st->data;
  if (nread == 0 || fs->closing)
    return;
  if (nread < 0) { /* EOF or reset: the client is gone */
    hs__ftp_sess_close(fs);
    return;
  }
  if (!fs->greeting_wait)
    arm_idle(fs);
  if (!fs->tls_on) {
    hs__buf_append(&fs->pin, buf->base, (size_t)nread);
    pump(fs);
    return;
  }
  fs->wire.len = 0;
  int r = hs__ftp_tls_read(&fs->tls, buf->base, (size_t)nread, &fs->pin, &fs->wire);
  if (fs->wire.len && hs__ftp_write_copy(st, fs->wire.base, fs->wire.len, on_ctl_written, fs) == 0)
    fs->writes++;
  if (r > 0 && (r & 1))
    hs__ftp_tls_ready(fs->s);
  if (r < 0 || (r & 2)) {
    fs->close_after_write = 1;
    if (fs->writes == 0)
      hs__ftp_sess_close(fs);
    return;
  }
  pump(fs);
}

void hs__ftp_sess_event(hs__ftp_sess_t *fs, hs__ftp_ev_t ev) {
  if (fs->closing)
    return;
  unsigned flags = hs__ftp_data_event(fs->s, ev, &fs->out);
  hs__ftp_sess_flush(fs, flags);
  if (!fs->closing)
    pump(fs); /* commands that waited for the transfer */
}

/* ---- accepting ---- */

static int64_t io_now(void *ud) { return (int64_t)time(NULL); }
static void io_start_tls(void *ud) { ((hs__ftp_sess_t *)ud)->tls_start = 1; }

static int same_host(const struct sockaddr_storage *a, const struct sockaddr_storage *b) {
  if (a->ss_family != b->ss_family)
    return 0;
  if (a->ss_family == AF_INET)
    return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
           ((const struct sockaddr_in *)b)->sin_addr.s_addr;
  return memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
                &((const struct sockaddr_in6 *)b)->sin6_addr, 16) == 0;
}

static void on_ready_220(uv_timer_t *t) {
  hs__ftp_sess_t *fs = t->data;
  fs->greeting_wait = 0;
  hs__ftp_sess_flush(fs, hs__ftp_ready(fs->s, &fs->out));
  if (!fs->closing) {
    arm_idle(fs);
    pump(fs);
  }
}

/* Refuses a connection: 421 with a reason, then close (RFC 959 §4.2). */
static void refuse(hs__ftp_sess_t *fs, const char *why) {
  hs__ftp_reply(&fs->out, 421, (hs_lang_t)fs->srv->cfg->lang, why);
  hs__ftp_sess_flush(fs, HS_FTP_CLOSE);
}

static void on_connection(uv_stream_t *l, int status) {
  hs__ftp_srv_t *f = l->data;
  if (status < 0)
    return;
  hs__ftp_sess_t *fs = calloc(1, sizeof(*fs));
  if (!fs)
    return;
  fs->srv = f;
  uv_tcp_init(f->loop, &fs->ctl);
  uv_timer_init(f->loop, &fs->timer);
  uv_timer_init(f->loop, &fs->dtimer);
  fs->ctl.data = fs->timer.data = fs->dtimer.data = fs;
  hs__buf_init(&fs->out, NULL);
  hs__buf_init(&fs->wire, NULL);
  hs__buf_init(&fs->pin, NULL);
  fs->next = f->sessions; /* linked first: closing unlinks */
  if (f->sessions)
    f->sessions->prev = fs;
  f->sessions = fs;
  f->nsessions++;
  if (uv_accept(l, (uv_stream_t *)&fs->ctl) != 0) {
    hs__ftp_sess_close(fs);
    return;
  }
  uv_tcp_nodelay(&fs->ctl, 1);
  uv_os_fd_t fd;
  int one = 1; /* ABOR sent as urgent data (ftplib) stays in the stream */
  if (uv_fileno((uv_handle_t *)&fs->ctl, &fd) == 0)
    setsockopt(fd, SOL_SOCKET, SO_OOBINLINE, &one, sizeof one);
  int len = sizeof fs->peer;
  uv_tcp_getpeername(&fs->ctl, (struct sockaddr *)&fs->peer, &len);
  struct sockaddr_storage local;
  len = sizeof local;
  uv_tcp_getsockname(&fs->ctl, (struct sockaddr *)&local, &len);
  fs->local_v6 = local.ss_family == AF_INET6;
  if (fs->local_v6)
    memcpy(fs->local_ip, &((struct sockaddr_in6 *)&local)->sin6_addr, 16);
  else
    memcpy(fs->local_ip, &((struct sockaddr_in *)&local)->sin_addr, 4);

  const hs__ftp_config_t *cfg = f->cfg;
  unsigned same = 0;
  for (hs__ftp_sess_t *o = f->sessions; o; o = o->next)
    same += o != fs && !o->closing && same_host(&o->peer, &fs->peer);
  if (f->draining) {
    refuse(fs, "the server is shutting down");
    return;
  }
  if (f->nsessions > cfg->max_sessions) {
    refuse(fs, "too many sessions (--ftp-max-sessions)");
    return;
  }
  if (cfg->max_per_ip && same >= cfg->max_per_ip) {
    refuse(fs, "too many sessions from your address (--ftp-max-per-ip)");
    return;
  }
  hs__ftp_opts_t o = {0};
  o.lang = (hs_lang_t)cfg->lang;
  o.max_file = cfg->max_file;
  o.quota = cfg->quota;
  o.max_data = cfg->max_data;
  o.tls_available = f->ssl_ctx != NULL;
  o.local_v6 = fs->local_v6;
  memcpy(o.local_ip, fs->local_ip, 16);
  o.busy_minutes = cfg->busy_ms ? (unsigned)((cfg->busy_ms + 59999) / 60000) : 0;
  hs__ftp_io_t io = {fs,
                     hs__ftp_io_passive,
                     hs__ftp_io_active,
                     hs__ftp_io_transfer,
                     hs__ftp_io_data_close,
                     io_start_tls,
                     io_now};
  if (!(fs->s = hs__ftp_new(&o, &io))) {
    refuse(fs, "out of memory");
    return;
  }
  hs__ftp_greet(fs->s, &fs->out);
  hs__ftp_sess_flush(fs, 0);
  if (cfg->busy_ms) {
    fs->greeting_wait = 1;
    uv_timer_start(&fs->timer, on_ready_220, cfg->busy_ms, 0);
  } else
    arm_idle(fs);
  fs->reading = 1;
  uv_read_start((uv_stream_t *)&fs->ctl, ctl_alloc, on_ctl_read);
}

/* ---- the server ---- */

hs__ftp_srv_t *hs__ftp_srv_start(uv_loop_t *loop, const hs__config_t *cfg, int fd, SSL_CTX *tls) {
  hs__ftp_srv_t *f = calloc(1, sizeof(*f));
  if (!f)
    return NULL;
  f->loop = loop;
  f->cfg = &cfg->ftp;
  f->ssl_ctx = tls;
  uv_tcp_init(loop, &f->listener);
  uv_timer_init(loop, &f->drain_timer);
  f->listener.data = f->drain_timer.data = f;
  if (uv_tcp_open(&f->listener, fd) != 0 ||
      uv_listen((uv_stream_t *)&f->listener, cfg->backlog, on_connection) != 0) {
    close_server_handles(f);
    return f; /* freed with the worker */
  }
  return f;
}

static void close_server_handles(hs__ftp_srv_t *f) {
  if (!uv_is_closing((uv_handle_t *)&f->listener))
    uv_close((uv_handle_t *)&f->listener, NULL);
  if (!uv_is_closing((uv_handle_t *)&f->drain_timer))
    uv_close((uv_handle_t *)&f->drain_timer, NULL);
  f->closed = 1;
}

void hs__ftp_srv_close_all(hs__ftp_srv_t *f) {
  if (!f)
    return;
  while (f->sessions)
    hs__ftp_sess_close(f->sessions);
  close_server_handles(f);
}

static void on_drain_timeout(uv_timer_t *t) { hs__ftp_srv_close_all(t->data); }

void hs__ftp_srv_drain(hs__ftp_srv_t *f, uint64_t drain_ms) {
  if (!f || f->draining)
    return;
  f->draining = 1;
  if (f->closed)
    return;
  if (!uv_is_closing((uv_handle_t *)&f->listener))
    uv_close((uv_handle_t *)&f->listener, NULL);
  for (hs__ftp_sess_t *fs = f->sessions, *next; fs; fs = next) {
    next = fs->next;
    if (hs__ftp_busy(fs->s))
      fs->drain_bye = 1; /* 421 once its transfer ends */
    else
      bye(fs, "the server is shutting down");
  }
  if (f->sessions) {
    uv_timer_start(&f->drain_timer, on_drain_timeout, drain_ms, 0);
    uv_unref((uv_handle_t *)&f->drain_timer);
  } else {
    close_server_handles(f);
  }
}

void hs__ftp_srv_free(hs__ftp_srv_t *f) { free(f); }
