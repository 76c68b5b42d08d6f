/* OpenSSL's allocator in the server (tls_alloc.h). Connections give their
 * record buffers back after each use (SSL_MODE_RELEASE_BUFFERS, tls.c), so
 * an idle connection holds none; a busy one takes two again (~17 KiB each)
 * on every request, and malloc and free of blocks that size cost ~2% of an
 * HTTPS request. A few such blocks kept per thread make that a pop and a
 * push, and they stay warm in the cache; the cache is bounded (SPARE_SLOTS
 * blocks a thread), so idle memory does not grow with the connections.
 * Every other allocation goes to malloc, realloc and free unchanged. */
#include "server/tls_alloc.h"

#include <malloc.h>
#include <openssl/crypto.h>
#include <stdlib.h>

/* The record buffers: 16 KiB of plaintext plus header, MAC/tag, padding
 * and alignment (SSL3_RT_MAX_PACKET_SIZE and the write overhead in
 * OpenSSL's record layer). Requests in [RECORD_MIN, RECORD_MAX] get a block
 * of RECORD_MAX bytes, recorded as lent until it comes back. */
#define RECORD_MIN 16384
#define RECORD_MAX (18 * 1024)
#define SPARE_SLOTS 8 /* record blocks kept for the next request */
#define LENT_SLOTS 8  /* record blocks OpenSSL holds that we know of */

static _Thread_local struct {
  void *spare[SPARE_SLOTS];
  int nspare;
  void *lent[LENT_SLOTS]; /* NULL: a free entry */
} cache;

/* The lent entry of p, or NULL: p is not a record block of this thread. */
static void **lent_entry(const void *p) {
  for (int i = 0; i < LENT_SLOTS; i++)
    if (cache.lent[i] == p)
      return &cache.lent[i];
  return NULL;
}

static void *tls_malloc(size_t size, const char *file, int line) {
  (void)file, (void)line;
  if (size < RECORD_MIN || size > RECORD_MAX)
    return malloc(size);
  void *p = cache.nspare ? cache.spare[--cache.nspare] : malloc(RECORD_MAX);
  void **e = p ? lent_entry(NULL) : NULL;
  if (e) /* else untracked: it goes back to free() as any block */
    *e = p;
  return p;
}

static void *tls_realloc(void *p, size_t size, const char *file, int line) {
  (void)file, (void)line;
  void **e = p ? lent_entry(p) : NULL;
  void *np = realloc(p, size);
  if (e && np) /* a record block no longer */
    *e = NULL;
  return np;
}

/* A record block back from OpenSSL becomes a spare (its size checked once
 * more: a block freed on another thread would leave a stale entry here). */
static void tls_free(void *p, const char *file, int line) {
  (void)file, (void)line;
  void **e = p ? lent_entry(p) : NULL;
  if (e) {
    *e = NULL;
    if (cache.nspare < SPARE_SLOTS && malloc_usable_size(p) >= RECORD_MAX) {
      cache.spare[cache.nspare++] = p;
      return;
    }
  }
  free(p);
}

int hs__tls_alloc_init(void) {
  return CRYPTO_set_mem_functions(tls_malloc, tls_realloc, tls_free) ? 0 : -1;
}

void hs__tls_alloc_flush(void) {
  while (cache.nspare)
    free(cache.spare[--cache.nspare]);
}
