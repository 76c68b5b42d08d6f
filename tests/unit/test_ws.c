/* WebSocket echo session (src/ws): handshake key, echo, fragmentation, control
 * frames and every way a session ends (RFC 6455). */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "hs_test.h"
#include "ws/ws.h"

/* A masked client frame (RFC 6455 §5.2) into buf; returns its length. */
static size_t client_frame(unsigned char *buf, int fin, int opcode, const void *payload, size_t n) {
  static const unsigned char mask[4] = {0x37, 0xfa, 0x21, 0x3d};
  size_t h = 0;
  buf[h++] = (unsigned char)((fin ? 0x80 : 0) | opcode);
  if (n < 126) {
    buf[h++] = (unsigned char)(0x80 | n);
  } else {
    buf[h++] = 0x80 | 126;
    buf[h++] = (unsigned char)(n >> 8);
    buf[h++] = (unsigned char)n;
  }
  memcpy(buf + h, mask, 4);
  h += 4;
  for (size_t i = 0; i < n; i++)
    buf[h + i] = ((const unsigned char *)payload)[i] ^ mask[i % 4];
  return h + n;
}

static hs__pool_t pool;

static unsigned feed(hs_ws_t *ws, const unsigned char *in, size_t n, hs_buf_t *out) {
  return hs__ws_feed(ws, (const char *)in, n, out);
}

/* Close code carried by a server Close frame at out[off], or -1. */
static int close_code(const hs_buf_t *out, size_t off) {
  const unsigned char *p = (const unsigned char *)out->base + off;
  if (out->len < off + 4 || p[0] != 0x88)
    return -1;
  return p[2] << 8 | p[3];
}

