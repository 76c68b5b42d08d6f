/* Handing a connection from one protocol to the next (proto.h's handover):
 * shared by conn.c (cleartext) and tls.c (HTTP/1.1 over TLS). */
#ifndef HS_SERVER_SWITCH_H
#define HS_SERVER_SWITCH_H

#include "http/ctx.h"
#include "server/proto.h"

/* After HS_PROTO_SWITCH from (*ops, *p): creates the HTTP/2 connection the
 * handover asks for (requests of `scheme`, from `peer`), gives it the request
 * and bytes it takes over, frees the old protocol and replaces *ops and *p.
 * Returns the new protocol's flags (HS_PROTO_CLOSE if it could not start). */
unsigned hs__proto_switch(hs__ctx_t *ctx, const char *peer, hs__str_t scheme,
                          const hs__proto_ops_t **ops, void **p);

#endif
