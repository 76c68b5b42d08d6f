/* `httpstatus serve`: options, listeners, one worker thread per event loop,
 * signals and graceful shutdown. */
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <uv.h>

#include "http/config.h"
#include "server/conn.h"
#include "server/peer_limit.h"
#include "server/serve.h"
#include "server/tls.h"

typedef struct {
  uv_loop_t loop;
  uv_signal_t sigint, sigterm;
  uv_async_t wake; /* a worker finished */
  hs_worker_t *workers;
  int nworkers;
  atomic_int finished;
  int signals;
} server_t;

static void worker_thread(void *arg) { hs__worker_run(arg); }

/* First SIGTERM/SIGINT: drain; a second one: close everything now. */
static void on_signal(uv_signal_t *s, int signum) {
  server_t *sv = s->data;
  sv->signals++;
  if (sv->signals == 1)
    fprintf(stderr, "httpstatus serve: signal %d, draining (up to %llu ms)\n", signum,
            (unsigned long long)sv->workers[0].cfg->drain_timeout_ms);
  for (int i = 0; i < sv->nworkers; i++)
    hs__worker_stop(&sv->workers[i], sv->signals >= 2 ? 2 : 1);
}

/* Every worker has finished: leave the loop. Its handles are closed only after
 * the joins, as the last worker may still be inside uv_async_send(&sv->wake)
 * (closing it then is undefined; once the loop is closed the send aborts). */
static void on_worker_done(uv_async_t *a) {
  server_t *sv = a->data;
  if (atomic_load(&sv->finished) == sv->nworkers)
    uv_stop(&sv->loop);
}

/* Lets the process hold one descriptor per allowed connection. */
static void raise_fd_limit(unsigned want) {
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
    return;
  rlim_t need = (rlim_t)want + 256;
  if (rl.rlim_cur >= need)
    return;
  rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > need ? need : rl.rlim_max;
  setrlimit(RLIMIT_NOFILE, &rl);
}

