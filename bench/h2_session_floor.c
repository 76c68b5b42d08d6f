/* The floor under an idle HTTP/2 connection of ours: the heap one nghttp2
 * server session keeps after answering one request, with nothing in flight,
 * counted by a counting allocator (malloc_usable_size plus glibc's 8-byte
 * chunk header per block), with the server's options (h2_session.c). Two
 * blocks are reported apart, as the server maps them and gives their pages
 * back when a connection rests (src/server/http2/h2_mem.c): the frame
 * buffer (16,394 bytes, allocated at session creation) and zeroed blocks of
 * a page or more that hold only zeros again (the stream map's table, 4 KiB
 * in nghttp2 1.52). What remains is nghttp2's own cost, which no HTTP/2
 * connection of ours can go below. bench/bench_idle.sh prints it under the
 * HTTP/2 row.
 *
 *   usage: h2_session_floor      prints "nghttp2 idle session: N B (given back at rest: F B)" */
#include <malloc.h>
#include <nghttp2/nghttp2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FRAMEBUF_SIZE (9 + 1 + 16384)

#define ZEROED_MIN 4096 /* h2_mem.c's MAP_MIN_ZEROED */
#define MAX_ZEROED 8

static long live_bytes, framebuf_bytes;
static struct {
  unsigned char *p;
  size_t n;
} zeroed[MAX_ZEROED]; /* the mapped zeroed blocks (calloc) still live */

static long charge(void *p) { return p ? (long)malloc_usable_size(p) + 8 : 0; }

static void *count_malloc(size_t n, void *ud) {
  (void)ud;
  void *p = malloc(n);
  live_bytes += charge(p);
  if (p && n == FRAMEBUF_SIZE)
    framebuf_bytes += charge(p);
  return p;
}

static void count_free(void *p, void *ud) {
  (void)ud;
  for (int i = 0; i < MAX_ZEROED; i++)
    if (p && zeroed[i].p == p)
      zeroed[i].p = NULL;
  live_bytes -= charge(p);
  free(p);
}

static void *count_calloc(size_t n, size_t size, void *ud) {
  (void)ud;
  void *p = calloc(n, size);
  live_bytes += charge(p);
  for (int i = 0; p && n * size >= ZEROED_MIN && i < MAX_ZEROED; i++)
    if (!zeroed[i].p) {
      zeroed[i].p = p, zeroed[i].n = n * size;
      break;
    }
  return p;
}

static void *count_realloc(void *p, size_t n, void *ud) {
  if (!p)
    return count_malloc(n, ud);
  live_bytes -= charge(p);
  void *q = realloc(p, n);
  live_bytes += charge(q ? q : p);
  return q;
}

/* The server's side of the exchange: answer a complete request with 200. */
static int on_frame_recv(nghttp2_session *s, const nghttp2_frame *f, void *ud) {
  (void)ud;
  if (f->hd.type == NGHTTP2_HEADERS && (f->hd.flags & NGHTTP2_FLAG_END_STREAM)) {
    nghttp2_nv nv[] = {
        {(uint8_t *)":status", (uint8_t *)"200", 7, 3, NGHTTP2_NV_FLAG_NONE},
        {(uint8_t *)"content-type", (uint8_t *)"text/plain", 12, 10, NGHTTP2_NV_FLAG_NONE}};
    nghttp2_submit_response(s, f->hd.stream_id, nv, 2, NULL);
  }
  return 0;
}

static nghttp2_nv field(const char *name, const char *value) {
  return (nghttp2_nv){(uint8_t *)name, (uint8_t *)value, strlen(name), strlen(value),
                      NGHTTP2_NV_FLAG_NONE};
}

int main(void) {
  nghttp2_mem mem = {NULL, count_malloc, count_free, count_calloc, count_realloc};
  nghttp2_session_callbacks *scb, *ccb;
  nghttp2_session *srv, *cli;
  if (nghttp2_session_callbacks_new(&scb) || nghttp2_session_callbacks_new(&ccb))
    return 1;
  nghttp2_session_callbacks_set_on_frame_recv_callback(scb, on_frame_recv);
  nghttp2_option *opt; /* the server's options (h2_session.c) */
  if (nghttp2_option_new(&opt))
    return 1;
  nghttp2_option_set_no_auto_window_update(opt, 1);
  nghttp2_option_set_no_closed_streams(opt, 1);
  if (nghttp2_session_server_new3(&srv, scb, NULL, opt, &mem) ||
      nghttp2_session_client_new(&cli, ccb, NULL))
    return 1;
  /* the same SETTINGS the server sends (h2_session.c) */
  nghttp2_settings_entry iv[] = {{NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, 100},
                                 {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, 16384},
                                 {NGHTTP2_SETTINGS_ENABLE_CONNECT_PROTOCOL, 1}};
  nghttp2_submit_settings(srv, NGHTTP2_FLAG_NONE, iv, 3);
  nghttp2_submit_settings(cli, NGHTTP2_FLAG_NONE, NULL, 0);
  nghttp2_nv req[] = {field(":method", "GET"), field(":scheme", "http"),
                      field(":path", "/status/200"), field(":authority", "127.0.0.1"),
                      field("user-agent", "h2_session_floor")};
  nghttp2_submit_request(cli, NULL, req, 5, NULL, NULL);
  for (int round = 0; round < 4; round++) { /* until both sides are quiet */
    const uint8_t *d;
    ssize_t n;
    while ((n = nghttp2_session_mem_send(cli, &d)) > 0)
      if (nghttp2_session_mem_recv(srv, d, (size_t)n) < 0)
        return 1;
    while ((n = nghttp2_session_mem_send(srv, &d)) > 0)
      if (nghttp2_session_mem_recv(cli, d, (size_t)n) < 0)
        return 1;
  }
  long given_back = framebuf_bytes; /* and the zeroed blocks' all-zero pages */
  for (int i = 0; i < MAX_ZEROED; i++) {
    if (!zeroed[i].p)
      continue;
    size_t zero = 0;
    for (size_t off = 0; off + 4096 <= zeroed[i].n; off += 4096) {
      size_t k = 0;
      while (k < 4096 && zeroed[i].p[off + k] == 0)
        k++;
      zero += k == 4096 ? 4096 : 0;
    }
    given_back += (long)zero;
  }
  printf("nghttp2 idle session: %ld B (given back at rest: %ld B)\n", live_bytes - given_back,
         given_back);
  nghttp2_session_del(srv);
  nghttp2_session_del(cli);
  nghttp2_session_callbacks_del(scb);
  nghttp2_session_callbacks_del(ccb);
  nghttp2_option_del(opt);
  return 0;
}
