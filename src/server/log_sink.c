/* The access log's sink: one writer thread per process between the workers
 * and the log's descriptor. Workers hand whole lines to a bounded buffer and
 * never wait for the descriptor; when the sink stalls (a full pipe, a paused
 * reader) or fails (a full disk), lines are dropped and counted, requests
 * never are. Errors and drops are reported on stderr, at most once per
 * REPORT_MS. */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "server/log.h"

#define POLL_MS 100      /* the writer looks at its stop flag this often */
#define REPORT_MS 10000  /* stderr reports, at most one per kind this often */
#define FILE_CHUNK 65536 /* one write() to a file or terminal */

static struct {
  pthread_mutex_t mu;
  pthread_cond_t more; /* lines came, or stop */
  pthread_cond_t done; /* the writer ended */
  pthread_t thread;
  char *buf, *spare; /* filled by workers; being written by the writer */
  size_t len, cap;
  int fd;
  int running, stopping, finished;
  uint64_t stop_by_ms; /* the writer gives up on unwritten lines then */
  atomic_uint_fast64_t lines_dropped, write_errors, lines_written;
  uint64_t reported_drops; /* lines_dropped at the last report */
  uint64_t drop_report_ms, error_report_ms;
} sink = {.mu = PTHREAD_MUTEX_INITIALIZER,
          .more = PTHREAD_COND_INITIALIZER,
          .done = PTHREAD_COND_INITIALIZER};

static uint64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint64_t count_lines(const char *p, size_t n) {
  uint64_t k = 0;
  for (const char *e = p + n; (p = memchr(p, '\n', (size_t)(e - p))) != NULL; p++)
    k++;
  return k;
}

/* Reports drops since the last report, if REPORT_MS has passed. */
static void report_drops(uint64_t now) {
  uint64_t d = atomic_load(&sink.lines_dropped);
  if (d == sink.reported_drops || now < sink.drop_report_ms + REPORT_MS)
    return;
  fprintf(stderr,
          "httpstatus serve: access log: %llu lines dropped (its reader stalls or writes "
          "fail; %llu in all)\n",
          (unsigned long long)(d - sink.reported_drops), (unsigned long long)d);
  sink.reported_drops = d;
  sink.drop_report_ms = now;
}

/* Writes [p, p+n) without ever blocking for long: a pipe gets at most
 * PIPE_BUF bytes per write once poll says it has room (such a write never
 * blocks), a socket non-blocking sends, a file plain writes. Returns the
 * bytes written (short when stopping past the deadline), or -errno. */
static ssize_t write_some(int fd, const char *p, size_t n, int kind) {
  if (kind != S_IFIFO && kind != S_IFSOCK) {
    ssize_t w = write(fd, p, n < FILE_CHUNK ? n : FILE_CHUNK);
    return w < 0 ? -errno : w;
  }
  struct pollfd pfd = {fd, POLLOUT, 0};
  int r = poll(&pfd, 1, POLL_MS);
  if (r == 0)
    return 0;
  if (r < 0)
    return errno == EINTR ? 0 : -errno;
  if (pfd.revents & (POLLERR | POLLHUP | POLLNVAL))
    return -EPIPE;
  ssize_t w = kind == S_IFSOCK ? send(fd, p, n, MSG_DONTWAIT | MSG_NOSIGNAL)
                               : write(fd, p, n < PIPE_BUF ? n : PIPE_BUF);
  if (w < 0)
    return errno == EAGAIN || errno == EINTR ? 0 : -errno;
  return w;
}

/* Writes one batch; lines it cannot write (an error, or the stop deadline)
 * are counted as dropped. */
static void write_batch(const char *p, size_t n) {
  struct stat st;
  int kind = fstat(sink.fd, &st) == 0 ? (int)(st.st_mode & S_IFMT) : 0;
  size_t off = 0;
  while (off < n) {
    ssize_t w = write_some(sink.fd, p + off, n - off, kind);
    if (w > 0) {
      off += (size_t)w;
      continue;
    }
    uint64_t now = now_ms();
    if (w < 0) {
      uint64_t errs = atomic_fetch_add(&sink.write_errors, 1) + 1;
      if (errs == 1 || now >= sink.error_report_ms + REPORT_MS) {
        fprintf(stderr, "httpstatus serve: write() to access log failed: %s (%llu failures)\n",
                strerror((int)-w), (unsigned long long)errs);
        sink.error_report_ms = now;
      }
      break;
    }
    pthread_mutex_lock(&sink.mu);
    int give_up = sink.stopping && now >= sink.stop_by_ms;
    pthread_mutex_unlock(&sink.mu);
    if (give_up)
      break;
    report_drops(now);
  }
  /* a line cut in the middle still counts as written: the reader saw part */
  uint64_t lost = off < n ? count_lines(p + off, n - off) : 0;
  atomic_fetch_add(&sink.lines_dropped, lost);
  atomic_fetch_add(&sink.lines_written, count_lines(p, n) - lost);
}

