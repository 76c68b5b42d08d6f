/* The gateway's serve options (issue 19); options.c calls these. */
#ifndef HS_SERVER_GW_OPTIONS_H
#define HS_SERVER_GW_OPTIONS_H

#include <stdio.h>

#include "http/config.h"

/* The gateway's defaults (nginx's codes, nginx's 60 s timeouts). */
void hs__gw_config_defaults(hs__config_t *c);

/* Option `name` with `val`: 0 taken, 1 bad value (what is wrong with it
 * may be said on err first), -1 not a gateway option. */
int hs__gw_option(hs__config_t *c, const char *name, const char *val, FILE *err);

#define HS_GW_USAGE                                                                                \
  "\n"                                                                                             \
  "Gateway (/gateway/{kind} and /proxy/{path}; docs/server.md):\n"                                 \
  "  --upstream URL          forward /proxy/{path}, and paths no route answers, to\n"              \
  "                          URL (http:// or https://host:port)\n"                                 \
  "  --tls-client-ca FILE    ask TLS clients for a certificate signed by these CAs;\n"             \
  "                          /client-cert?verify=on|optional answers as nginx does\n"              \
  "                          (400 logged 496 or 495, or 200 with the subject)\n"                   \
  "  --upstream-ca FILE      CA certificates for an https upstream (default: the\n"                \
  "                          system's)\n"                                                          \
  "  --gateway-codes NAME    whose codes upstream failures get: nginx (default),\n"                \
  "                          cloudflare or envoy (?as= per request)\n"                             \
  "  --upstream-connect-timeout DUR  connect() to the upstream (default 60s)\n"                    \
  "  --upstream-timeout DUR  request sent → response head (default 60s)\n"                       \
  "  --upstream-idle-timeout DUR     between reads of the body (default 60s)\n"                    \
  "  --upstream-toxics SPEC  toxics on every upstream's answer, e.g.\n"                            \
  "                          latency:200ms,jitter:50ms,bandwidth:10 (KB/s); also\n"                \
  "                          slicer, slicer_variation, slicer_delay, limit_data,\n"                \
  "                          reset_peer, reset_timeout (?toxics= adds per request)\n"

#endif
