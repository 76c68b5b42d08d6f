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
#include "server/serve.h"

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

static void on_worker_done(uv_async_t *a) {
  server_t *sv = a->data;
  if (atomic_load(&sv->finished) < sv->nworkers)
    return;
  uv_close((uv_handle_t *)&sv->sigint, NULL);
  uv_close((uv_handle_t *)&sv->sigterm, NULL);
  uv_close((uv_handle_t *)&sv->wake, NULL);
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

  server_t sv;
  memset(&sv, 0, sizeof(sv));
  atomic_init(&sv.finished, 0);
  sv.nworkers = cfg.workers;
  sv.workers = calloc((size_t)cfg.workers, sizeof(hs_worker_t));
  atomic_uint *conns = malloc(sizeof(*conns));
  if (!sv.workers || !conns)
    return 1;
  atomic_init(conns, 0);
  uv_loop_init(&sv.loop);
  uv_async_init(&sv.loop, &sv.wake, on_worker_done);
  sv.wake.data = &sv;

  int port = cfg.port;
  for (int i = 0; i < cfg.workers; i++) {
    hs_worker_t *w = &sv.workers[i];
    w->cfg = &cfg;
    w->index = i;
    w->global_conns = conns;
    w->main_wake = &sv.wake;
    w->finished = &sv.finished;
    atomic_init(&w->drain_requested, 0);
    int fd = hs__listen_socket(cfg.host, port, cfg.backlog, &port);
    if (fd < 0) {
      fprintf(stderr, "httpstatus serve: cannot listen on %s:%d: %s\n", cfg.host, port,
              strerror(-fd));
      return 1;
    }
    w->listen_fd = fd;
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

  int v6 = strchr(cfg.host, ':') != NULL;
  fprintf(stderr, "httpstatus serve: listening on http://%s%s%s:%d (%d worker%s)\n", v6 ? "[" : "",
          cfg.host, v6 ? "]" : "", port, cfg.workers, cfg.workers == 1 ? "" : "s");
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
  }
  uv_loop_close(&sv.loop);
  unsigned long long total = 0;
  for (int i = 0; i < cfg.workers; i++)
    total += sv.workers[i].ctx.requests;
  fprintf(stderr, "httpstatus serve: stopped after %llu requests\n", total);
  free(sv.workers);
  free(conns);
  if (log_fd != STDOUT_FILENO)
    close(log_fd);
  return 0;
}
