/* httpbin-compatible endpoints: cookies (issue 4). Being written. */
#include "router.h"

const hs_route_t hs__routes_cookies[] = {
    HS_ROUTE_END,
};
