/* WebSocket session (src/ws): handshake key, echo, fragmentation, control
 * frames, every protocol error with its close code, timers and
 * permessage-deflate (RFC 6455, RFC 7692). */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "base/buf.h"
#include "hs_test.h"
#include "ws/ws.h"

/* A client frame (RFC 6455 §5.2) into buf, masked unless mask == 0; the first
 * byte is given whole (FIN, RSV, opcode). Returns its length. */
static size_t raw_frame(unsigned char *buf, int b0, int mask, const void *payload, size_t n) {
  static const unsigned char key[4] = {0x37, 0xfa, 0x21, 0x3d};
  size_t h = 0;
  buf[h++] = (unsigned char)b0;
  unsigned char m = mask ? 0x80 : 0;
  if (n < 126) {
    buf[h++] = (unsigned char)(m | n);
  } else {
    buf[h++] = m | 126;
    buf[h++] = (unsigned char)(n >> 8);
    buf[h++] = (unsigned char)n;
  }
  if (mask) {
    memcpy(buf + h, key, 4);
    h += 4;
  }
  for (size_t i = 0; i < n; i++)
    buf[h + i] = ((const unsigned char *)payload)[i] ^ (mask ? key[i % 4] : 0);
  return h + n;
}

static size_t client_frame(unsigned char *buf, int fin, int opcode, const void *payload, size_t n) {
  return raw_frame(buf, (fin ? 0x80 : 0) | opcode, 1, payload, n);
}

static hs__pool_t pool;

static void echo(hs__ws_t *ws, void *user, int op, const char *p, size_t n, hs__buf_t *out) {
  hs__ws_send(ws, op, p, n, out);
}

static hs__ws_t *session(size_t frag, size_t max_msg, unsigned accept, const hs__ws_pmd_t *pmd) {
  hs__ws_opts_t o = {.max_fragment = frag,
                     .max_message = max_msg,
                     .accept = accept,
                     .idle_ms = 1000,
                     .close_wait_ms = 500,
                     .on_message = echo,
                     .pmd = pmd};
  return hs__ws_new(&o, 0);
}

static unsigned feed(hs__ws_t *ws, const unsigned char *in, size_t n, hs__buf_t *out) {
  return hs__ws_feed(ws, (const char *)in, n, 0, out);
}

