/* The order in which the router searches the route tables. */
#include "handlers/routes.h"

#include <stddef.h>

const hs__route_t *const hs__handler_routes[] = {
    hs__routes_status,    hs__routes_index,   hs__routes_ref,
    hs__routes_echo,      hs__routes_formats, hs__routes_encodings,
    hs__routes_redirect,  hs__routes_cookies, hs__routes_auth,
    hs__routes_cache,     hs__routes_bytes,   hs__routes_stream,
    hs__routes_websocket, hs__routes_ops,     hs__routes_rest,
    hs__routes_lint,      hs__routes_gateway, NULL};
