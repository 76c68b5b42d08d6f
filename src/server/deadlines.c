/* The deadline heap (deadlines.h): an array of node pointers in heap order,
 * each node knowing its position so that re-keying and removal are
 * O(log n) without a search. */
#include "server/deadlines.h"

#include <stdlib.h>

static void place(hs__dl_heap_t *h, uint32_t i, hs__dl_node_t *x) {
  h->v[i] = x;
  x->pos = i + 1;
}

/* Moves the node at index i towards the root while it is earlier than its
 * parent. */
static void sift_up(hs__dl_heap_t *h, uint32_t i) {
  hs__dl_node_t *x = h->v[i];
  while (i > 0) {
    uint32_t parent = (i - 1) / 2;
    if (h->v[parent]->due <= x->due)
      break;
    place(h, i, h->v[parent]);
    i = parent;
  }
  place(h, i, x);
}

/* Moves the node at index i towards the leaves while a child is earlier. */
static void sift_down(hs__dl_heap_t *h, uint32_t i) {
  hs__dl_node_t *x = h->v[i];
  for (;;) {
    uint32_t child = 2 * i + 1;
    if (child >= h->n)
      break;
    if (child + 1 < h->n && h->v[child + 1]->due < h->v[child]->due)
      child++;
    if (x->due <= h->v[child]->due)
      break;
    place(h, i, h->v[child]);
    i = child;
  }
  place(h, i, x);
}

int hs__dl_add(hs__dl_heap_t *h, hs__dl_node_t *x, uint64_t due) {
  if (h->n == h->cap) {
    uint32_t cap = h->cap ? h->cap * 2 : 64;
    if (cap <= h->cap)
      return -1;
    hs__dl_node_t **v = realloc(h->v, (size_t)cap * sizeof(*v));
    if (!v)
      return -1;
    h->v = v;
    h->cap = cap;
  }
  x->due = due;
  h->v[h->n] = x;
  sift_up(h, h->n++);
  return 0;
}

void hs__dl_rekey(hs__dl_heap_t *h, hs__dl_node_t *x, uint64_t due) {
  uint64_t old = x->due;
  x->due = due;
  if (due < old)
    sift_up(h, x->pos - 1);
  else if (due > old)
    sift_down(h, x->pos - 1);
}

void hs__dl_remove(hs__dl_heap_t *h, hs__dl_node_t *x) {
  if (!x->pos)
    return;
  uint32_t i = x->pos - 1;
  x->pos = 0;
  hs__dl_node_t *last = h->v[--h->n];
  if (i == h->n)
    return;
  uint64_t old = h->v[i]->due;
  place(h, i, last);
  if (last->due < old)
    sift_up(h, i);
  else
    sift_down(h, i);
}

void hs__dl_free(hs__dl_heap_t *h) {
  free(h->v);
  h->v = NULL;
  h->n = h->cap = 0;
}
