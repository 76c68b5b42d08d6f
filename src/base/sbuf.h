/* Private growable byte buffer for the httpbin helpers (malloc-backed).
 *
 * Unlike hs__buf_t (which aborts on exhaustion and lives in the server library),
 * this one records an allocation failure in `oom` and ignores further appends,
 * so a whole encoder can run and check for failure once at the end. The bytes
 * are always followed by a NUL (not counted in len) once anything was appended. */
#ifndef HS_BASE_SBUF_H
#define HS_BASE_SBUF_H

#include <stdlib.h>
#include <string.h>

typedef struct hs__sbuf_s {
  char *p;
  size_t len;
  size_t cap;
  int oom;
} hs__sbuf_t;

#define HS_SBUF_INIT                                                                               \
  { NULL, 0, 0, 0 }

/* Ensures room for `extra` more bytes plus a NUL; returns 0, or -1 (oom set). */
static inline int hs__sbuf_reserve(hs__sbuf_t *b, size_t extra) {
  if (b->oom)
    return -1;
  if (b->cap - b->len > extra)
    return 0;
  size_t need = b->len + extra + 1;
  if (need < b->len) { /* overflow */
    b->oom = 1;
    return -1;
  }
  size_t cap = b->cap ? b->cap : 64;
  while (cap < need) {
    if (cap > (size_t)-1 / 2) {
      cap = need;
      break;
    }
    cap *= 2;
  }
  char *np = realloc(b->p, cap);
  if (!np) {
    b->oom = 1;
    return -1;
  }
  b->p = np;
  b->cap = cap;
  return 0;
}

static inline void hs__sbuf_add(hs__sbuf_t *b, const void *s, size_t n) {
  if (hs__sbuf_reserve(b, n))
    return;
  if (n)
    memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = '\0';
}

static inline void hs__sbuf_addc(hs__sbuf_t *b, char c) { hs__sbuf_add(b, &c, 1); }

static inline void hs__sbuf_adds(hs__sbuf_t *b, const char *s) { hs__sbuf_add(b, s, strlen(s)); }

/* Hands the storage to the caller (malloc'd, NUL-terminated, never NULL unless
 * oom) and resets the buffer; on oom frees everything and returns NULL. */
static inline char *hs__sbuf_take(hs__sbuf_t *b, size_t *len) {
  char *r = NULL;
  if (!b->oom) {
    if (!b->p)
      hs__sbuf_reserve(b, 0);
    if (!b->oom) {
      b->p[b->len] = '\0';
      r = b->p;
      if (len)
        *len = b->len;
      b->p = NULL;
    }
  }
  free(b->p);
  b->p = NULL;
  b->len = b->cap = 0;
  b->oom = 0;
  return r;
}

static inline void hs__sbuf_free(hs__sbuf_t *b) {
  free(b->p);
  b->p = NULL;
  b->len = b->cap = 0;
  b->oom = 0;
}

#endif
