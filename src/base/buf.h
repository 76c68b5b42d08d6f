/* Byte buffers and fixed-size block pools (one pool set per worker, no locking).
 *
 * Every buffer has an owner-imposed maximum (the limits in config.h); the buffer
 * itself only grows on request. Pooled blocks let idle connections hold no buffer
 * at all while busy ones reuse memory without a malloc per request. */
#ifndef HS_BASE_BUF_H
#define HS_BASE_BUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A freelist of equally sized blocks. */
typedef struct hs_pool_s {
  void *free;      /* singly linked through the first word of each block */
  size_t nfree;    /* blocks on the freelist */
  size_t max_free; /* keep at most this many; more go back to malloc */
  size_t block_size;
} hs__pool_t;

void hs__pool_init(hs__pool_t *p, size_t block_size, size_t max_free);
void *hs__pool_get(hs__pool_t *p);
void hs__pool_put(hs__pool_t *p, void *block);
void hs__pool_destroy(hs__pool_t *p);

/* A growable byte buffer. `pool` is where fresh storage comes from; storage of
 * exactly pool->block_size bytes is returned to it, larger storage is malloc'd. */
typedef struct hs_buf_s {
  char *base;
  size_t len;
  size_t cap;
  hs__pool_t *pool;
} hs__buf_t;

static inline void hs__buf_init(hs__buf_t *b, hs__pool_t *pool) {
  b->base = NULL;
  b->len = b->cap = 0;
  b->pool = pool;
}

/* Makes room for `extra` more bytes and returns where they go (base + len).
 * Never fails: aborts the process if memory is exhausted. */
char *hs__buf_grow(hs__buf_t *b, size_t extra);

static inline char *hs__buf_reserve(hs__buf_t *b, size_t extra) {
  if (b->cap - b->len >= extra && b->base)
    return b->base + b->len;
  return hs__buf_grow(b, extra);
}

static inline void hs__buf_append(hs__buf_t *b, const void *p, size_t n) {
  char *d = hs__buf_reserve(b, n);
  if (n)
    memcpy(d, p, n);
  b->len += n;
}

/* `s` must be a string literal (the "" s "" makes anything else fail to compile) */
#define hs__buf_lit(b, s) hs__buf_append((b), "" s "", sizeof(s) - 1)

static inline void hs__buf_str(hs__buf_t *b, const char *s) { hs__buf_append(b, s, strlen(s)); }

/* Appends the decimal form of v. */
void hs__buf_u64(hs__buf_t *b, uint64_t v);

/* Appends printf-formatted text (cold paths only). */
void hs__buf_printf(hs__buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Gives the storage back (to the pool if it came from there); the buffer is empty. */
void hs__buf_release(hs__buf_t *b);

/* Moves the storage of `src` into `dst` (which must be empty); src becomes empty. */
static inline void hs__buf_move(hs__buf_t *dst, hs__buf_t *src) {
  *dst = *src;
  src->base = NULL;
  src->len = src->cap = 0;
}

/* Writes the decimal form of v at p (room for 20 digits); returns the length. */
size_t hs__u64toa(char *p, uint64_t v);

#endif
