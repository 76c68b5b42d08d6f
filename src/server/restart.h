/* Restart without loss (SIGUSR2, as nginx's binary upgrade): the running
 * server starts a new copy of its binary with the same arguments, handing it
 * the listening sockets; once the new one listens it says so through a pipe,
 * and the old one drains. Both accept from the same kernel queues meanwhile,
 * so no connection is refused or reset. */
#ifndef HS_SERVER_RESTART_H
#define HS_SERVER_RESTART_H

#include <stdio.h>
#include <sys/types.h>

/* The environment variable that carries the write end of the readiness pipe. */
#define HS_READY_FD_ENV "HTTPSTATUS_READY_FD"

/* Remembers the path of the running binary and the server's arguments
 * (argv[0] is "serve"; argv is not copied and must outlive the server). Call
 * at start-up, before the binary may be replaced on disk. */
void hs__restart_setup(int argc, char **argv);

/* Starts the new copy: fork, then exec of the binary with HS_LISTEN_FDS_ENV
 * naming listen_fds (nkinds entries, -1 for none) and HS_READY_FD_ENV the
 * write end of a pipe. Returns the child's pid and sets *ready_fd to the read
 * end (the caller closes it): one byte arrives there once the child listens,
 * end of file without it if the child failed. Returns -1 (errno set) on error. */
pid_t hs__restart_spawn(const int *listen_fds, int nkinds, int *ready_fd);

/* In a server started that way: tells the parent that it listens (no-op
 * otherwise). */
void hs__restart_notify_ready(void);

#endif