/* Close code carried by a server Close frame at out[off], or -1. */
static int close_code(const hs__buf_t *out, size_t off) {
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

/* One session: echo, ping, then the client closes. */
HS_TEST(echo_ping_close) {
  unsigned char in[512];
  hs__buf_t out;
  /* echo "Hello" (RFC 6455 §5.7), split into 4-byte fragments by our limit */
  hs__ws_t *ws = session(4, 64, 0, NULL);
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
  /* a ping between two fragments of a message is answered at once */
  out.len = 0;
  n = client_frame(in, 0, 1, "ab", 2);
  n += client_frame(in + n, 1, 9, "", 0);
  n += client_frame(in + n, 1, 0, "c", 1);
  CHECK_EQ_UINT(feed(ws, in, n, &out), 0, "interleaved ping");
  CHECK_EQ_MEM(out.base, out.len,
               "\x8a\x00\x81\x03"
               "abc",
               7, "pong, then the message");
  /* client-initiated close 1000 → our Close 1000, then the session ends */
  out.len = 0;
  n = client_frame(in, 1, 8,
                   "\x03\xe8"
                   "bye",
                   5);
  CHECK(feed(ws, in, n, &out) == HS_WS_CLOSE && close_code(&out, 0) == 1000, "close echoed");
  CHECK(hs__ws_code_received(ws) == 1000 && hs__ws_code_sent(ws) == 1000, "codes recorded");
  hs__ws_destroy(ws);
  hs__buf_release(&out);
}

/* Every protocol error, alone on a fresh session, and the code it gets. */
HS_TEST(protocol_errors) {
  static const struct {
    const char *name;
    int b0, mask;
    const char *payload;
    size_t n;
    int code;
  } cases[] = {
      {"invalid UTF-8 text", 0x81, 1, "\xc3\x28", 2, 1007},
      {"overlong UTF-8", 0x81, 1, "\xc0\xaf", 2, 1007},
      {"UTF-16 surrogate", 0x81, 1, "\xed\xa0\x80", 3, 1007},
      {"message over the limit", 0x82, 1,
       "0123456789012345678901234567890123456789"
       "0123456789012345678901234567890123456789",
       80, 1009},
      {"unmasked frame", 0x81, 0, "hi", 2, 1002},
      {"RSV1 without extension", 0xC1, 1, "hi", 2, 1002},
      {"RSV2", 0xA1, 1, "hi", 2, 1002},
      {"RSV3", 0x91, 1, "hi", 2, 1002},
      {"opcode 3", 0x83, 1, "", 0, 1002},
      {"opcode 0xB", 0x8B, 1, "", 0, 1002},
      {"fragmented ping", 0x09, 1, "p", 1, 1002},
      {"continuation without start", 0x80, 1, "x", 1, 1002},
      {"close payload of 1 byte", 0x88, 1, "\x03", 1, 1002},
      {"close code 999", 0x88, 1, "\x03\xe7", 2, 1002},
      {"close code 1004", 0x88, 1, "\x03\xec", 2, 1002},
      {"close code 1005", 0x88, 1, "\x03\xed", 2, 1002},
      {"close code 1006", 0x88, 1, "\x03\xee", 2, 1002},
      {"close code 1015", 0x88, 1, "\x03\xf7", 2, 1002},
      {"close code 2000", 0x88, 1, "\x07\xd0", 2, 1002},
      {"close code 5000", 0x88, 1, "\x13\x88", 2, 1002},
      {"close reason not UTF-8", 0x88, 1, "\x03\xe8\xff", 3, 1007},
      {"binary to a text-only endpoint", 0x82, 1, "x", 1, 1003},
  };
  unsigned char in[512];
  hs__buf_t out;
  hs__buf_init(&out, &pool);
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    hs__ws_t *ws = session(0, 64, strstr(cases[i].name, "text-only") ? HS_WS_TEXT : 0, NULL);
    out.len = 0;
    size_t n = raw_frame(in, cases[i].b0, cases[i].mask, cases[i].payload, cases[i].n);
    feed(ws, in, n, &out);
    CHECK_EQ_INT(close_code(&out, 0), cases[i].code, "%s", cases[i].name);
    hs__ws_destroy(ws);
  }
  /* a control frame with a 126-byte length, a new message inside a fragmented one */
  hs__ws_t *ws = session(0, 64, 0, NULL);
  out.len = 0;
  char big[126];
  memset(big, 'p', sizeof big);
  size_t n = client_frame(in, 1, 9, big, sizeof big);
  CHECK(feed(ws, in, n, &out) == HS_WS_CLOSE && close_code(&out, 0) == 1002,
        "ping of 126 bytes → 1002, connection closed");
  hs__ws_destroy(ws);
  ws = session(0, 64, 0, NULL);
  out.len = 0;
  n = client_frame(in, 0, 1, "a", 1);
  n += client_frame(in + n, 1, 1, "b", 1);
  feed(ws, in, n, &out);
  CHECK_EQ_INT(close_code(&out, 0), 1002, "new message inside a fragmented one");
  hs__ws_destroy(ws);
  /* text split inside a character is fine once whole */
  ws = session(0, 64, 0, NULL);
  out.len = 0;
  n = client_frame(in, 0, 1, "\xe4\xb8", 2);
  n += client_frame(in + n, 1, 0, "\x96", 1);
  feed(ws, in, n, &out);
  CHECK_EQ_MEM(out.base, out.len, "\x81\x03\xe4\xb8\x96", 5, "character across fragments");
  hs__ws_destroy(ws);
  hs__buf_release(&out);
}

/* After its Close the server waits for the peer's, dropping data; it gives up
 * after close_wait_ms. */
