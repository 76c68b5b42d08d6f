/* What a handler asks the proxy to do (the server's proxy carries it out):
 * forward to the configured upstream, or to one of the misbehaving
 * upstreams the server runs on the loopback (/gateway/{kind}). */
#ifndef HS_GATEWAY_PLAN_H
#define HS_GATEWAY_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "base/str.h"
#include "gateway/failure.h"
#include "gateway/toxics.h"

/* The built-in upstreams: each fails in one way (or answers, HS_GW_K_OK). */
typedef enum hs_gw_kind_e {
  HS_GW_K_UPSTREAM = 0, /* the --upstream URL: a real proxy */
  HS_GW_K_OK,           /* a well-behaved loopback upstream */
  HS_GW_K_REFUSE,       /* nothing listens: connect() is refused */
  HS_GW_K_RESET,        /* accepts, reads the request, resets the connection */
  HS_GW_K_HANG,         /* accepts, reads, never answers */
  HS_GW_K_BLACKHOLE,    /* never accepts: SYNs are dropped (connect timeout) */
  HS_GW_K_SLOW_HEADERS, /* answers after `after_ms` */
  HS_GW_K_GARBAGE,      /* answers bytes that are not HTTP */
  HS_GW_K_TRUNCATE,     /* promises a length, dies in the middle of the body */
  HS_GW_K_SLOW_BODY,    /* sends the body at `rate` bytes per second */
  HS_GW_K_UNRESOLVABLE, /* a host name that cannot resolve (RFC 6761 .invalid) */
  HS_GW_K_LOOP,         /* this server itself: the request comes back (RFC 8586) */
  HS_GW_K_BAD_TLS,      /* answers the TLS ClientHello in clear: the handshake fails */
  HS_GW_K_EXPIRED_CERT, /* TLS with a certificate that expired yesterday */
  HS_GW_K_WRONG_HOST,   /* TLS with a valid certificate for another name */
  HS_GW_K_OK_TLS,       /* TLS with a valid certificate: answers */
  HS_GW_KINDS
} hs__gw_kind_t;

/* Kind by name ("slow-headers"); -1 if unknown. */
int hs__gw_kind_parse(hs__str_t name);
/* Name of a kind. */
const char *hs__gw_kind_name(hs__gw_kind_t k);
/* The built-in upstream (hs__gw_kind_t) that fails with `cause`, or -1. */
int hs__gw_cause_kind(hs__gw_cause_t cause);
/* Does the proxy speak TLS to this built-in upstream? */
int hs__gw_kind_tls(hs__gw_kind_t k);

typedef struct hs_gw_plan_s {
  hs__gw_kind_t kind;
  hs__gw_vendor_t vendor; /* whose codes failures get */
  uint64_t connect_ms;    /* connect timeout */
  uint64_t head_ms;       /* from the request sent to the whole response head */
  uint64_t idle_ms;       /* between two reads of the body */
  uint64_t after_ms;      /* slow-headers: the upstream's delay */
  uint64_t rate;          /* slow-body: bytes per second */
  hs__str_t target;       /* request-target to send upstream (copied by the proxy) */
  hs__gw_toxics_t toxics; /* on the upstream's answer (--upstream-toxics, ?toxics=) */
} hs__gw_plan_t;

#endif
