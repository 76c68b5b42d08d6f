/* Listening sockets and descriptors: bound once by the main thread and shared
 * by every worker, or inherited from the process that started this one on
 * SIGUSR2; the open-file limit and its warning. */
#ifndef HS_SERVER_LISTEN_H
#define HS_SERVER_LISTEN_H

#include <stdio.h>

/* The environment variable that carries inherited listening sockets: one
 * descriptor number per listener kind (hs__listen_kind_t order), then the FTP
 * listener (docs/ftp.md), -1 for none,
 * comma-separated ("3,-1,-1"). */
#define HS_LISTEN_FDS_ENV "HTTPSTATUS_LISTEN_FDS"

/* Opens a listening TCP socket on host:port (SO_REUSEADDR; SO_REUSEPORT only
 * when reuse_port, so that by default a second server on a busy port fails
 * with EADDRINUSE instead of silently taking part of the traffic). Port 0
 * picks a free one. Returns the fd (close-on-exec, non-blocking), or a
 * negative errno. */
int hs__listen_socket(const char *host, int port, int backlog, int reuse_port);

/* The local port of a bound socket, or -1. */
int hs__listen_port(int fd);

/* Takes the listening sockets named by HS_LISTEN_FDS_ENV (then unsets it),
 * or else those systemd passed (LISTEN_PID, LISTEN_FDS, LISTEN_FDNAMES:
 * socket activation, names http/plain, https/tls, h2c, metrics; the
 * variables are unset too): fds[k] receives the descriptor of kind k or -1;
 * each is checked to be a listening socket and made close-on-exec again.
 * Returns the number taken (with HS_LISTEN_ACTIVATED or-ed in when they came
 * from systemd: then only those listeners run), 0 without either variable,
 * -1 (message on err) if an HS_LISTEN_FDS_ENV one is not a listening socket. */
#define HS_LISTEN_ACTIVATED 0x10000
int hs__listen_inherited(int *fds, int nkinds, FILE *err);

/* Writes "host:port" ("[v6]:port") of a bound socket into out. Returns 0 or -1. */
int hs__listen_addr(int fd, char *out, size_t cap);

/* Raises the soft open-file limit to max_connections plus what the server
 * needs besides (the descriptors open now, those of `workers` loops and a
 * margin). Returns the number of connections that fit: max_connections, or
 * fewer when the hard limit does not allow it, with a warning on err only if
 * the limit was set explicitly (explicit_limit: --max-connections given; the
 * default adapts silently) (connections past that number then get 503, like those over
 * --max-connections). Call once the listeners are open. */
unsigned hs__fd_limit_fit(unsigned max_connections, int workers, int explicit_limit, FILE *err);

#endif
