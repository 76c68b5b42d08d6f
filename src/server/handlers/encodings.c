/* httpbin-compatible endpoints: encodings (issue 4). Being written. */
#include "router.h"

const hs_route_t hs__routes_encodings[] = {
    HS_ROUTE_END,
};
