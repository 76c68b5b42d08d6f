/* The signals the server watches, and the threads that may take them
 * (signals.c). */
#ifndef HS_SERVER_SIGNALS_H
#define HS_SERVER_SIGNALS_H

#include <signal.h>

/* Adds the signals the main thread watches (SIGINT, SIGTERM, SIGQUIT,
 * SIGHUP, SIGUSR1, SIGUSR2) to this thread's mask (how: SIG_BLOCK), the
 * previous mask to *old. Every thread but the main one holds them. */
void hs__hold_watched_signals(int how, sigset_t *old);

#endif
