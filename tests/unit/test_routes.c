/* routes: each route's methods are written once (a bit set); the Allow value
 * of 405 and OPTIONS answers is derived from it (http/router.c). */
#include <string.h>

#include "handlers/routes.h"
#include "hs_test.h"

HS_TEST(allow_from_methods) {
  static const struct {
    uint32_t methods;
    const char *allow;
  } T[] = {
      {HS_M_GET_HEAD, "GET, HEAD, OPTIONS"},
      {HS_MBIT(HS_M_GET), "GET, OPTIONS"},
      {HS_MBIT(HS_M_PATCH), "PATCH, OPTIONS"},
      {HS_MBIT(HS_M_POST) | HS_MBIT(HS_M_PUT) | HS_MBIT(HS_M_PATCH), "POST, PUT, PATCH, OPTIONS"},
      {HS_M_ANY, "GET, HEAD, POST, PUT, DELETE, PATCH, TRACE, OPTIONS"},
      {HS_M_ALL_BITS, HS_ALLOW_ALL},
  };
  for (size_t i = 0; i < HS_COUNT(T); i++) {
    char buf[HS_ALLOW_MAX];
    CHECK_EQ_STR(hs__route_allow(T[i].methods, buf, sizeof buf), T[i].allow, "methods %#x",
                 T[i].methods);
  }
  char small[8];
  hs__route_allow(HS_M_ANY, small, sizeof small);
  CHECK(strlen(small) < sizeof small, "a short buffer is never overrun");
}

/* Every route of the table: some methods, CONNECT only on /websocket/ (RFC
 * 8441's extended CONNECT; admission answers any other CONNECT 501), never in
 * Allow, usage and doc together (listed on /api) or neither. */
HS_TEST(table) {
  size_t n = 0;
  for (const hs__route_t *const *t = hs__handler_routes; *t; t++)
    for (const hs__route_t *r = *t; r->path; r++, n++) {
      CHECK(r->methods != 0, "%s has methods", r->path);
      CHECK(!(r->methods & HS_MBIT(HS_M_CONNECT)) || strncmp(r->path, "/websocket/", 11) == 0,
            "%s: CONNECT is admission's", r->path);
      CHECK(!r->usage == !r->doc, "%s: usage and doc together", r->path);
      CHECK(r->plen == strlen(r->path), "%s: plen", r->path);
      char buf[HS_ALLOW_MAX];
      hs__route_allow(r->methods, buf, sizeof buf);
      CHECK(strstr(buf, "OPTIONS") != NULL, "%s: Allow lists OPTIONS", r->path);
      CHECK(strstr(buf, "CONNECT") == NULL, "%s: Allow never lists CONNECT", r->path);
    }
  CHECK(n > 50, "%zu routes", n);
}

static const hs_test_case_t cases[] = {
    HS_CASE(allow_from_methods),
    HS_CASE(table),
};

int main(int argc, char **argv) { return hs_test_main(argc, argv, cases, HS_COUNT(cases)); }
