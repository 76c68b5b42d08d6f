/* The allocator nghttp2 sessions use (nghttp2_mem): ordinary malloc, except
 * for large blocks, which are mapped on their own. nghttp2 allocates a 16 KiB
 * frame buffer per session at creation although most frames an idle or
 * one-stream connection sends are far smaller; mapped, only the pages it
 * actually writes become resident, so an idle HTTP/2 connection costs a few
 * KiB instead of 16 (issue 24). Each block carries its size in a 16-byte
 * header, which free and realloc read to tell the two kinds apart. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "server/http2/h2_mem.h"

#define MAP_MIN 8192 /* blocks from this size up are mapped */
#define HDR 16       /* keeps the 16-byte alignment malloc gives */

typedef struct {
  size_t size;   /* what the caller asked for */
  size_t mapped; /* the length of the mapping, 0 when from malloc */
} blk_t;

static void *mem_malloc(size_t size, void *ud) {
  (void)ud;
  if (size > SIZE_MAX - HDR)
    return NULL;
  blk_t *b;
  size_t total = size + HDR;
  if (size >= MAP_MIN) {
    void *p = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
      return NULL;
    b = p;
    b->mapped = total;
  } else {
    b = malloc(total);
    if (!b)
      return NULL;
    b->mapped = 0;
  }
  b->size = size;
  return (char *)b + HDR;
}

static void mem_free(void *ptr, void *ud) {
  (void)ud;
  if (!ptr)
    return;
  blk_t *b = (blk_t *)((char *)ptr - HDR);
  if (b->mapped)
    munmap(b, b->mapped);
  else
    free(b);
}

static void *mem_calloc(size_t n, size_t size, void *ud) {
  if (size && n > SIZE_MAX / size)
    return NULL;
  void *p = mem_malloc(n * size, ud);
  blk_t *b = p ? (blk_t *)((char *)p - HDR) : NULL;
  if (b && !b->mapped) /* a fresh mapping is zeroed already */
    memset(p, 0, n * size);
  return p;
}

static void *mem_realloc(void *ptr, size_t size, void *ud) {
  if (!ptr)
    return mem_malloc(size, ud);
  blk_t *b = (blk_t *)((char *)ptr - HDR);
  if (!b->mapped && size < MAP_MIN) {
    blk_t *nb = realloc(b, size + HDR);
    if (!nb)
      return NULL;
    nb->size = size;
    return (char *)nb + HDR;
  }
  void *np = mem_malloc(size, ud);
  if (!np)
    return NULL;
  memcpy(np, ptr, b->size < size ? b->size : size);
  mem_free(ptr, ud);
  return np;
}

static nghttp2_mem mem = {NULL, mem_malloc, mem_free, mem_calloc, mem_realloc};

nghttp2_mem *hs__h2_mem(void) { return &mem; }
