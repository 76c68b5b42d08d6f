/* Why an upstream exchange failed, and what each kind of gateway answers for
 * it: nginx (src/http/ngx_http_upstream.c: every timeout → 504, the rest →
 * 502), Cloudflare (its 52x codes) and Envoy (503 for connect failures and
 * resets, 504 for timeouts). The mappings are data tables (failure.c), so
 * that a new gateway is one more column. No I/O here. */
#ifndef HS_GATEWAY_FAILURE_H
#define HS_GATEWAY_FAILURE_H

#include <stddef.h>

/* What went wrong, in the order an exchange meets it. HS_GW_OK: nothing. */
typedef enum hs_gw_cause_e {
  HS_GW_OK = 0,
  HS_GW_UNRESOLVED,      /* the upstream's host name did not resolve */
  HS_GW_UNREACHABLE,     /* no route to the upstream (ENETUNREACH, EHOSTUNREACH) */
  HS_GW_REFUSED,         /* connect() refused (RST to our SYN) */
  HS_GW_CONNECT_TIMEOUT, /* no SYN+ACK in time */
  HS_GW_TLS_HANDSHAKE,   /* the TLS handshake with the upstream failed */
  HS_GW_TLS_CERT,        /* the upstream's certificate did not verify */
  HS_GW_RESET,           /* the connection was reset before a response head */
  HS_GW_EMPTY,           /* the upstream closed without a response head */
  HS_GW_HEAD_TIMEOUT,    /* connected, no complete response head in time */
  HS_GW_MALFORMED,       /* the response head is not HTTP/1.x */
  HS_GW_HEAD_TOO_BIG,    /* the response head exceeds our buffer */
  HS_GW_BODY_CLOSED,     /* the upstream closed (or reset) in the middle of the body */
  HS_GW_BODY_TIMEOUT,    /* the body stalled longer than the idle timeout */
  HS_GW_BODY_MALFORMED,  /* bad chunked framing in the body */
  HS_GW_LOOP,            /* the request came back through this server (RFC 8586) */
  HS_GW_CAUSES
} hs__gw_cause_t;

/* The gateways whose answers we reproduce. */
typedef enum hs_gw_vendor_e {
  HS_GW_NGINX = 0,
  HS_GW_CLOUDFLARE,
  HS_GW_ENVOY,
  HS_GW_VENDORS
} hs__gw_vendor_t;

/* Status `vendor` answers for `cause` (0 for HS_GW_OK). Failures after the
 * head (BODY_*) have no status of their own: the head was already sent, the
 * connection is cut; the value is what the vendor logs. */
int hs__gw_status(hs__gw_vendor_t vendor, hs__gw_cause_t cause);

/* Short name of a cause for logs and headers ("refused", "connect-timeout"). */
const char *hs__gw_cause_name(hs__gw_cause_t cause);

/* One sentence about the cause, English (zh = 0) or Chinese (zh = 1). */
const char *hs__gw_cause_text(hs__gw_cause_t cause, int zh);

/* nginx's error-log message for the cause (what `error_log` shows), e.g.
 * "connect() failed (111: Connection refused) while connecting to upstream". */
const char *hs__gw_cause_nginx_log(hs__gw_cause_t cause);

/* Vendor by name ("nginx", "cloudflare", "envoy"); -1 if unknown. */
int hs__gw_vendor_parse(const char *s, size_t n);

/* Lower-case vendor name. */
const char *hs__gw_vendor_name(hs__gw_vendor_t v);

/* Is the cause a timeout (nginx: 504)? */
int hs__gw_cause_is_timeout(hs__gw_cause_t cause);

#endif
