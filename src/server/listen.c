/* Listening sockets (listen.h). Why one socket per listener, shared: with a
 * socket per worker, every one needs SO_REUSEPORT, and then bind() never
 * fails, so a second server started on the same port silently joins the
 * group and takes part of the connections (any process of the same user can).
 * Binding one socket without SO_REUSEPORT makes a busy port an error; the
 * workers share it (each polls its own dup and accepts from the one queue),
 * and a restarted copy of the server inherits that same socket, so its queue
 * survives the restart: no connection is lost. --reuse-port sets
 * SO_REUSEPORT on it for those who want several servers on one port. */
#include "server/listen.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

/* Descriptors beyond the connections: per worker its loop (epoll, wake-up
 * eventfd, signal pipe), libuv's and our spare, the listeners' copies; and
 * some for the process (the main loop, a log reopened, a restart's pipe). */
#define FD_PER_WORKER 12
#define FD_SPARE 16

int hs__listen_socket(const char *host, int port, int backlog, int reuse_port) {
  struct sockaddr_storage ss;
  socklen_t slen;
  memset(&ss, 0, sizeof(ss));
  if (uv_ip4_addr(host, port, (struct sockaddr_in *)&ss) == 0)
    slen = sizeof(struct sockaddr_in);
  else if (uv_ip6_addr(host, port, (struct sockaddr_in6 *)&ss) == 0)
    slen = sizeof(struct sockaddr_in6);
  else
    return -EINVAL;
  int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -errno;
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)); /* past TIME_WAIT only */
  if ((reuse_port && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) != 0) ||
      bind(fd, (struct sockaddr *)&ss, slen) != 0 || listen(fd, backlog) != 0) {
    int e = errno;
    close(fd);
    return -e;
  }
  return fd;
}

int hs__listen_port(int fd) {
  struct sockaddr_storage ss;
  socklen_t slen = sizeof(ss);
  if (getsockname(fd, (struct sockaddr *)&ss, &slen) != 0)
    return -1;
  if (ss.ss_family == AF_INET)
    return ntohs(((struct sockaddr_in *)&ss)->sin_port);
  if (ss.ss_family == AF_INET6)
    return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
  return -1;
}

int hs__listen_addr(int fd, char *out, size_t cap) {
  struct sockaddr_storage ss;
  socklen_t slen = sizeof(ss);
  char host[64] = "?";
  if (getsockname(fd, (struct sockaddr *)&ss, &slen) != 0)
    return -1;
  if (ss.ss_family == AF_INET)
    uv_ip4_name((struct sockaddr_in *)&ss, host, sizeof host);
  else if (ss.ss_family == AF_INET6)
    uv_ip6_name((struct sockaddr_in6 *)&ss, host, sizeof host);
  int v6 = ss.ss_family == AF_INET6;
  snprintf(out, cap, "%s%s%s:%d", v6 ? "[" : "", host, v6 ? "]" : "", hs__listen_port(fd));
  return 0;
}

/* Makes an inherited descriptor ours: a listening socket, close-on-exec and
 * non-blocking. Returns 0, or -1 if it is not a listening socket. */
static int adopt(int fd) {
  int listening = 0;
  socklen_t len = sizeof(listening);
  if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) != 0 || !listening)
    return -1;
  fcntl(fd, F_SETFD, FD_CLOEXEC);
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  return 0;
}

/* The listener kind a socket unit's FileDescriptorName= names, or -1. */
static int kind_of_name(const char *name, size_t n) {
  static const char *const names[][2] = {
      {"http", "plain"}, {"https", "tls"}, {"h2c", "h2c"}, {"metrics", "metrics"}};
  for (int k = 0; k < (int)(sizeof names / sizeof names[0]); k++)
    for (int j = 0; j < 2; j++)
      if (strlen(names[k][j]) == n && memcmp(names[k][j], name, n) == 0)
        return k;
  return -1;
}

/* systemd socket activation (sd_listen_fds(3), without libsystemd): when
 * LISTEN_PID is this process, LISTEN_FDS descriptors from 3 on, each named by
 * the matching entry of the colon-separated LISTEN_FDNAMES. A name picks the
 * listener (http or plain, https or tls, h2c, metrics); a socket without one
 * of these names (systemd's default is the unit's name) serves plain HTTP if
 * no other does. The variables are removed, as sd_listen_fds(1) does. */
