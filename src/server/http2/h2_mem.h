/* The allocator every nghttp2 session of the server uses (h2_mem.c). */
#ifndef HS_SERVER_HTTP2_H2_MEM_H
#define HS_SERVER_HTTP2_H2_MEM_H

#include <nghttp2/nghttp2.h>

/* Large blocks are mapped on their own, so that only the pages nghttp2
 * writes are resident; the rest comes from malloc. */
nghttp2_mem *hs__h2_mem(void);

#endif
