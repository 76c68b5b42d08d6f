/* Every endpoint's route table, and the list the router searches in order
 * (handed to each worker's context by the server). */
#ifndef HS_HANDLERS_ROUTES_H
#define HS_HANDLERS_ROUTES_H

#include "http/router.h"

/* Route tables, one per handler file. */
extern const hs__route_t hs__routes_index[]; /* /api: the endpoint list */
extern const hs__route_t hs__routes_ref[];   /* / /codes/... /search /assets/...: the reference */
extern const hs__route_t hs__routes_status[];
extern const hs__route_t hs__routes_echo[];      /* /get /post /anything /headers ... */
extern const hs__route_t hs__routes_formats[];   /* /html /json /xml /image /base64 ... */
extern const hs__route_t hs__routes_encodings[]; /* /gzip /deflate /brotli /zstd */
extern const hs__route_t hs__routes_redirect[];  /* /redirect /redirect-to ... */
extern const hs__route_t hs__routes_cookies[];   /* /cookies ... */
extern const hs__route_t hs__routes_auth[];      /* /basic-auth /bearer /digest-auth ... */
extern const hs__route_t hs__routes_cache[];     /* /cache /etag */
extern const hs__route_t hs__routes_bytes[];     /* /bytes /range /unstable ... */
extern const hs__route_t hs__routes_stream[];    /* /delay /drip /stream /sse ... */
extern const hs__route_t hs__routes_websocket[]; /* /websocket/echo */
extern const hs__route_t hs__routes_rest[];      /* /rest /rest/{collection}/{id} */
extern const hs__route_t hs__routes_ops[];       /* /metrics /healthz /readyz */

/* The routes of a --metrics-listen address (ops only), NULL-terminated. */
extern const hs__route_t *const hs__ops_routes[];
extern const hs__route_t hs__routes_lint[];    /* /lint: findings of a pasted response */
extern const hs__route_t hs__routes_gateway[]; /* /gateway/{kind} /proxy/{path} */

/* --upstream: what no route answers is forwarded (the router's fallback). */
void hs__gateway_fallback(hs__exchange_t *x);

/* All of the above, NULL-terminated, in the order the router searches them. */
extern const hs__route_t *const hs__handler_routes[];

#endif
