/* Unit tests of the deadline heap (src/server/deadlines.c): the earliest key
 * is always at the top, through adds, re-keys and removals, against a plain
 * scan of every node. */
#include <stdlib.h>

#include "hs_test.h"
#include "server/deadlines.h"

#define N 300

/* The earliest key among the nodes in the heap; *any = 0 when none is. */
static uint64_t scan_min(const hs__dl_node_t *nodes, int n, int *any) {
  uint64_t m = HS_DL_NEVER;
  *any = 0;
  for (int i = 0; i < n; i++)
    if (nodes[i].pos && (!*any || nodes[i].due < m)) {
      m = nodes[i].due;
      *any = 1;
    }
  return m;
}

/* Every node's position points back at it. */
static int positions_ok(const hs__dl_heap_t *h) {
  for (uint32_t i = 0; i < h->n; i++)
    if (h->v[i]->pos != i + 1)
      return 0;
  return 1;
}

HS_TEST(random_operations) {
  static hs__dl_node_t nodes[N];
  hs__dl_heap_t h = {0};
  srand(24);
  for (int step = 0; step < 20000; step++) {
    hs__dl_node_t *x = &nodes[rand() % N];
    uint64_t due = (uint64_t)(rand() % 1000);
    if (rand() % 8 == 0)
      due = HS_DL_NEVER;
    if (!x->pos)
      CHECK_EQ_INT(hs__dl_add(&h, x, due), 0);
    else if (rand() % 3 == 0)
      hs__dl_remove(&h, x);
    else
      hs__dl_rekey(&h, x, due);
    int any;
    uint64_t m = scan_min(nodes, N, &any);
    hs__dl_node_t *top = hs__dl_min(&h);
    CHECK(any == (top != NULL), "step %d: empty heap disagrees", step);
    if (top)
      CHECK_EQ_UINT(top->due, m, "step %d", step);
    CHECK(positions_ok(&h), "step %d: a position is wrong", step);
  }
  hs__dl_free(&h);
}

HS_TEST(drains_in_order) {
  hs__dl_node_t nodes[100];
  hs__dl_heap_t h = {0};
  for (int i = 0; i < 100; i++) {
    nodes[i].pos = 0;
    CHECK_EQ_INT(hs__dl_add(&h, &nodes[i], (uint64_t)((i * 37) % 100)), 0);
  }
  for (uint64_t want = 0; want < 100; want++) {
    hs__dl_node_t *top = hs__dl_min(&h);
    CHECK_EQ_UINT(top->due, want);
    hs__dl_remove(&h, top);
    CHECK_EQ_UINT(top->pos, 0);
  }
  CHECK(hs__dl_min(&h) == NULL, "heap should be empty");
  hs__dl_remove(&h, &nodes[0]); /* not in the heap: nothing happens */
  CHECK_EQ_UINT(h.n, 0);
  hs__dl_free(&h);
}

static const hs_test_case_t cases[] = {HS_CASE(random_operations), HS_CASE(drains_in_order)};
int main(int argc, char **argv) { return hs_test_main(argc, argv, cases, HS_COUNT(cases)); }