static void *writer(void *arg) {
  (void)arg;
  pthread_mutex_lock(&sink.mu);
  for (;;) {
    if (!sink.len) {
      if (sink.stopping)
        break;
      struct timespec ts;
      clock_gettime(CLOCK_REALTIME, &ts);
      ts.tv_sec += 1;
      pthread_cond_timedwait(&sink.more, &sink.mu, &ts);
      pthread_mutex_unlock(&sink.mu);
      report_drops(now_ms());
      pthread_mutex_lock(&sink.mu);
      continue;
    }
    char *b = sink.buf;
    size_t n = sink.len;
    sink.buf = sink.spare; /* the workers fill the other buffer meanwhile */
    sink.spare = b;
    sink.len = 0;
    pthread_mutex_unlock(&sink.mu);
    write_batch(b, n);
    pthread_mutex_lock(&sink.mu);
    if (sink.stopping && now_ms() >= sink.stop_by_ms && sink.len) {
      atomic_fetch_add(&sink.lines_dropped, count_lines(sink.buf, sink.len));
      sink.len = 0;
    }
  }
  sink.finished = 1;
  pthread_cond_signal(&sink.done);
  pthread_mutex_unlock(&sink.mu);
  report_drops(now_ms() + REPORT_MS);
  return NULL;
}

int hs__log_sink_start(int fd, size_t cap) {
  sink.fd = fd;
  sink.cap = cap;
  sink.buf = malloc(cap);
  sink.spare = malloc(cap);
  if (!sink.buf || !sink.spare || pthread_create(&sink.thread, NULL, writer, NULL) != 0) {
    free(sink.buf);
    free(sink.spare);
    sink.buf = sink.spare = NULL;
    return -1;
  }
  sink.running = 1;
  return 0;
}

void hs__log_sink_put(int fd, const char *p, size_t n) {
  if (!sink.running) { /* no writer thread (tests, or it could not start) */
    while (n) {
      ssize_t w = write(fd, p, n);
      if (w < 0 && errno == EINTR)
        continue;
      if (w <= 0)
        return;
      p += w;
      n -= (size_t)w;
    }
    return;
  }
  pthread_mutex_lock(&sink.mu);
  if (sink.len + n > sink.cap || sink.stopping) {
    pthread_mutex_unlock(&sink.mu);
    atomic_fetch_add(&sink.lines_dropped, count_lines(p, n));
    return;
  }
  memcpy(sink.buf + sink.len, p, n);
  sink.len += n;
  pthread_cond_signal(&sink.more);
  pthread_mutex_unlock(&sink.mu);
}

void hs__log_sink_stop(uint64_t wait_ms) {
  if (!sink.running)
    return;
  pthread_mutex_lock(&sink.mu);
  sink.stopping = 1;
  sink.stop_by_ms = now_ms() + wait_ms;
  pthread_cond_signal(&sink.more);
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  uint64_t ns = (uint64_t)ts.tv_nsec + (wait_ms + POLL_MS * 2) * 1000000;
  ts.tv_sec += (time_t)(ns / 1000000000);
  ts.tv_nsec = (long)(ns % 1000000000);
  while (!sink.finished)
    if (pthread_cond_timedwait(&sink.done, &sink.mu, &ts) == ETIMEDOUT)
      break;
  int finished = sink.finished;
  pthread_mutex_unlock(&sink.mu);
  if (!finished) { /* stuck in a system call: the process ends without it */
    fprintf(stderr, "httpstatus serve: access log: the writer is still blocked; exiting\n");
    return;
  }
  pthread_join(sink.thread, NULL);
  sink.running = 0;
  free(sink.buf);
  free(sink.spare);
  sink.buf = sink.spare = NULL;
}

void hs__log_stats(hs__log_stats_t *out) {
  out->lines_written = atomic_load(&sink.lines_written);
  out->lines_dropped = atomic_load(&sink.lines_dropped);
  out->write_errors = atomic_load(&sink.write_errors);
}
