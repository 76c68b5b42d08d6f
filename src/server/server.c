/* `httpstatus serve`: options, listeners, one worker thread per event loop,
 * signals (drain, log reopening, restart) and graceful shutdown. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uv.h>

#include "handlers/routes.h"
#include "http/config.h"
#include "http/metrics.h"
#include "server/conn.h"
#include "server/ftp/ftp_server.h"
#include "server/listen.h"
#include "server/log.h"
#include "server/peer_limit.h"
#include "server/restart.h"
#include "server/serve.h"
#include "server/signals.h"
#include "server/tls.h"
#include "server/tls_alloc.h"

#define LOG_STOP_MS 500 /* at exit, the longest wait for the access log's last lines */

typedef struct {
  uv_loop_t loop;
  uv_signal_t sigint, sigterm, sigquit, sighup, sigusr1, sigusr2;
  uv_async_t wake; /* a worker finished */
  hs__worker_t *workers;
  int nworkers;
  atomic_int finished;
  int signals;
  int listen_fds[HS_LISTEN_KINDS]; /* shared by the workers (each has a dup); -1: closed */
  int ftp_fd;                      /* the FTP listener (worker 0 has a dup); -1: none */
  const char *log_path;            /* NULL: the access log goes to standard output */
  int log_fd;
  uv_poll_t ready_poll;   /* SIGUSR2: the new process says it listens on ready_fd */
  int ready_fd;           /* closed by us, not libuv: ThreadSanitizer sees the close */
  pid_t child;            /* that process while it starts, else 0 */
  hs__metrics_set_t mset; /* every worker's counters; the phase /readyz reports */
} server_t;

static void worker_thread(void *arg) { hs__worker_run(arg); }

/* Our copies of the listening sockets: once the workers have closed theirs the
 * socket closes (or lives on in a restarted copy of the server). */
static void close_listen_fds(server_t *sv) {
  for (int k = 0; k < HS_LISTEN_KINDS; k++)
    if (sv->listen_fds[k] >= 0) {
      close(sv->listen_fds[k]);
      sv->listen_fds[k] = -1;
    }
  if (sv->ftp_fd >= 0)
    close(sv->ftp_fd);
  sv->ftp_fd = -1;
}

static void on_ready_poll_closed(uv_handle_t *h) {
  server_t *sv = h->data;
  sv->child = 0;
}

/* Stops waiting for the new process of a restart (it listens, it failed, or
 * this one stops anyway). */
static void stop_waiting_child(server_t *sv) {
  if (!sv->child || uv_is_closing((uv_handle_t *)&sv->ready_poll))
    return;
  uv_close((uv_handle_t *)&sv->ready_poll, on_ready_poll_closed);
  close(sv->ready_fd);
  sv->ready_fd = -1;
}

/* Drains (level 1) or closes everything now (level 2) on every worker. */
static void stop_workers(server_t *sv, int level) {
  atomic_store(&sv->mset.phase, HS_PHASE_DRAINING);
  close_listen_fds(sv);
  stop_waiting_child(sv);
  for (int i = 0; i < sv->nworkers; i++)
    hs__worker_stop(&sv->workers[i], level);
}

/* First SIGTERM/SIGINT/SIGQUIT: drain; a second one: close everything now. */
static void on_signal(uv_signal_t *s, int signum) {
  server_t *sv = s->data;
  sv->signals++;
  if (sv->signals == 1)
    fprintf(stderr, "httpstatus serve: signal %d, draining (up to %llu ms)\n", signum,
            (unsigned long long)sv->workers[0].cfg->drain_timeout_ms);
  stop_workers(sv, sv->signals >= 2 ? 2 : 1);
}

/* SIGHUP and SIGUSR1 (for logrotate): the access log file is opened again by
 * name and put in place of the old descriptor with dup2(), which is atomic:
 * a worker's write in progress ends in the old file, the next goes to the new
 * one, and lines still buffered in the workers are written there. */
static void on_reopen_log(uv_signal_t *s, int signum) {
  server_t *sv = s->data;
  if (!sv->log_path) {
    fprintf(stderr,
            "httpstatus serve: signal %d: the access log is standard output, "
            "nothing to reopen\n",
            signum);
    return;
  }
  int fd = open(sv->log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0 || dup2(fd, sv->log_fd) < 0)
    fprintf(stderr, "httpstatus serve: signal %d: cannot reopen %s: %s\n", signum, sv->log_path,
            strerror(errno));
  else
    fprintf(stderr, "httpstatus serve: signal %d, reopened %s\n", signum, sv->log_path);
  if (fd >= 0)
    close(fd);
}

