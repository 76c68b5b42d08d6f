/* httpbin-compatible endpoints: echo (issue 4). Being written. */
#include "router.h"

const hs_route_t hs__routes_echo[] = {
    HS_ROUTE_END,
};