HS_TEST(close_handshake_and_timeout) {
  unsigned char in[512];
  hs__buf_t out;
  hs__buf_init(&out, &pool);
  hs__ws_t *ws = session(0, 0, 0, NULL);
  hs__ws_close(ws, 4000, "done", 4, 100, &out);
  CHECK_EQ_MEM(out.base, out.len,
               "\x88\x06\x0f\xa0"
               "done",
               8, "Close 4000 with its reason");
  CHECK_EQ_UINT(hs__ws_deadline(ws), 600, "deadline: close wait");
  out.len = 0;
  size_t n = client_frame(in, 1, 1, "late", 4);
  CHECK(feed(ws, in, n, &out) == 0 && out.len == 0, "data after our Close is dropped");
  CHECK_EQ_INT(hs__ws_send(ws, 1, "x", 1, &out), -1, "nothing is sent after Close");
  CHECK_EQ_UINT(hs__ws_wake(ws, 599, &out), 0, "still waiting");
  CHECK_EQ_UINT(hs__ws_wake(ws, 600, &out), HS_WS_CLOSE, "gives up waiting");
  hs__ws_destroy(ws);
  /* the peer's Close ends the wait */
  ws = session(0, 0, 0, NULL);
  out.len = 0;
  hs__ws_close(ws, 1000, NULL, 0, 0, &out);
  n = client_frame(in, 1, 8, "\x03\xe8", 2);
  CHECK_EQ_UINT(feed(ws, in, n, &out), HS_WS_CLOSE, "peer's Close completes the handshake");
  CHECK_EQ_UINT(out.len, 4, "no second Close");
  hs__ws_destroy(ws);
  hs__buf_release(&out);
}

/* Silence → Ping; unanswered → Close 1001; an answer resets the clock. */
HS_TEST(idle_ping_then_1001) {
  unsigned char in[64];
  hs__buf_t out;
  hs__buf_init(&out, &pool);
  hs__ws_t *ws = session(0, 0, 0, NULL);
  CHECK_EQ_UINT(hs__ws_deadline(ws), 1000, "first deadline: idle");
  CHECK(hs__ws_wake(ws, 1000, &out) == 0 && out.len == 2 && memcmp(out.base, "\x89\x00", 2) == 0,
        "ping sent");
  CHECK_EQ_UINT(hs__ws_deadline(ws), 2000, "waits for the pong");
  out.len = 0;
  size_t n = client_frame(in, 1, 10, "", 0);
  hs__ws_feed(ws, (const char *)in, n, 1500, &out);
  CHECK_EQ_UINT(hs__ws_deadline(ws), 2500, "pong: idle again");
  CHECK_EQ_UINT(hs__ws_wake(ws, 2500, &out), 0, "second ping");
  out.len = 0;
  CHECK_EQ_UINT(hs__ws_wake(ws, 3500, &out), 0, "no answer: Close");
  CHECK_EQ_INT(close_code(&out, 0), 1001, "Going Away");
  CHECK_EQ_UINT(hs__ws_wake(ws, 4000, &out), HS_WS_CLOSE, "then the close wait ends");
  hs__ws_destroy(ws);
  hs__buf_release(&out);
}

