/* WebSocket echo load for bench/bench_ws.sh: CONNS connections to
 * 127.0.0.1:PORT PATH, each sending a masked binary message of SIZE bytes and
 * waiting for its echo, again and again, for SECONDS. Prints the number of
 * echoes received (a whole echo: header + SIZE bytes). One thread, epoll.
 *   usage: ws_load PORT PATH CONNS SECONDS SIZE */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct {
  int fd;
  size_t got; /* bytes of the current echo received */
} conn_t;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Connects and completes the opening handshake (blocking). */
static int open_ws(int port, const char *path) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0)
    return -1;
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  char req[512];
  int n = snprintf(req, sizeof req,
                   "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                   "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                   "Sec-WebSocket-Version: 13\r\n\r\n",
                   path);
  if (write(fd, req, (size_t)n) != n)
    return -1;
  char buf[2048];
  size_t len = 0;
  while (len < sizeof buf - 1) { /* read the 101 head byte by byte: nothing follows it */
    if (read(fd, buf + len, 1) != 1)
      return -1;
    len++;
    if (len >= 4 && memcmp(buf + len - 4, "\r\n\r\n", 4) == 0)
      break;
  }
  buf[len] = 0;
  if (strncmp(buf, "HTTP/1.1 101", 12) != 0) {
    fprintf(stderr, "ws_load: handshake refused: %s\n", buf);
    return -1;
  }
  return fd;
}

int main(int argc, char **argv) {
  if (argc != 6) {
    fprintf(stderr, "usage: ws_load PORT PATH CONNS SECONDS SIZE\n");
    return 2;
  }
  int port = atoi(argv[1]), nconn = atoi(argv[3]);
  double secs = atof(argv[4]);
  size_t size = (size_t)atoi(argv[5]);
  if (size > 125 || nconn < 1) {
    fprintf(stderr, "ws_load: SIZE must be at most 125 bytes\n");
    return 2;
  }
  unsigned char msg[2 + 4 + 125];
  msg[0] = 0x82;
  msg[1] = (unsigned char)(0x80 | size);
  memcpy(msg + 2, "\x12\x34\x56\x78", 4);
  for (size_t i = 0; i < size; i++)
    msg[6 + i] = (unsigned char)('a' + i % 26) ^ msg[2 + i % 4];
  size_t mlen = 6 + size, echo_len = 2 + size;
  conn_t *c = calloc((size_t)nconn, sizeof *c);
  int ep = epoll_create1(0);
  for (int i = 0; i < nconn; i++) {
    if ((c[i].fd = open_ws(port, argv[2])) < 0) {
      fprintf(stderr, "ws_load: connection %d failed\n", i);
      return 1;
    }
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &c[i]};
    epoll_ctl(ep, EPOLL_CTL_ADD, c[i].fd, &ev);
  }
  for (int i = 0; i < nconn; i++)
    if (write(c[i].fd, msg, mlen) != (ssize_t)mlen)
      return 1;
  unsigned long long echoes = 0;
  double end = now_s() + secs;
  struct epoll_event evs[256];
  char buf[65536];
  while (now_s() < end) {
    int n = epoll_wait(ep, evs, 256, 100);
    for (int k = 0; k < n; k++) {
      conn_t *x = evs[k].data.ptr;
      ssize_t r = read(x->fd, buf, sizeof buf);
      if (r <= 0) {
        if (r < 0 && errno == EINTR)
          continue;
        fprintf(stderr, "ws_load: server closed a connection\n");
        return 1;
      }
      x->got += (size_t)r;
      while (x->got >= echo_len) { /* one message in flight per connection */
        x->got -= echo_len;
        echoes++;
        if (write(x->fd, msg, mlen) != (ssize_t)mlen)
          return 1;
      }
    }
  }
  printf("%llu\n", echoes);
  return 0;
}
