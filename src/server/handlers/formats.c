/* httpbin-compatible endpoints: formats (issue 4). Being written. */
#include "router.h"

const hs_route_t hs__routes_formats[] = {
    HS_ROUTE_END,
};
