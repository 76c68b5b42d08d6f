/* The allocator of an nghttp2 session of the server (h2_mem.c). */
#ifndef HS_SERVER_HTTP2_H2_MEM_H
#define HS_SERVER_HTTP2_H2_MEM_H

#include <nghttp2/nghttp2.h>
#include <stddef.h>

#define HS_H2_MAPS 4 /* large or zeroed blocks a session records at once (more: malloc) */

typedef struct {
  void *addr;       /* NULL: a free entry */
  size_t size : 63; /* bytes (a zeroed block: whole pages) */
  size_t heap : 1;  /* 1: from aligned_alloc (free), 0: a mapping (munmap) */
} hs__h2_map_t;

/* One per session, living as long as the session (nghttp2_session_del
 * frees through it). Large blocks are mapped on their own, so that only the
 * pages nghttp2 writes are resident, and zeroed ones of a page or more sit on
 * whole heap pages; both are recorded in map[]. The rest comes from malloc. */
typedef struct hs_h2_mem_s {
  nghttp2_mem mem; /* what nghttp2_session_server_new3 is given */
  hs__h2_map_t map[HS_H2_MAPS];
} hs__h2_mem_t;

void hs__h2_mem_init(hs__h2_mem_t *m);

/* Gives the resident pages of nghttp2's frame buffer back to the system
 * (they read as zeros when touched again), and every page of another block
 * in the table (the zeroed ones on heap pages) that holds only zeros. Only while nghttp2 has
 * nothing to send (nghttp2_session_want_write() == 0): the frame buffer then holds no frame.
 * Returns the blocks and pages given back. */
size_t hs__h2_mem_trim(hs__h2_mem_t *m);

#endif
