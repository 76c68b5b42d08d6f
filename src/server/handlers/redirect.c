/* httpbin-compatible endpoints: redirect (issue 4). Being written. */
#include "router.h"

const hs_route_t hs__routes_redirect[] = {
    HS_ROUTE_END,
};
