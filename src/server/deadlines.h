/* Many deadlines under one timer: a binary min-heap of nodes keyed by a time
 * (ms on the loop clock). A worker keeps every connection's deadline here and
 * arms a single uv_timer for the earliest (conn.c), so an idle connection
 * carries a 16-byte node instead of a libuv timer handle. No I/O. */
#ifndef HS_SERVER_DEADLINES_H
#define HS_SERVER_DEADLINES_H

#include <stdint.h>

#define HS_DL_NEVER UINT64_MAX /* a node in the heap that is not due */

/* Embedded in what has a deadline. */
typedef struct hs_dl_node_s {
  uint64_t due; /* the key */
  uint32_t pos; /* index in the heap + 1; 0: not in the heap */
} hs__dl_node_t;

typedef struct hs_dl_heap_s {
  hs__dl_node_t **v;
  uint32_t n, cap;
} hs__dl_heap_t;

/* Adds `x` (not in the heap yet) with key `due`. Returns 0, or -1 when the
 * heap could not grow (x is then not in it). */
int hs__dl_add(hs__dl_heap_t *h, hs__dl_node_t *x, uint64_t due);

/* Changes the key of `x` (in the heap) to `due`; never allocates. */
void hs__dl_rekey(hs__dl_heap_t *h, hs__dl_node_t *x, uint64_t due);

/* Takes `x` out of the heap (nothing if it is not in it). */
void hs__dl_remove(hs__dl_heap_t *h, hs__dl_node_t *x);

/* The node with the earliest key, or NULL when the heap is empty. */
static inline hs__dl_node_t *hs__dl_min(const hs__dl_heap_t *h) { return h->n ? h->v[0] : 0; }

/* Frees the heap's array (the nodes belong to their owners). */
void hs__dl_free(hs__dl_heap_t *h);

#endif
