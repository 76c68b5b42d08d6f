/* Byte buffers and block pools. */
#include "base/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static void *xmalloc(size_t n) {
  void *p = malloc(n);
  if (!p) {
    fputs("httpstatus serve: out of memory\n", stderr);
    abort();
  }
  return p;
}

void hs__pool_init(hs__pool_t *p, size_t block_size, size_t max_free) {
  p->free = NULL;
  p->nfree = 0;
  p->max_free = max_free;
  p->block_size = block_size < sizeof(void *) ? sizeof(void *) : block_size;
}

void *hs__pool_get(hs__pool_t *p) {
  void *b = p->free;
  if (b) {
    p->free = *(void **)b;
    p->nfree--;
    return b;
  }
  return xmalloc(p->block_size);
}

void hs__pool_put(hs__pool_t *p, void *block) {
  if (p->nfree >= p->max_free) {
    free(block);
    return;
  }
  *(void **)block = p->free;
  p->free = block;
  p->nfree++;
}

void hs__pool_destroy(hs__pool_t *p) {
  while (p->free) {
    void *b = p->free;
    p->free = *(void **)b;
    free(b);
  }
  p->nfree = 0;
}

/* Slow path of hs__buf_reserve: first storage from the pool, then doubling. */
char *hs__buf_grow(hs__buf_t *b, size_t extra) {
  size_t need = b->len + extra;
  if (!b->base) {
    if (b->pool && need <= b->pool->block_size) {
      b->base = hs__pool_get(b->pool);
      b->cap = b->pool->block_size;
    } else {
      size_t cap = need < 256 ? 256 : need;
      b->base = xmalloc(cap);
      b->cap = cap;
    }
    return b->base + b->len;
  }
  if (b->cap - b->len >= extra)
    return b->base + b->len;
  size_t cap = b->cap * 2;
  if (cap < need)
    cap = need;
  char *nb = xmalloc(cap);
  memcpy(nb, b->base, b->len);
  if (b->pool && b->cap == b->pool->block_size)
    hs__pool_put(b->pool, b->base);
  else
    free(b->base);
  b->base = nb;
  b->cap = cap;
  return b->base + b->len;
}

void hs__buf_release(hs__buf_t *b) {
  if (b->base) {
    if (b->pool && b->cap == b->pool->block_size)
      hs__pool_put(b->pool, b->base);
    else
      free(b->base);
  }
  b->base = NULL;
  b->len = b->cap = 0;
}

size_t hs__u64toa(char *p, uint64_t v) {
  char tmp[20];
  size_t n = 0;
  do {
    tmp[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  for (size_t i = 0; i < n; i++)
    p[i] = tmp[n - 1 - i];
  return n;
}

void hs__buf_u64(hs__buf_t *b, uint64_t v) {
  char *p = hs__buf_reserve(b, 20);
  b->len += hs__u64toa(p, v);
}

void hs__buf_printf(hs__buf_t *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *p = hs__buf_reserve(b, 256);
  int n = vsnprintf(p, 256, fmt, ap);
  va_end(ap);
  if (n < 0)
    return;
  if ((size_t)n >= 256) {
    p = hs__buf_reserve(b, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
  }
  b->len += (size_t)n;
}