/* RFC 7692 negotiation: what is accepted and how the answer reads. */
HS_TEST(deflate_negotiation) {
  static const struct {
    const char *offer;
    const char *resp; /* NULL: declined */
  } cases[] = {
      {"permessage-deflate; client_max_window_bits", "permessage-deflate"},
      {"permessage-deflate", "permessage-deflate"},
      {"permessage-deflate; server_no_context_takeover; client_no_context_takeover",
       "permessage-deflate; server_no_context_takeover; client_no_context_takeover"},
      {"permessage-deflate; server_max_window_bits=10",
       "permessage-deflate; server_max_window_bits=10"},
      {"permessage-deflate; server_max_window_bits=\"12\"",
       "permessage-deflate; server_max_window_bits=12"},
      {"permessage-deflate; server_max_window_bits=8", NULL},
      {"permessage-deflate; server_max_window_bits=8, permessage-deflate", "permessage-deflate"},
      {"permessage-deflate; server_max_window_bits", NULL},
      {"permessage-deflate; client_max_window_bits=16", NULL},
      {"permessage-deflate; foo", NULL},
      {"permessage-deflate; server_no_context_takeover; server_no_context_takeover", NULL},
      {"permessage-deflate; server_no_context_takeover=1", NULL},
      {"x-webkit-deflate-frame", NULL},
      {"foo, permessage-deflate;client_max_window_bits=15", "permessage-deflate"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    hs__ws_pmd_t pmd;
    char resp[160];
    int ok = hs__ws_pmd_negotiate(cases[i].offer, strlen(cases[i].offer), &pmd, resp, sizeof resp);
    if (cases[i].resp)
      CHECK(ok && strcmp(resp, cases[i].resp) == 0, "%s → %s (got %s)", cases[i].offer,
            cases[i].resp, ok ? resp : "declined");
    else
      CHECK(!ok, "%s declined", cases[i].offer);
  }
}

/* Compresses `msg` as a client would (raw DEFLATE, sync flush, tail removed). */
static size_t client_deflate(z_stream *z, const char *msg, size_t n, unsigned char *dst,
                             size_t cap) {
  z->next_in = (Bytef *)msg;
  z->avail_in = (uInt)n;
  z->next_out = dst;
  z->avail_out = (uInt)cap;
  deflate(z, Z_SYNC_FLUSH);
  return cap - z->avail_out - 4;
}

/* A compressed message in two fragments is inflated, echoed compressed; the
 * echo inflates back; corrupt data → 1007; a bomb → 1009. */
HS_TEST(deflate_echo) {
  hs__ws_pmd_t pmd = {.server_window_bits = 15};
  hs__ws_t *ws = session(0, 4096, 0, &pmd);
  hs__buf_t out;
  hs__buf_init(&out, &pool);
  z_stream cz, sz;
  memset(&cz, 0, sizeof cz);
  memset(&sz, 0, sizeof sz);
  deflateInit2(&cz, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
  inflateInit2(&sz, -15);
  static const char text[] = "hello hello hello hello, compressed world";
  for (int round = 0; round < 2; round++) { /* the second uses the shared window */
    unsigned char z[256], in[512];
    size_t zn = client_deflate(&cz, text, sizeof text - 1, z, sizeof z);
    size_t n = raw_frame(in, 0x40 | 0x01, 1, z, zn / 2); /* RSV1, text, no FIN */
    n += raw_frame(in + n, 0x80, 1, z + zn / 2, zn - zn / 2);
    out.len = 0;
    CHECK_EQ_UINT(feed(ws, in, n, &out), 0, "round %d accepted", round);
    const unsigned char *o = (const unsigned char *)out.base;
    CHECK(out.len > 2 && o[0] == 0xC1 && o[1] < 126, "echo: one compressed text frame");
    unsigned char tail[512];
    memcpy(tail, o + 2, o[1]);
    memcpy(tail + o[1], "\0\0\xff\xff", 4);
    char plain[256];
    sz.next_in = tail;
    sz.avail_in = o[1] + 4u;
    sz.next_out = (Bytef *)plain;
    sz.avail_out = sizeof plain;
    inflate(&sz, Z_SYNC_FLUSH);
    CHECK_EQ_MEM(plain, sizeof plain - sz.avail_out, text, sizeof text - 1,
                 "round %d: echo inflates to the message", round);
  }
  /* corrupt DEFLATE → 1007 */
  unsigned char in[64];
  size_t n = raw_frame(in, 0xC1, 1, "\xff\xff\xff\xff", 4);
  out.len = 0;
  feed(ws, in, n, &out);
  CHECK_EQ_INT(close_code(&out, 0), 1007, "corrupt DEFLATE → 1007");
  hs__ws_destroy(ws);
  /* 64 KiB of zeros in a few bytes: over the 4 KiB limit → 1009 */
  ws = session(0, 4096, 0, &pmd);
  deflateReset(&cz);
  char *zeros = calloc(1, 65536);
  unsigned char z[1024], frame[1100];
  size_t zn = client_deflate(&cz, zeros, 65536, z, sizeof z);
  n = raw_frame(frame, 0xC2, 1, z, zn);
  out.len = 0;
  feed(ws, frame, n, &out);
  CHECK_EQ_INT(close_code(&out, 0), 1009, "inflation bomb → 1009");
  free(zeros);
  hs__ws_destroy(ws);
  /* RSV1 on a control frame stays an error with deflate */
  ws = session(0, 4096, 0, &pmd);
  n = raw_frame(in, 0xC9, 1, "", 0);
  out.len = 0;
  feed(ws, in, n, &out);
  CHECK_EQ_INT(close_code(&out, 0), 1002, "RSV1 on a ping → 1002");
  hs__ws_destroy(ws);
  deflateEnd(&cz);
  inflateEnd(&sz);
  hs__buf_release(&out);
}

/* Random bytes: each run ends open or with a Close frame carrying a code the
 * server may send, never anything else. */
HS_TEST(garbage) {
  hs__buf_t out;
  hs__buf_init(&out, &pool);
  srand(7);
  int closed = 0;
  for (int round = 0; round < 2000; round++) {
    hs__ws_pmd_t pmd = {.server_window_bits = 15};
    hs__ws_t *ws = session(0, 256, 0, round & 1 ? &pmd : NULL);
    out.len = 0;
    unsigned char junk[64];
    size_t jn = (size_t)(rand() % 64);
    for (size_t i = 0; i < jn; i++)
      junk[i] = (unsigned char)rand();
    feed(ws, junk, jn, &out);
    unsigned sent = hs__ws_code_sent(ws);
    if (sent) {
      closed++;
      CHECK(hs__ws_code_valid(sent), "round %d: close code %u", round, sent);
    }
    hs__ws_destroy(ws);
  }
  CHECK(closed > 1000, "most random inputs are refused (%d of 2000)", closed);
  hs__buf_release(&out);
}

/* A session with a memory budget (see budget_* below). */
static hs__ws_t *budget_session(hs__ws_budget_t *b, size_t limit) {
  hs__ws_opts_t o = {.max_fragment = 1 << 20,
                     .max_message = 1 << 20,
                     .on_message = echo,
                     .budget = b,
                     .budget_limit = limit};
  return hs__ws_new(&o, 0);
}

/* A masked binary frame of n bytes (mask key 0) with a 64-bit length. */
static size_t big_frame(unsigned char *buf, size_t n) {
  buf[0] = 0x82;
  buf[1] = 0x80 | 127;
  for (int i = 0; i < 8; i++)
    buf[2 + i] = (unsigned char)((uint64_t)n >> (56 - 8 * i));
  memset(buf + 10, 0, 4 + n);
  return 14 + n;
}

/* Messages over 64 KiB take their size from the shared budget before their
 * payload is read; the share moves to the echo and is given back once the
 * caller says the output has been written (hs__ws_drained). */
HS_TEST(budget_taken_and_given_back) {
  hs__ws_budget_t b = {0};
  hs__ws_t *ws = budget_session(&b, 150000);
  size_t n = 100000, held = n + 10; /* and room for the echo's frame head */
  unsigned char *in = malloc(14 + n);
  hs__buf_t out;
  hs__buf_init(&out, &pool);
  size_t len = big_frame(in, n);
  CHECK(feed(ws, in, 15, &out) == 0); /* the head and one byte: the whole size is taken */
  CHECK(atomic_load(&b.used) == held && hs__ws_budget_held(ws) == held);
  CHECK(feed(ws, in + 15, len - 15, &out) == 0);
  CHECK(out.len == 10 + n && (unsigned char)out.base[0] == 0x82); /* echoed whole */
  CHECK(atomic_load(&b.used) == held); /* held for the echo until it is written */
  hs__ws_drained(ws);
  CHECK(atomic_load(&b.used) == 0 && hs__ws_budget_held(ws) == 0);
  out.len = 0;
  unsigned char small[64];
  size_t k = client_frame(small, 1, HS_WS_OP_BINARY, "hi", 2); /* small: not counted */
  CHECK(feed(ws, small, k, &out) == 0 && out.len == 4 && atomic_load(&b.used) == 0);
  hs__ws_destroy(ws);
  free(in);
  hs__buf_release(&out);
}

/* A message the budget cannot hold closes its session with 1013 before any
 * of its payload is buffered; what others hold is untouched, and every
 * share is given back when sessions end. */
HS_TEST(budget_exhausted_is_1013) {
  hs__ws_budget_t b = {0};
  hs__ws_t *a = budget_session(&b, 150000), *c = budget_session(&b, 150000);
  size_t n = 100000, held = n + 10; /* and room for the echo's frame head */
  unsigned char *in = malloc(14 + n);
  hs__buf_t out_a, out_c;
  hs__buf_init(&out_a, &pool);
  hs__buf_init(&out_c, &pool);
  big_frame(in, n);
  CHECK(feed(a, in, 14 + n / 2, &out_a) == 0 && atomic_load(&b.used) == held);
  CHECK(feed(c, in, 14 + n, &out_c) == 0);
  CHECK(close_code(&out_c, 0) == 1013 && hs__ws_budget_held(c) == 0);
  CHECK(atomic_load(&b.used) == held);
  CHECK(feed(a, in + 14 + n / 2, n - n / 2, &out_a) == 0 && out_a.len == 10 + n);
  hs__ws_destroy(a); /* its echo was never written: destroy gives it back */
  hs__ws_destroy(c);
  CHECK(atomic_load(&b.used) == 0);
  free(in);
  hs__buf_release(&out_a);
  hs__buf_release(&out_c);
}

/* A compressed message is counted as it inflates: one that inflates past
 * what the budget holds closes with 1013 and gives everything back. */
HS_TEST(budget_counts_inflated_bytes) {
  hs__ws_budget_t b = {0};
  hs__ws_pmd_t pmd = {.server_window_bits = 15};
  hs__ws_opts_t o = {.max_message = 1 << 20,
                     .on_message = echo,
                     .pmd = &pmd,
                     .budget = &b,
                     .budget_limit = 100000};
  hs__ws_t *ws = hs__ws_new(&o, 0);
  z_stream cz;
  memset(&cz, 0, sizeof cz);
  deflateInit2(&cz, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
  char *zeros = calloc(1, 300000);
  unsigned char z[4096], in[4200];
  size_t zn = client_deflate(&cz, zeros, 300000, z, sizeof z); /* a few hundred bytes */
  size_t n = raw_frame(in, 0xC2, 1, z, zn);                    /* RSV1, binary, FIN */
  hs__buf_t out;
  hs__buf_init(&out, &pool);
  feed(ws, in, n, &out);
  CHECK(zn < 1000 && close_code(&out, 0) == 1013);
  CHECK(atomic_load(&b.used) == 0 && hs__ws_budget_held(ws) == 0);
  deflateEnd(&cz);
  free(zeros);
  hs__ws_destroy(ws);
  hs__buf_release(&out);
}

/* A large echo is framed inside the message's own buffer (no second copy):
 * the frames must be exactly those of a copied echo, fragments included. */
HS_TEST(echo_in_place_fragments) {
  hs__ws_opts_t o = {.max_fragment = 16384, .max_message = 1 << 20, .on_message = echo};
  hs__ws_t *ws = hs__ws_new(&o, 0);
  size_t n = 100000;
  unsigned char *in = malloc(14 + n);
  big_frame(in, n);
  for (size_t i = 0; i < n; i++)
    in[14 + i] = (unsigned char)(i * 7 + i / 251);
  hs__buf_t out;
  hs__buf_init(&out, &pool);
  CHECK(feed(ws, in, 14 + n, &out) == 0);
  const unsigned char *p = (const unsigned char *)out.base, *end = p + out.len;
  size_t got = 0, frames = 0;
  int ok = 1;
  while (p + 2 <= end && ok) {
    size_t k = p[1] & 0x7f, h = 2;
    if (k == 126)
      k = (size_t)p[2] << 8 | p[3], h = 4;
    int last = got + k == n;
    ok = (p[0] & 0x80) == (last ? 0x80 : 0) && (p[0] & 0x0f) == (frames ? 0 : HS_WS_OP_BINARY) &&
         k == (last ? n % 16384 : 16384) && p + h + k <= end &&
         memcmp(p + h, in + 14 + got, k) == 0;
    got += k;
    frames++;
    p += h + k;
  }
  CHECK(ok && p == end && got == n && frames == 7);
  hs__ws_destroy(ws);
  free(in);
  hs__buf_release(&out);
}

static const hs_test_case_t cases[] = {
    HS_CASE(accept_key),
    HS_CASE(echo_ping_close),
    HS_CASE(protocol_errors),
    HS_CASE(close_handshake_and_timeout),
    HS_CASE(idle_ping_then_1001),
    HS_CASE(deflate_negotiation),
    HS_CASE(deflate_echo),
    HS_CASE(garbage),
    HS_CASE(budget_taken_and_given_back),
    HS_CASE(budget_exhausted_is_1013),
    HS_CASE(echo_in_place_fragments),
    HS_CASE(budget_counts_inflated_bytes),
};

int main(int argc, char **argv) {
  hs__pool_init(&pool, 4096, 4);
  int rc = hs_test_main(argc, argv, cases, HS_COUNT(cases));
  hs__pool_destroy(&pool);
  return rc;
}
