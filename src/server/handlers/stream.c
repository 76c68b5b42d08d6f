/* httpbin-compatible endpoints: stream (issue 4). Being written. */
#include "router.h"

const hs_route_t hs__routes_stream[] = {
    HS_ROUTE_END,
};
