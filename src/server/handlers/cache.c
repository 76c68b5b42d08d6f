/* httpbin-compatible endpoints: cache (issue 4). Being written. */
#include "router.h"

const hs_route_t hs__routes_cache[] = {
    HS_ROUTE_END,
};
