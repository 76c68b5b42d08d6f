/* The gateway's exchange producer (issue 19): carries out a handler's plan
 * (gateway/plan.h) over upstream.c's connections, reading the answer with
 * gateway/resp_parse.h and relaying it, or answering each failure with the
 * code the chosen gateway (nginx, Cloudflare, Envoy) gives. It is a producer
 * like /drip's, woken by upstream I/O through hs__conn_kick, so it works
 * behind HTTP/1.1, HTTP/2 and TLS alike. */
#ifndef HS_SERVER_PROXY_H
#define HS_SERVER_PROXY_H

#include "gateway/plan.h"
#include "http/exchange.h"

/* ctx->proxy_start: returns 0 when it took x (answered it or suspended it),
 * -1 when out of memory (x untouched). */
int hs__proxy_start(hs__exchange_t *x, const hs__gw_plan_t *plan);

#endif
