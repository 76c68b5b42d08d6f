/* The signals the server watches (signals.h). SIGTERM, SIGINT, SIGQUIT:
 * drain; SIGHUP, SIGUSR1: reopen the log; SIGUSR2: restart (server.c has
 * the watchers). Only the main thread takes them: every other thread
 * (workers, the log writer, libuv's pool, which inherits the mask of the
 * thread that starts it: proxy.c holds them around uv_getaddrinfo) starts
 * with them held and keeps them held. At the end, closing the watchers makes
 * libuv restore the default actions until the process ignores them; a late
 * signal (a second SIGTERM from an impatient supervisor) must find no thread
 * that would let it end the process then. */
#include "server/signals.h"

#include <pthread.h>

void hs__hold_watched_signals(int how, sigset_t *old) {
  sigset_t set;
  sigemptyset(&set);
  int sigs[] = {SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGUSR1, SIGUSR2};
  for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
    sigaddset(&set, sigs[i]);
  pthread_sigmask(how, &set, old);
}
