/* Open connections per client address, all workers together, for
 * --max-connections-per-ip: one client cannot take every slot. Thread-safe. */
#ifndef HS_SERVER_PEER_LIMIT_H
#define HS_SERVER_PEER_LIMIT_H

#include <stdint.h>
#include <sys/socket.h>

typedef struct hs_peer_limit_s hs__peer_limit_t;

/* A client address as the table keys it: IPv4 as an IPv4-mapped IPv6
 * address, so that both forms of one client meet. */
typedef struct hs_peer_key_s {
  uint8_t b[16];
} hs__peer_key_t;

/* Makes the key of `sa`. Returns 0, or -1 for an address that is not IP. */
int hs__peer_key(const struct sockaddr *sa, hs__peer_key_t *key);

/* A table allowing `per_peer` open connections per address, sized for about
 * `max_conns` connections in all. Returns NULL when out of memory. Freed with
 * hs__peer_limit_free once no worker uses it. */
hs__peer_limit_t *hs__peer_limit_new(unsigned per_peer, unsigned max_conns);
void hs__peer_limit_free(hs__peer_limit_t *t);

/* Counts one more connection from `key`. Returns 1 when it fits (give it back
 * with hs__peer_limit_release when the connection closes), 0 when the address
 * already has `per_peer` connections (or memory ran out): nothing counted. */
int hs__peer_limit_take(hs__peer_limit_t *t, const hs__peer_key_t *key);
void hs__peer_limit_release(hs__peer_limit_t *t, const hs__peer_key_t *key);

#endif