/* RFC 6455 §1.3 example */
HS_TEST(accept_key) {
  char acc[29];
  CHECK(hs__ws_accept_key("dGhlIHNhbXBsZSBub25jZQ==", 24, acc) == 0 &&
            strcmp(acc, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=") == 0,
        "accept key %s", acc);
  CHECK_EQ_INT(hs__ws_accept_key("short", 5, acc), -1, "short key rejected");
  CHECK_EQ_INT(hs__ws_accept_key("dGhlIHNhbXBsZSBub25jZQ!!", 24, acc), -1, "bad base64 rejected");
}

static hs_ws_limits_t lim = {4, 64};

/* One session: echo, ping, then the client closes. */
HS_TEST(echo_ping_close) {
  unsigned char in[512];
  hs_buf_t out;
  /* echo "Hello" (RFC 6455 §5.7), split into 4-byte fragments by our limit */
  hs_ws_t *ws = hs__ws_new(&lim);
  hs__buf_init(&out, &pool);
  size_t n = client_frame(in, 1, 1, "Hello", 5);
  CHECK(feed(ws, in, 3, &out) == 0 && out.len == 0, "partial frame waits");
  CHECK_EQ_UINT(feed(ws, in + 3, n - 3, &out), 0, "frame completes");
  static const unsigned char frag[] = {0x01, 0x04, 'H', 'e', 'l', 'l', 0x80, 0x01, 'o'};
  CHECK_EQ_MEM(out.base, out.len, frag, sizeof frag, "fragmented echo");
  /* ping → pong with the same payload */
  out.len = 0;
  n = client_frame(in, 1, 9, "hi", 2);
  CHECK(feed(ws, in, n, &out) == 0 && out.len == 4 && memcmp(out.base, "\x8a\x02hi", 4) == 0,
        "pong");
  /* client-initiated close 1000 → our Close 1000, then the session ends */
  out.len = 0;
  n = client_frame(in, 1, 8, "\x03\xe8", 2);
  CHECK(feed(ws, in, n, &out) == HS_WS_CLOSE && close_code(&out, 0) == 1000, "close echoed");
  hs__ws_destroy(ws);
  hs__buf_release(&out);
}

/* invalid UTF-8 in a text message → 1007 */
HS_TEST(invalid_utf8_1007) {
  unsigned char in[512];
  hs_buf_t out;
  hs__buf_init(&out, &pool);
  hs_ws_t *ws = hs__ws_new(&lim);
  size_t n = client_frame(in, 1, 1, "\xc3\x28", 2);
  feed(ws, in, n, &out);
  CHECK_EQ_INT(close_code(&out, 0), 1007, "invalid UTF-8 → 1007");
  hs__ws_destroy(ws);
  hs__buf_release(&out);
}

/* message over max_message → 1009 */
HS_TEST(too_big_1009) {
  unsigned char in[512];
  hs_buf_t out;
  hs__buf_init(&out, &pool);
  hs_ws_t *ws = hs__ws_new(&lim);
  char big[100];
  memset(big, 'x', sizeof big);
  size_t n = client_frame(in, 1, 2, big, sizeof big);
  feed(ws, in, n, &out);
  CHECK_EQ_INT(close_code(&out, 0), 1009, "too big → 1009");
  hs__ws_destroy(ws);
  hs__buf_release(&out);
}

/* unmasked client frame → 1002 protocol error */
HS_TEST(unmasked_1002) {
  hs_buf_t out;
  hs__buf_init(&out, &pool);
  hs_ws_t *ws = hs__ws_new(&lim);
  unsigned char unmasked[] = {0x81, 0x02, 'h', 'i'};
  feed(ws, unmasked, sizeof unmasked, &out);
  CHECK_EQ_INT(close_code(&out, 0), 1002, "unmasked → 1002");
  hs__ws_destroy(ws);
  hs__buf_release(&out);
}

/* One session: a fragmented message, then the server closes. */
HS_TEST(reassembly_server_close) {
  unsigned char in[512];
  hs_buf_t out;
  hs__buf_init(&out, &pool);
  /* fragmented client message reassembled, binary, empty message */
  hs_ws_t *ws = hs__ws_new(&(hs_ws_limits_t){0, 0});
  size_t n = client_frame(in, 0, 2, "ab", 2);
  n += client_frame(in + n, 1, 0, "cd", 2);
  n += client_frame(in + n, 1, 1, "", 0);
  CHECK_EQ_UINT(feed(ws, in, n, &out), 0, "fragments accepted");
  CHECK_EQ_MEM(out.base, out.len,
               "\x82\x04"
               "abcd\x81\x00",
               8, "reassembled echo + empty text");
  /* server-initiated close (shutdown) */
  out.len = 0;
  hs__ws_close(ws, 1001, &out);
  CHECK_EQ_INT(close_code(&out, 0), 1001, "server close 1001");
  n = client_frame(in, 1, 8, "\x03\xe9", 2);
  CHECK_EQ_UINT(feed(ws, in, n, &out), HS_WS_CLOSE, "handshake completes");
  hs__ws_destroy(ws);
  hs__buf_release(&out);
}

/* garbage never crashes */
HS_TEST(garbage) {
  hs_buf_t out;
  hs__buf_init(&out, &pool);
  srand(7);
  for (int round = 0; round < 2000; round++) {
    hs_ws_t *ws = hs__ws_new(&lim);
    out.len = 0;
    unsigned char junk[64];
    size_t jn = (size_t)(rand() % 64);
    for (size_t i = 0; i < jn; i++)
      junk[i] = (unsigned char)rand();
    feed(ws, junk, jn, &out);
    hs__ws_destroy(ws);
  }
  CHECK(1, "random input survived");
  hs__buf_release(&out);
}

static const hs_test_case_t cases[] = {
    HS_CASE(accept_key),   HS_CASE(echo_ping_close), HS_CASE(invalid_utf8_1007),
    HS_CASE(too_big_1009), HS_CASE(unmasked_1002),   HS_CASE(reassembly_server_close),
    HS_CASE(garbage),
};

int main(int argc, char **argv) {
  hs__pool_init(&pool, 4096, 4);
  int rc = hs_test_main(argc, argv, cases, HS_COUNT(cases));
  hs__pool_destroy(&pool);
  return rc;
}