int hs_serve_main(int argc, char **argv) {
  static hs_config_t cfg;
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
  raise_fd_limit(cfg.max_connections);

  int log_fd = STDOUT_FILENO;
  if (cfg.access_log != HS_ALOG_OFF && cfg.log_file) {
    log_fd = open(cfg.log_file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (log_fd < 0) {
      perror(cfg.log_file);
      return 1;
    }
  }

  /* certificates first: a bad one is reported before anything else starts */
  static hs_tls_conf_t tls;
  if (cfg.tls_on && hs__tls_conf_init(&tls, &cfg, stderr) != 0)
    return 1;

  server_t sv;
  memset(&sv, 0, sizeof(sv));
  atomic_init(&sv.finished, 0);
  sv.nworkers = cfg.workers;
  sv.workers = calloc((size_t)cfg.workers, sizeof(hs_worker_t));
  atomic_uint *conns = malloc(sizeof(*conns));
  if (!sv.workers || !conns)
    return 1;
  atomic_init(conns, 0);
  hs_peer_limit_t *peer_limit = NULL;
  if (cfg.max_conns_per_ip &&
      !(peer_limit = hs__peer_limit_new(cfg.max_conns_per_ip, cfg.max_connections)))
    return 1;
  uv_loop_init(&sv.loop);
  uv_async_init(&sv.loop, &sv.wake, on_worker_done);
  sv.wake.data = &sv;

  /* the addresses of each kind of listener (hs_listen_kind_t order) */
  const char *hosts[HS_LISTEN_KINDS] = {cfg.host, cfg.tls_host, cfg.h2c_host};
  int ports[HS_LISTEN_KINDS] = {cfg.port, cfg.tls_port, cfg.h2c_port};
  int on[HS_LISTEN_KINDS] = {1, cfg.tls_on, cfg.h2c_on};
  int tls_ready = cfg.tls_on;
  for (int i = 0; i < cfg.workers; i++) {
    hs_worker_t *w = &sv.workers[i];
    w->cfg = &cfg;
    w->index = i;
    w->global_conns = conns;
    w->peer_limit = peer_limit;
    w->main_wake = &sv.wake;
    w->finished = &sv.finished;
    atomic_init(&w->drain_requested, 0);
    for (int k = 0; k < HS_LISTEN_KINDS; k++) {
      w->listeners[k].fd = -1;
      if (!on[k])
        continue;
      int fd = hs__listen_socket(hosts[k], ports[k], cfg.backlog, &ports[k]);
      if (fd < 0) {
        fprintf(stderr, "httpstatus serve: cannot listen on %s:%d: %s\n", hosts[k], ports[k],
                strerror(-fd));
        return 1;
      }
      w->listeners[k].fd = fd;
    }
    w->tls = tls_ready ? &tls : NULL;
    int r = hs__worker_init(w, log_fd);
    if (r) {
      fprintf(stderr, "httpstatus serve: worker setup failed: %s\n", uv_strerror(r));
      return 1;
    }
  }
  /* With one worker its loop runs on this thread and also takes the signals:
   * a single-threaded process is cheaper for the kernel (no shared file table
   * to reference-count on every read and write). */
  uv_loop_t *sig_loop = cfg.workers == 1 ? &sv.workers[0].loop : &sv.loop;
  uv_signal_init(sig_loop, &sv.sigint);
  uv_signal_init(sig_loop, &sv.sigterm);
  sv.sigint.data = sv.sigterm.data = &sv;
  uv_signal_start(&sv.sigint, on_signal, SIGINT);
  uv_signal_start(&sv.sigterm, on_signal, SIGTERM);
  if (cfg.workers == 1) {
    uv_unref((uv_handle_t *)&sv.sigint); /* the worker's own handles decide when it ends */
    uv_unref((uv_handle_t *)&sv.sigterm);
  }

  static const char *const what[HS_LISTEN_KINDS] = {"http", "https", "http"};
  static const char *const note[HS_LISTEN_KINDS] = {"", "; TLS: h2 and http/1.1",
                                                    "; HTTP/2 only, by prior knowledge"};
  for (int k = 0; k < HS_LISTEN_KINDS; k++) {
    if (!on[k])
      continue;
    int v6 = strchr(hosts[k], ':') != NULL;
    fprintf(stderr, "httpstatus serve: listening on %s://%s%s%s:%d (%d worker%s%s)\n", what[k],
            v6 ? "[" : "", hosts[k], v6 ? "]" : "", ports[k], cfg.workers,
            cfg.workers == 1 ? "" : "s", note[k]);
  }
  if (tls_ready && tls.local_ca[0]) /* the embedded default: say how to trust it */
    fprintf(stderr,
            "httpstatus serve: TLS certificate for localhost, 127.0.0.1 and ::1 from the local "
            "CA %s\n  try: curl --cacert %s https://localhost:%d/status/418\n",
            tls.local_ca, tls.local_ca, ports[HS_LISTEN_TLS]);
  fflush(stderr);

  if (cfg.workers == 1) {
    sv.workers[0].main_wake = NULL;
    sv.workers[0].finished = NULL;
    uv_close((uv_handle_t *)&sv.wake, NULL);
    uv_run(&sv.loop, UV_RUN_DEFAULT);
    hs__worker_run(&sv.workers[0]); /* closes the signal handles when done */
  } else {
    for (int i = 0; i < cfg.workers; i++)
      if (uv_thread_create(&sv.workers[i].thread, worker_thread, &sv.workers[i]) != 0) {
        fprintf(stderr, "httpstatus serve: cannot start worker thread\n");
        return 1;
      }
    uv_run(&sv.loop, UV_RUN_DEFAULT);
    for (int i = 0; i < cfg.workers; i++)
      uv_thread_join(&sv.workers[i].thread);
    uv_close((uv_handle_t *)&sv.sigint, NULL);
    uv_close((uv_handle_t *)&sv.sigterm, NULL);
    uv_close((uv_handle_t *)&sv.wake, NULL);
    uv_run(&sv.loop, UV_RUN_DEFAULT); /* close callbacks */
  }
  uv_loop_close(&sv.loop);
  unsigned long long total = 0;
  for (int i = 0; i < cfg.workers; i++)
    total += sv.workers[i].ctx.requests;
  fprintf(stderr, "httpstatus serve: stopped after %llu requests\n", total);
  if (tls_ready)
    hs__tls_conf_free(&tls);
  free(sv.workers);
  free(conns);
  hs__peer_limit_free(peer_limit);
  if (log_fd != STDOUT_FILENO)
    close(log_fd);
  return 0;
}
