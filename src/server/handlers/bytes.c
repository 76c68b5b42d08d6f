/* httpbin-compatible endpoints: bytes (issue 4). Being written. */
#include "router.h"

const hs_route_t hs__routes_bytes[] = {
    HS_ROUTE_END,
};
