/* FTP load for bench/bench_ftp.sh: COUNT sessions one after another (CONC at
 * once, one process each), each a new control connection that logs in as
 * anonymous, sets TYPE I, opens a passive data connection (PASV), retrieves
 * one file, and QUITs. Checks every reply code and the file's size; prints
 * the number of sessions that succeeded and the seconds taken.
 *
 *   ftp_load PORT PATH SIZE COUNT [CONC] */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int dial(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
    perror("connect");
    exit(1);
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

typedef struct {
  int fd;
  char buf[8192];
  size_t len;
} ctl_t;

/* Reads one reply (multi-line aware); returns its code, text in line. */
static int reply(ctl_t *c, char *line, size_t cap) {
  int code = 0;
  for (;;) {
    char *nl;
    while (!(nl = memchr(c->buf, '\n', c->len))) {
      ssize_t n = read(c->fd, c->buf + c->len, sizeof c->buf - c->len);
      if (n <= 0) {
        fprintf(stderr, "control connection closed\n");
        exit(1);
      }
      c->len += (size_t)n;
    }
    size_t k = (size_t)(nl - c->buf) + 1;
    size_t m = k < cap ? k : cap - 1;
    memcpy(line, c->buf, m);
    line[m] = 0;
    memmove(c->buf, c->buf + k, c->len - k);
    c->len -= k;
    if (k >= 4 && line[0] >= '1' && line[0] <= '5') {
      int v = atoi(line);
      if (!code && line[3] == '-') {
        code = v;
        continue;
      }
      if (!code || (v == code && line[3] == ' '))
        return v;
    }
  }
}

static void expect(ctl_t *c, const char *cmd, int want) {
  char line[1024];
  if (cmd) {
    size_t n = strlen(cmd);
    if (write(c->fd, cmd, n) != (ssize_t)n)
      exit(1);
  }
  int got = reply(c, line, sizeof line);
  if (got != want && !(want == 150 && got == 125)) {
    fprintf(stderr, "%s: expected %d, got %s", cmd ? cmd : "greeting", want, line);
    exit(1);
  }
}

static void session(int port, const char *path, long size) {
  ctl_t c = {.fd = dial(port)};
  char line[1024], cmd[512];
  expect(&c, NULL, 220);
  expect(&c, "USER anonymous\r\n", 331);
  expect(&c, "PASS bench@example.com\r\n", 230);
  expect(&c, "TYPE I\r\n", 200);
  if (write(c.fd, "PASV\r\n", 6) != 6 || reply(&c, line, sizeof line) != 227)
    exit(1);
  unsigned h[6];
  char *p = strchr(line, '(');
  if (!p || sscanf(p, "(%u,%u,%u,%u,%u,%u)", &h[0], &h[1], &h[2], &h[3], &h[4], &h[5]) != 6)
    exit(1);
  int d = dial((int)(h[4] * 256 + h[5]));
  snprintf(cmd, sizeof cmd, "RETR %s\r\n", path);
  expect(&c, cmd, 150);
  long got = 0;
  char buf[65536];
  ssize_t n;
  while ((n = read(d, buf, sizeof buf)) > 0)
    got += n;
  close(d);
  if (got != size) {
    fprintf(stderr, "got %ld bytes, expected %ld\n", got, size);
    exit(1);
  }
  expect(&c, NULL, 226);
  expect(&c, "QUIT\r\n", 221);
  close(c.fd);
}

int main(int argc, char **argv) {
  if (argc < 5) {
    fprintf(stderr, "usage: ftp_load PORT PATH SIZE COUNT [CONC]\n");
    return 2;
  }
  int port = atoi(argv[1]), conc = argc > 5 ? atoi(argv[5]) : 1;
  long size = atol(argv[3]), count = atol(argv[4]);
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (int w = 0; w < conc; w++)
    if (fork() == 0) {
      for (long i = w; i < count; i += conc)
        session(port, argv[2], size);
      _exit(0);
    }
  int ok = 1, st;
  while (wait(&st) > 0)
    ok &= WIFEXITED(st) && WEXITSTATUS(st) == 0;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  printf("%ld %.3f\n", ok ? count : 0L,
         (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
  return ok ? 0 : 1;
}