/* The new process of a SIGUSR2 restart wrote its readiness byte (drain now),
 * or closed the pipe without it (it failed: reap it and keep serving). */
static void on_ready(uv_poll_t *p, int status, int events) {
  server_t *sv = p->data;
  (void)events;
  char byte[8];
  ssize_t n = status < 0 ? 0 : read(sv->ready_fd, byte, sizeof byte);
  if (n < 0 && (errno == EAGAIN || errno == EINTR))
    return;
  pid_t pid = sv->child;
  if (n > 0) {
    fprintf(stderr, "httpstatus serve: new process %d is listening, draining (up to %llu ms)\n",
            (int)pid, (unsigned long long)sv->workers[0].cfg->drain_timeout_ms);
    sv->signals = 1; /* a later SIGTERM closes at once */
    for (int i = 0; i < sv->nworkers; i++)
      atomic_store(&sv->workers[i].restarting, 1); /* before the wake-up: conn.c's goaway_delay */
    stop_workers(sv, 1);
    return;
  }
  int wstatus = 0;
  waitpid(pid, &wstatus, 0);
  fprintf(stderr, "httpstatus serve: the new process %d failed (%s %d), still serving\n", (int)pid,
          WIFEXITED(wstatus) ? "exit status" : "signal",
          WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : WTERMSIG(wstatus));
  stop_waiting_child(sv);
}

/* SIGUSR2: start a new copy of the binary on the same listening sockets
 * (restart.h); this process drains once it listens. */
static void on_restart(uv_signal_t *s, int signum) {
  server_t *sv = s->data;
  if (sv->signals || sv->child) {
    fprintf(stderr, "httpstatus serve: signal %d ignored: %s\n", signum,
            sv->child ? "a restart is in progress" : "draining");
    return;
  }
  int ready_fd, fds[HS_LISTEN_KINDS + 1]; /* the FTP listener goes last */
  memcpy(fds, sv->listen_fds, sizeof sv->listen_fds);
  fds[HS_LISTEN_KINDS] = sv->ftp_fd;
  pid_t pid = hs__restart_spawn(fds, HS_LISTEN_KINDS + 1, &ready_fd);
  if (pid < 0) {
    fprintf(stderr, "httpstatus serve: signal %d: cannot start a new process: %s\n", signum,
            strerror(errno));
    return;
  }
  fprintf(stderr, "httpstatus serve: signal %d, started new process %d\n", signum, (int)pid);
  sv->child = pid;
  sv->ready_fd = ready_fd;
  uv_poll_init(s->loop, &sv->ready_poll, ready_fd);
  sv->ready_poll.data = sv;
  if (uv_poll_start(&sv->ready_poll, UV_READABLE, on_ready) != 0)
    stop_waiting_child(sv); /* then the new process runs beside this one */
}

/* Every worker has finished: leave the loop. Its handles are closed only after
 * the joins, as the last worker may still be inside uv_async_send(&sv->wake)
 * (closing it then is undefined; once the loop is closed the send aborts). */
static void on_worker_done(uv_async_t *a) {
  server_t *sv = a->data;
  if (atomic_load(&sv->finished) == sv->nworkers)
    uv_stop(&sv->loop);
}

/* Starts one signal watcher on loop; with one worker the watchers do not keep
 * its loop alive (its own handles decide when it ends). */
static void watch_signal(server_t *sv, uv_loop_t *loop, uv_signal_t *h, uv_signal_cb cb,
                         int signum) {
  uv_signal_init(loop, h);
  h->data = sv;
  uv_signal_start(h, cb, signum);
  if (sv->nworkers == 1)
    uv_unref((uv_handle_t *)h);
}

/* The access log's writer counters (log.h), read by a /metrics scrape. */
static void log_counts(uint64_t *written, uint64_t *dropped, uint64_t *errors) {
  hs__log_stats_t st;
  hs__log_stats(&st);
  *written = st.lines_written;
  *dropped = st.lines_dropped;
  *errors = st.write_errors;
}

/* Binds the listening socket of kind k, or takes the inherited one. Returns
 * the fd or a negative errno. */
static int open_listener(const hs__config_t *cfg, const char *host, int port, int inherited) {
  if (inherited >= 0)
    return inherited;
  return hs__listen_socket(host, port, cfg->backlog, cfg->reuse_port);
}

