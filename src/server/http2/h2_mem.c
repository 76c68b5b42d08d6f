/* The allocator of one nghttp2 session (h2_mem.h): ordinary malloc, except
 * for large blocks, which are mapped on their own and recorded in the
 * session's table. nghttp2 allocates a 16 KiB frame buffer per session at
 * creation although most frames an idle or one-stream connection sends are
 * far smaller; mapped, only the pages it actually writes become resident,
 * and hs__h2_mem_trim gives those back when the connection rests (issue 24).
 * Zeroed blocks of a page or more are recorded too, on whole pages of the
 * heap: the table of nghttp2's stream map (4 KiB, allocated with the
 * session) is all zeros again once the connection has no stream, and a page
 * of zeros can be given back as it is. A block is told recorded or not by
 * looking it up in the table, so blocks from malloc carry no header. */
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "server/http2/h2_mem.h"

#define MAP_MIN 8192        /* blocks from this size up are mapped (while the table has room), */
#define MAP_MIN_ZEROED 4096 /* and zeroed ones (calloc) from this size up, on the heap */
#define PAGE 4096           /* mmap's unit here (x86-64, arm64 with 4 KiB pages) */
/* nghttp2's frame buffer: frame header, padding length byte, largest
 * payload (NGHTTP2_FRAMEBUF_CHUNKLEN in nghttp2's source). Between frames
 * it holds nothing that is read again. */
#define FRAMEBUF_SIZE (9 + 1 + 16384)

/* The table entry of ptr, or NULL when ptr came from malloc. */
static hs__h2_map_t *find_map(hs__h2_mem_t *m, const void *ptr) {
  for (int i = 0; i < HS_H2_MAPS; i++)
    if (m->map[i].addr == ptr)
      return &m->map[i];
  return NULL;
}

/* A block of `size` bytes, mapped when at least MAP_MIN (and a table entry
 * is free), else from malloc. */
static void *mem_malloc(size_t size, void *ud) {
  hs__h2_mem_t *m = ud;
  hs__h2_map_t *slot = size >= MAP_MIN ? find_map(m, NULL) : NULL;
  if (!slot) /* small, or the table is full: malloc */
    return malloc(size);
  void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    return NULL;
  slot->addr = p;
  slot->size = size;
  slot->heap = 0;
  return p;
}

/* A zeroed block of at least MAP_MIN_ZEROED bytes on whole pages of the heap
 * (aligned_alloc: no system call, unlike a mapping of its own), recorded in
 * the table so that its pages of zeros can be given back; else calloc. */
static void *zeroed_block(hs__h2_mem_t *m, size_t size) {
  hs__h2_map_t *slot = find_map(m, NULL);
  if (!slot)
    return calloc(1, size);
  size_t whole = (size + PAGE - 1) / PAGE * PAGE;
  void *p = aligned_alloc(PAGE, whole);
  if (!p)
    return NULL;
  memset(p, 0, whole);
  slot->addr = p;
  slot->size = whole;
  slot->heap = 1;
  return p;
}

static void mem_free(void *ptr, void *ud) {
  if (!ptr)
    return;
  hs__h2_map_t *slot = find_map(ud, ptr);
  if (!slot || slot->heap) {
    if (slot)
      slot->addr = NULL;
    free(ptr);
    return;
  }
  munmap(slot->addr, slot->size);
  slot->addr = NULL;
}

static void *mem_calloc(size_t n, size_t size, void *ud) {
  if (size && n > SIZE_MAX / size)
    return NULL;
  if (n * size < MAP_MIN_ZEROED)
    return calloc(n, size);
  return zeroed_block(ud, n * size);
}

static void *mem_realloc(void *ptr, size_t size, void *ud) {
  if (!ptr)
    return mem_malloc(size, ud);
  hs__h2_map_t *slot = find_map(ud, ptr);
  if (!slot && size < MAP_MIN)
    return realloc(ptr, size);
  size_t old = slot ? slot->size : malloc_usable_size(ptr);
  void *np = mem_malloc(size, ud);
  if (!np)
    return NULL;
  memcpy(np, ptr, old < size ? old : size);
  mem_free(ptr, ud);
  return np;
}

void hs__h2_mem_init(hs__h2_mem_t *m) {
  memset(m, 0, sizeof *m);
  m->mem = (nghttp2_mem){m, mem_malloc, mem_free, mem_calloc, mem_realloc};
}

/* Whether the page at p reads as zeros only. */
static int zero_page(const unsigned char *p) {
  const uint64_t *w = (const uint64_t *)(const void *)p;
  uint64_t any = 0;
  for (size_t i = 0; i < PAGE / sizeof(*w); i++)
    any |= w[i];
  return any == 0;
}

size_t hs__h2_mem_trim(hs__h2_mem_t *m) {
  size_t n = 0;
  for (int i = 0; i < HS_H2_MAPS; i++) {
    unsigned char *a = m->map[i].addr;
    if (!a)
      continue;
    if (m->map[i].size == FRAMEBUF_SIZE) {
      n += madvise(a, m->map[i].size, MADV_DONTNEED) == 0;
      continue;
    }
    for (size_t off = 0; off + PAGE <= m->map[i].size; off += PAGE)
      if (zero_page(a + off))
        n += madvise(a + off, PAGE, MADV_DONTNEED) == 0;
  }
  return n;
}
