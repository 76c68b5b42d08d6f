/* OpenSSL's allocator in the server: malloc, with a small per-thread cache
 * of TLS record buffers (tls_alloc.c). */
#ifndef HS_SERVER_TLS_ALLOC_H
#define HS_SERVER_TLS_ALLOC_H

/* Installs the allocator; must run before OpenSSL allocates anything (the
 * start of the process). Returns 0, or -1 when it was too late (OpenSSL
 * then keeps its own, and nothing else changes). */
int hs__tls_alloc_init(void);

/* Frees the blocks the calling thread's cache holds: each thread that ran
 * TLS connections calls it before it ends. */
void hs__tls_alloc_flush(void);

#endif
