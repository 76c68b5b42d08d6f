/* httpbin-compatible endpoints: auth (issue 4). Being written. */
#include "router.h"

const hs_route_t hs__routes_auth[] = {
    HS_ROUTE_END,
};