static int from_systemd(int *fds, int nkinds, FILE *err) {
  const char *pid = getenv("LISTEN_PID"), *nfds = getenv("LISTEN_FDS");
  const char *names = getenv("LISTEN_FDNAMES");
  if (!pid || !nfds)
    return 0;
  char namebuf[1024];
  snprintf(namebuf, sizeof namebuf, "%s", names ? names : "");
  long want = strtol(pid, NULL, 10), n = strtol(nfds, NULL, 10);
  unsetenv("LISTEN_PID");
  unsetenv("LISTEN_FDS");
  unsetenv("LISTEN_FDNAMES");
  if (want != (long)getpid() || n <= 0)
    return 0;
  if (n > 64)
    n = 64;
  int taken = 0;
  const char *name = namebuf;
  for (int i = 0; i < n; i++) {
    int fd = 3 + i;
    const char *colon = strchr(name, ':');
    size_t nlen = colon ? (size_t)(colon - name) : strlen(name);
    int k = kind_of_name(name, nlen);
    if (k < 0 || k >= nkinds)
      k = fds[0] < 0 ? 0 : -1;
    if (k < 0 || fds[k] >= 0 || adopt(fd) != 0) {
      fprintf(err, "httpstatus serve: LISTEN_FDS: descriptor %d (\"%.*s\") is %s; closing it\n", fd,
              (int)nlen, name,
              k < 0 || fds[k] >= 0 ? "not for a listener we have (or a second one for it)"
                                   : "not a listening socket");
      close(fd);
    } else {
      fds[k] = fd;
      taken++;
    }
    name = colon ? colon + 1 : name + nlen;
  }
  return taken;
}

int hs__listen_inherited(int *fds, int nkinds, FILE *err) {
  for (int k = 0; k < nkinds; k++)
    fds[k] = -1;
  const char *env = getenv(HS_LISTEN_FDS_ENV);
  if (!env) {
    int n = from_systemd(fds, nkinds, err);
    return n > 0 ? HS_LISTEN_ACTIVATED | n : n;
  }
  char copy[128];
  snprintf(copy, sizeof copy, "%s", env);
  unsetenv(HS_LISTEN_FDS_ENV); /* not for the processes we start */
  int n = 0, k = 0;
  for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok && k < nkinds;
       tok = strtok_r(NULL, ",", &save), k++) {
    int fd = atoi(tok);
    if (fd < 0)
      continue;
    if (adopt(fd) != 0) {
      fprintf(err, "httpstatus serve: %s: descriptor %d is not a listening socket\n",
              HS_LISTEN_FDS_ENV, fd);
      return -1;
    }
    fds[k] = fd;
    n++;
  }
  return n;
}

/* Descriptors open in this process now (listeners, log, standard streams). */
static unsigned open_fds(void) {
  DIR *d = opendir("/proc/self/fd");
  if (!d)
    return 32;
  unsigned n = 0;
  while (readdir(d))
    n++;
  closedir(d);
  return n > 3 ? n - 3 : n; /* ".", ".." and the directory's own descriptor */
}

unsigned hs__fd_limit_fit(unsigned max_connections, int workers, int explicit_limit, FILE *err) {
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
    return max_connections;
  rlim_t reserve = open_fds() + FD_PER_WORKER * (rlim_t)workers + FD_SPARE;
  rlim_t need = (rlim_t)max_connections + reserve;
  if (rl.rlim_cur >= need)
    return max_connections;
  rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > need ? need : rl.rlim_max;
  setrlimit(RLIMIT_NOFILE, &rl);
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= need)
    return max_connections;
  unsigned fit = rl.rlim_cur > reserve ? (unsigned)(rl.rlim_cur - reserve) : 1;
  if (!explicit_limit)
    return fit;
  fprintf(err,
          "httpstatus serve: warning: the open-file limit (%llu) is below --max-connections "
          "(%u) plus the %llu descriptors the server needs: at most %u connections at once, "
          "the others get 503 (raise it: ulimit -n, LimitNOFILE=)\n",
          (unsigned long long)rl.rlim_cur, max_connections, (unsigned long long)reserve, fit);
  return fit;
}