int hs_serve_main(int argc, char **argv) {
  static hs__config_t cfg;
  hs__tls_alloc_init(); /* before OpenSSL's first allocation */
  hs__config_defaults(&cfg);
  int rc = hs__config_parse(&cfg, argc, argv, stdout, stderr);
  if (rc == 1)
    return 0;
  if (rc)
    return 2;
  if (cfg.workers <= 0) {
    unsigned n = uv_available_parallelism();
    cfg.workers = n ? (int)n : 1;
  }
  signal(SIGPIPE, SIG_IGN);
  /* until their watchers start, these must not end the process either */
  signal(SIGHUP, SIG_IGN);
  signal(SIGQUIT, SIG_IGN);
  signal(SIGUSR1, SIG_IGN);
  signal(SIGUSR2, SIG_IGN);
  hs__restart_setup(argc, argv);
  sigset_t main_mask; /* restored in this thread once every other thread exists */
  hs__hold_watched_signals(SIG_BLOCK, &main_mask);

  int log_fd = STDOUT_FILENO;
  if (cfg.access_log != HS_ALOG_OFF && cfg.log_file) {
    log_fd = open(cfg.log_file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (log_fd < 0) {
      perror(cfg.log_file);
      return 1;
    }
  }

  /* inherited listening sockets: from the process that started us on SIGUSR2,
   * or from systemd (socket activation: then exactly the listeners it passed
   * run, and nothing is bound) */
  int inherited[HS_LISTEN_KINDS + 1]; /* [HS_LISTEN_KINDS]: FTP's (docs/ftp.md) */
  int ninherited = hs__listen_inherited(inherited, HS_LISTEN_KINDS + 1, stderr);
  if (ninherited < 0)
    return 1;
  int activated = (ninherited & HS_LISTEN_ACTIVATED) != 0;
  if (ninherited > 0) { /* exactly the inherited listeners run (a restart passes them all) */
    cfg.tls_on = inherited[HS_LISTEN_TLS] >= 0;
    cfg.h2c_on = inherited[HS_LISTEN_H2C] >= 0;
    cfg.metrics_on = inherited[HS_LISTEN_METRICS] >= 0;
  }

  /* certificates first: a bad one is reported before anything else starts */
  static hs__tls_conf_t tls;
  if ((cfg.tls_on || cfg.ftp.on) && hs__tls_conf_init(&tls, &cfg, stderr) != 0)
    return 1;

  server_t sv;
  memset(&sv, 0, sizeof(sv));
  atomic_init(&sv.finished, 0);
  sv.nworkers = cfg.workers;
  sv.log_fd = log_fd;
  sv.log_path = log_fd == STDOUT_FILENO ? NULL : cfg.log_file;
  for (int k = 0; k < HS_LISTEN_KINDS; k++)
    sv.listen_fds[k] = -1;
  sv.ftp_fd = -1;
  sv.workers = calloc((size_t)cfg.workers, sizeof(hs__worker_t));
  atomic_uint *conns = malloc(sizeof(*conns));
  hs__peer_limit_t *peer_limit = NULL;
  if (!sv.workers || !conns)
    goto setup_failed;
  atomic_init(conns, 0);
  if (cfg.max_conns_per_ip &&
      !(peer_limit = hs__peer_limit_new(cfg.max_conns_per_ip, cfg.max_connections)))
    goto setup_failed;

  /* the listening sockets: one per kind (hs__listen_kind_t order), shared by
   * the workers (listen.c says why), or inherited on a SIGUSR2 restart */
  const char *hosts[HS_LISTEN_KINDS] = {cfg.host, cfg.tls_host, cfg.h2c_host, cfg.metrics_host};
  int ports[HS_LISTEN_KINDS] = {cfg.port, cfg.tls_port, cfg.h2c_port, cfg.metrics_port};
  int on[HS_LISTEN_KINDS] = {!ninherited || inherited[HS_LISTEN_HTTP] >= 0, cfg.tls_on, cfg.h2c_on,
                             cfg.metrics_on};
  for (int k = 0; k < HS_LISTEN_KINDS; k++) {
    if (!on[k]) {
      if (inherited[k] >= 0)
        close(inherited[k]);
      continue;
    }
    int fd = open_listener(&cfg, hosts[k], ports[k], inherited[k]);
    if (fd < 0) {
      fprintf(stderr, "httpstatus serve: cannot listen on %s:%d: %s%s\n", hosts[k], ports[k],
              strerror(-fd),
              fd == -EADDRINUSE ? " (another server listens there; --reuse-port shares the "
                                  "port on purpose)"
                                : "");
      for (int j = k + 1; j < HS_LISTEN_KINDS; j++)
        if (inherited[j] >= 0)
          close(inherited[j]);
      goto setup_failed;
    }
    sv.listen_fds[k] = fd;
    ports[k] = hs__listen_port(fd);
  }

  if (!cfg.ftp.on && inherited[HS_LISTEN_KINDS] >= 0)
    close(inherited[HS_LISTEN_KINDS]);
  if (cfg.ftp.on && (sv.ftp_fd = hs__ftp_listen(&cfg, inherited[HS_LISTEN_KINDS], stderr)) < 0)
    goto setup_failed; /* docs/ftp.md */

  /* what does not fit under the open-file limit is answered 503 */
  cfg.max_connections =
      hs__fd_limit_fit(cfg.max_connections, cfg.workers, cfg.max_connections_set, stderr);
  uv_loop_init(&sv.loop);
  uv_async_init(&sv.loop, &sv.wake, on_worker_done);
  sv.wake.data = &sv;
  int tls_ready = cfg.tls_on;
  hs__metrics_t **per_worker = calloc((size_t)cfg.workers, sizeof(*per_worker));
  if (!per_worker)
    return 1;
  struct timeval started;
  gettimeofday(&started, NULL);
  sv.mset.workers = per_worker;
  sv.mset.n = cfg.workers;
  sv.mset.start_time = (double)started.tv_sec + started.tv_usec / 1e6;
  sv.mset.log_counts = log_counts;
  atomic_init(&sv.mset.phase, HS_PHASE_STARTING);
  /* the access log's writer thread: workers never wait for the log's reader */
  if (cfg.access_log != HS_ALOG_OFF && hs__log_sink_start(log_fd, cfg.log_buffer) != 0)
    fprintf(stderr, "httpstatus serve: access log: no writer thread, workers write\n");
  for (int i = 0; i < cfg.workers; i++) {
    hs__worker_t *w = &sv.workers[i];
    w->cfg = &cfg;
    w->index = i;
    w->global_conns = conns;
    w->peer_limit = peer_limit;
    w->main_wake = &sv.wake;
    w->finished = &sv.finished;
    atomic_init(&w->drain_requested, 0);
    atomic_init(&w->restarting, 0);
    for (int k = 0; k < HS_LISTEN_KINDS; k++) /* each worker closes its own copy */
      w->listeners[k].fd = sv.listen_fds[k] < 0 ? -1 : fcntl(sv.listen_fds[k], F_DUPFD_CLOEXEC, 0);
    w->tls = tls_ready ? &tls : NULL;
    /* FTP runs on the first worker's loop, on its own copy of the socket */
    w->ftp_fd = i == 0 && sv.ftp_fd >= 0 ? fcntl(sv.ftp_fd, F_DUPFD_CLOEXEC, 0) : -1;
    w->ftp_tls = cfg.ftp.on && tls.n > 0 ? tls.ids[0].ctx : NULL;
    int r = hs__worker_init(w, log_fd);
    if (r) {
      fprintf(stderr, "httpstatus serve: worker setup failed: %s\n", uv_strerror(r));
      return 1;
    }
    per_worker[i] = &w->ctx.metrics;
    w->ctx.mset = &sv.mset;
    w->ctx.ops_routes = hs__ops_routes;
  }
  /* With one worker its loop runs on this thread and also takes the signals:
   * a single-threaded process is cheaper for the kernel (no shared file table
   * to reference-count on every read and write). */
  uv_loop_t *sig_loop = cfg.workers == 1 ? &sv.workers[0].loop : &sv.loop;
  watch_signal(&sv, sig_loop, &sv.sigint, on_signal, SIGINT);
  watch_signal(&sv, sig_loop, &sv.sigterm, on_signal, SIGTERM);
  watch_signal(&sv, sig_loop, &sv.sigquit, on_signal, SIGQUIT);
  watch_signal(&sv, sig_loop, &sv.sighup, on_reopen_log, SIGHUP);
  watch_signal(&sv, sig_loop, &sv.sigusr1, on_reopen_log, SIGUSR1);
  watch_signal(&sv, sig_loop, &sv.sigusr2, on_restart, SIGUSR2);

  static const char *const what[HS_LISTEN_KINDS] = {"http", "https", "http", "http"};
  static const char *const note[HS_LISTEN_KINDS] = {"", "; TLS: h2 and http/1.1",
                                                    "; HTTP/2 only, by prior knowledge",
                                                    "; /metrics, /healthz and /readyz only"};
  char addr[HS_LISTEN_KINDS][300];
  for (int k = 0; k < HS_LISTEN_KINDS; k++) {
    if (!on[k])
      continue;
    if (hs__listen_addr(sv.listen_fds[k], addr[k], sizeof addr[k]) != 0)
      snprintf(addr[k], sizeof addr[k], "%s:%d", hosts[k], ports[k]);
    fprintf(stderr, "httpstatus serve: listening on %s://%s (%d worker%s%s%s)\n", what[k], addr[k],
            cfg.workers, cfg.workers == 1 ? "" : "s", note[k], activated ? "; from systemd" : "");
  }
  int ref = on[HS_LISTEN_HTTP] ? HS_LISTEN_HTTP : on[HS_LISTEN_TLS] ? HS_LISTEN_TLS : -1;
  if (ref >= 0)
    fprintf(stderr,
            "httpstatus serve: web reference at %s://%s/ ; metrics at /metrics, health at "
            "/healthz and /readyz\n",
            what[ref], addr[ref]);
  if (tls_ready && tls.local_ca[0]) /* the embedded default: say how to trust it */
    fprintf(stderr,
            "httpstatus serve: TLS certificate for localhost, 127.0.0.1 and ::1 from the local "
            "CA %s\n  try: curl --cacert %s https://localhost:%d/status/418\n",
            tls.local_ca, tls.local_ca, ports[HS_LISTEN_TLS]);
  fflush(stderr);
  hs__restart_notify_ready(); /* the process that started us (SIGUSR2) may drain */
  atomic_store(&sv.mset.phase, HS_PHASE_READY);

  if (cfg.workers == 1) {
    sv.workers[0].main_wake = NULL;
    sv.workers[0].finished = NULL;
    pthread_sigmask(SIG_SETMASK, &main_mask, NULL);
    uv_close((uv_handle_t *)&sv.wake, NULL);
    uv_run(&sv.loop, UV_RUN_DEFAULT);
    hs__worker_run(&sv.workers[0]); /* closes the signal handles when done */
  } else {
    for (int i = 0; i < cfg.workers; i++)
      if (uv_thread_create(&sv.workers[i].thread, worker_thread, &sv.workers[i]) != 0) {
        fprintf(stderr, "httpstatus serve: cannot start worker thread\n");
        return 1;
      }
    pthread_sigmask(SIG_SETMASK, &main_mask, NULL);
    uv_run(&sv.loop, UV_RUN_DEFAULT);
    for (int i = 0; i < cfg.workers; i++)
      uv_thread_join(&sv.workers[i].thread);
    sigset_t all; /* held (as in hs__worker_run): closing the watchers restores SIG_DFL */
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL);
    uv_signal_t *sigs[] = {&sv.sigint, &sv.sigterm, &sv.sigquit,
                           &sv.sighup, &sv.sigusr1, &sv.sigusr2};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
      uv_close((uv_handle_t *)sigs[i], NULL);
    stop_waiting_child(&sv);
    uv_close((uv_handle_t *)&sv.wake, NULL);
    uv_run(&sv.loop, UV_RUN_DEFAULT); /* close callbacks */
  }
  /* the watchers are closed and libuv restored the default actions: signals
   * held since are dropped, and a late one must not end the process */
  int late[] = {SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGUSR1, SIGUSR2};
  for (size_t i = 0; i < sizeof late / sizeof late[0]; i++)
    signal(late[i], SIG_IGN);
  uv_loop_close(&sv.loop);
  unsigned long long total = 0;
  for (int i = 0; i < cfg.workers; i++)
    total += sv.workers[i].ctx.requests;
  /* the last lines: a stalled or failing sink holds the exit up LOG_STOP_MS at most */
  hs__log_sink_stop(cfg.drain_timeout_ms < LOG_STOP_MS ? cfg.drain_timeout_ms : LOG_STOP_MS);
  hs__log_stats_t ls;
  hs__log_stats(&ls);
  if (ls.lines_dropped || ls.write_errors)
    fprintf(stderr,
            "httpstatus serve: access log: %llu lines written, %llu dropped, %llu write errors\n",
            (unsigned long long)ls.lines_written, (unsigned long long)ls.lines_dropped,
            (unsigned long long)ls.write_errors);
  fprintf(stderr, "httpstatus serve: stopped after %llu requests\n", total);
  if (tls_ready || cfg.ftp.on)
    hs__tls_conf_free(&tls);
  hs__tls_alloc_flush();
  free(sv.workers);
  free(per_worker);
  free(conns);
  hs__peer_limit_free(peer_limit);
  close_listen_fds(&sv);
  if (log_fd != STDOUT_FILENO)
    close(log_fd);
  return 0;

setup_failed: /* before any worker or loop exists: give back what was taken */
  close_listen_fds(&sv);
  hs__peer_limit_free(peer_limit);
  free(sv.workers);
  free(conns);
  if (cfg.tls_on || cfg.ftp.on)
    hs__tls_conf_free(&tls);
  if (log_fd != STDOUT_FILENO)
    close(log_fd);
  return 1;
}
