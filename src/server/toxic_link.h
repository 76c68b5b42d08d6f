/* The toxics' socket side (issue 19): a filter between an upstream
 * connection and the proxy's response reader that reads like recv(). It
 * holds what the upstream sent until gateway/toxics.h lets it pass (latency,
 * jitter, bandwidth, slicer), then ends the stream as a closed connection
 * (limit_data) or a reset one (reset_peer, reset_timeout: SO_LINGER 0, so the
 * upstream gets an RST when the proxy closes the socket). */
#ifndef HS_SERVER_TOXIC_LINK_H
#define HS_SERVER_TOXIC_LINK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "gateway/toxics.h"

typedef struct hs_tlink_s hs__tlink_t;

/* Reads the upstream like recv() (or SSL_read): bytes, 0 at its end, -1 with
 * errno; on EAGAIN *ev says what to wait for (UV_READABLE, UV_WRITABLE). */
typedef ssize_t (*hs__tlink_read_fn)(void *arg, char *buf, size_t n, int *ev);

/* A link with the toxics of t, for one exchange; NULL when out of memory.
 * Freed by hs__tlink_free. */
hs__tlink_t *hs__tlink_new(const hs__gw_toxics_t *t);
void hs__tlink_free(hs__tlink_t *l);

/* recv() through the toxics: reads the upstream (rd, arg; socket fd) while
 * the link has room, then returns the bytes that may pass at now_ms (at most
 * cap, into buf); 0 for the end of the stream (the upstream's, once all it
 * sent has passed, or limit_data's); -1 with errno ECONNRESET for a reset
 * (reset_peer, reset_timeout, or the upstream's own after what it sent has
 * passed), another errno for the upstream's error, or EAGAIN: nothing may
 * pass yet. On EAGAIN *ev is what to watch the upstream for (0: do not) and
 * *wait_ms how long until the link has something to do (-1: only when the
 * upstream does). */
ssize_t hs__tlink_recv(hs__tlink_t *l, int fd, hs__tlink_read_fn rd, void *arg, char *buf,
                       size_t cap, uint64_t now_ms, int *ev, int64_t *wait_ms);

/* Has the link ended the stream by itself (limit_data, a reset)? */
int hs__tlink_cut(const hs__tlink_t *l);

#endif
