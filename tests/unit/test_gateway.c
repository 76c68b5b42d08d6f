/* src/gateway: the upstream response reader (every split of the input gives
 * the same transcript), the failure → status tables, and forwarded requests.
 *   build/tests/unit/test_gateway [case ...] */
#include <string.h>

#include "gateway/failure.h"
#include "gateway/forward.h"
#include "gateway/plan.h"
#include "gateway/resp_replay.h"
#include "hs_test.h"

typedef struct {
  const char *in;
  int head_request, eof;
  int last;         /* HS_UP_END / HS_UP_ERROR / HS_UP_NEED_MORE */
  const char *want; /* transcript */
} vec_t;

#define E HS_UP_END
#define X HS_UP_ERROR
static const vec_t vecs[] = {
    {"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nA: b\r\n\r\nhello", 0, 0, E,
     "H200/1/1/Content-Length:5|A:b|helloE"},
    {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n1\r\n!\r\n0\r\n"
     "Trailer-One: 1\r\n\r\n",
     0, 0, E, "H200/2/1/Transfer-Encoding:chunked|hello!TTrailer-One:1|E"},
    {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 0, 0, E,
     "H200/2/1/Transfer-Encoding:chunked|E"},
    {"HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n", 0, 0, E,
     "H103/0/1/Link:</a>|H204/0/1/E"},
    {"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", 1, 0, E, "H200/0/1/Content-Length:10|E"},
    {"HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n", 0, 0, E, "H304/0/1/ETag:\"x\"|E"},
    {"HTTP/1.0 200 OK\r\n\r\nuntil close", 0, 1, E, "H200/3/0/until closeE"},
    {"HTTP/1.1 200 OK\nContent-Length: 2\n\nok", 0, 0, E, "H200/1/1/Content-Length:2|okE"},
    {"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", 0, 0, E,
     "H200/1/0/Connection:close|Content-Length:0|E"},
    {"HTTP/1.1 200 OK\r\nContent-Length: 3, 3\r\n\r\nabc", 0, 0, E,
     "H200/1/1/Content-Length:3, 3|abcE"},
    /* refused: each is what nginx answers 502 for */
    {"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 0, 0, X, "X10"},
    {"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", 0, 0, X, "X10"},
    {"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", 0, 0, X, "X10"},
    {"HTTP/1.1 200 OK\r\nA: b\r\n folded\r\n\r\n", 0, 0, X, "X10"},
    {"HTTP/1.1 200 OK\r\nBad Name: b\r\n\r\n", 0, 0, X, "X10"},
    {"HTTP/1.1 200 OK\r\nA: b\x01\r\n\r\n", 0, 0, X, "X10"},
    {"HTTP/1.1 20 OK\r\n\r\n", 0, 0, X, "X10"},
    {"HTTP/2.0 200 OK\r\n\r\n", 0, 0, X, "X10"},
    {"HTTP/1.1 101 Switching Protocols\r\n\r\n", 0, 0, X, "X10"},
    {"SSH-2.0-OpenSSH_9.2\r\n", 0, 0, X, "X10"},
    {"", 0, 1, X, "X8"},
    {"HTTP/1.1 200", 0, 1, X, "X10"},
    {"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", 0, 1, X,
     "H200/1/1/Content-Length:10|abcX12"},
    {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 0, 0, X,
     "H200/2/1/Transfer-Encoding:chunked|X14"},
    {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n11111111111111111\r\n", 0, 0, X,
     "H200/2/1/Transfer-Encoding:chunked|X14"},
    {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX", 0, 0, X,
     "H200/2/1/Transfer-Encoding:chunked|abX14"},
};

HS_TEST(vectors_any_split) {
  for (size_t i = 0; i < HS_COUNT(vecs); i++) {
    const vec_t *v = &vecs[i];
    size_t n = strlen(v->in);
    for (size_t piece = 0; piece <= n; piece++) {
      hs__buf_t b;
      hs__buf_init(&b, NULL);
      int last = hs__up_replay(v->in, n, piece, v->head_request, v->eof, &b);
      CHECK_EQ_INT(last, v->last, "vector %zu piece %zu", i, piece);
      CHECK_EQ_MEM(b.base, b.len, v->want, strlen(v->want), "vector %zu piece %zu", i, piece);
      hs__buf_release(&b);
    }
  }
}

HS_TEST(head_too_big) {
  char big[2048] = "HTTP/1.1 200 OK\r\nA: ";
  memset(big + strlen(big), 'a', sizeof(big) - strlen(big) - 1);
  big[sizeof(big) - 1] = 0;
  hs__buf_t b;
  hs__buf_init(&b, NULL);
  CHECK_EQ_INT(hs__up_replay(big, strlen(big), 100, 0, 0, &b), HS_UP_ERROR);
  CHECK_EQ_MEM(b.base, b.len, "X11", 3); /* HS_GW_HEAD_TOO_BIG: the replay's limit is 1k */
  hs__buf_release(&b);
}

HS_TEST(nginx_timeouts_504_rest_502) {
  for (int c = HS_GW_UNRESOLVED; c < HS_GW_CAUSES; c++) {
    if (c == HS_GW_LOOP)
      continue;
    CHECK_EQ_INT(hs__gw_status(HS_GW_NGINX, c), hs__gw_cause_is_timeout(c) ? 504 : 502, "cause %s",
                 hs__gw_cause_name(c));
    CHECK_EQ_INT(hs__gw_status(HS_GW_ENVOY, c), hs__gw_cause_is_timeout(c) ? 504 : 503);
  }
  CHECK_EQ_INT(hs__gw_status(HS_GW_CLOUDFLARE, HS_GW_REFUSED), 521);
  CHECK_EQ_INT(hs__gw_status(HS_GW_CLOUDFLARE, HS_GW_CONNECT_TIMEOUT), 522);
  CHECK_EQ_INT(hs__gw_status(HS_GW_CLOUDFLARE, HS_GW_UNREACHABLE), 523);
  CHECK_EQ_INT(hs__gw_status(HS_GW_CLOUDFLARE, HS_GW_HEAD_TIMEOUT), 524);
  CHECK_EQ_INT(hs__gw_status(HS_GW_CLOUDFLARE, HS_GW_MALFORMED), 520);
  CHECK_EQ_INT(hs__gw_status(HS_GW_CLOUDFLARE, HS_GW_TLS_HANDSHAKE), 525);
  CHECK_EQ_INT(hs__gw_status(HS_GW_CLOUDFLARE, HS_GW_TLS_CERT), 526);
  CHECK_EQ_INT(hs__gw_status(HS_GW_CLOUDFLARE, HS_GW_UNRESOLVED), 530);
  CHECK_EQ_INT(hs__gw_status(HS_GW_ENVOY, HS_GW_LOOP), 502); /* its CDN-Loop filter */
  CHECK_EQ_INT(hs__gw_vendor_parse("envoy", 5), HS_GW_ENVOY);
  CHECK_EQ_INT(hs__gw_vendor_parse("haproxy", 7), -1);
  CHECK_EQ_INT(hs__gw_kind_parse(HS_STR("slow-body")), HS_GW_K_SLOW_BODY);
  CHECK_EQ_INT(hs__gw_kind_parse(HS_STR("upstream")), -1);
}

HS_TEST(forwarded_request) {
  hs__hdr_t in[] = {
      {HS_STR("Host"), HS_STR("front.example")},
      {HS_STR("Connection"), HS_STR("keep-alive, X-Secret")},
      {HS_STR("X-Secret"), HS_STR("hop")},
      {HS_STR("Keep-Alive"), HS_STR("timeout=5")},
      {HS_STR("TE"), HS_STR("trailers")},
      {HS_STR("Accept"), HS_STR("*/*")},
      {HS_STR("Via"), HS_STR("1.1 edge")},
      {HS_STR("X-Forwarded-For"), HS_STR("10.0.0.1")},
      {HS_STR("Max-Forwards"), HS_STR("3")},
  };
  hs__gw_fwd_t f = {0};
  f.method = HS_STR("POST");
  f.target = HS_STR("/post?a=1");
  f.host = HS_STR("127.0.0.1:9");
  f.headers = in;
  f.nheaders = HS_COUNT(in);
  f.body = "hi";
  f.body_len = 2;
  f.client_addr = HS_STR("::1");
  f.proto = HS_STR("https");
  f.client_host = HS_STR("front.example");
  f.loop_id = HS_STR("httpstatus-1");
  f.max_forwards = hs__gw_max_forwards(in, HS_COUNT(in)) - 1;
  hs__buf_t b;
  hs__buf_init(&b, NULL);
  hs__gw_build_request(&b, &f);
  static const char want[] = "POST /post?a=1 HTTP/1.1\r\n"
                             "Host: 127.0.0.1:9\r\n"
                             "Accept: */*\r\n"
                             "Via: 1.1 edge, 1.1 httpstatus\r\n"
                             "CDN-Loop: httpstatus-1\r\n"
                             "Forwarded: for=\"[::1]\";proto=https;host=\"front.example\"\r\n"
                             "X-Forwarded-For: 10.0.0.1, ::1\r\n"
                             "X-Forwarded-Proto: https\r\n"
                             "X-Forwarded-Host: front.example\r\n"
                             "Max-Forwards: 2\r\n"
                             "Content-Length: 2\r\n"
                             "\r\n"
                             "hi";
  CHECK_EQ_MEM(b.base, b.len, want, sizeof(want) - 1);
  hs__buf_release(&b);
  hs__hdr_t loop[] = {{HS_STR("CDN-Loop"), HS_STR("cdn-a; v=1, httpstatus-1")}};
  CHECK(hs__gw_loop_seen(loop, 1, HS_STR("httpstatus-1")), "our id in CDN-Loop");
  CHECK(!hs__gw_loop_seen(loop, 1, HS_STR("httpstatus-2")), "another id");
  CHECK(hs__gw_hop_by_hop(HS_STR("x-secret"), in, HS_COUNT(in)), "named by Connection");
  CHECK(!hs__gw_hop_by_hop(HS_STR("Accept"), in, HS_COUNT(in)), "end-to-end");
}

/* Streamed content: the head alone, framed by the declared length or
 * chunked (RFC 9112 §7.1), and Expect left behind (answered by the gateway). */
HS_TEST(streamed_request_framing) {
  hs__hdr_t in[] = {{HS_STR("Expect"), HS_STR("100-continue")},
                    {HS_STR("Transfer-Encoding"), HS_STR("chunked")},
                    {HS_STR("Content-Length"), HS_STR("9")}};
  hs__gw_fwd_t f = {0};
  f.method = HS_STR("PUT");
  f.target = HS_STR("/u");
  f.host = HS_STR("up");
  f.headers = in;
  f.nheaders = HS_COUNT(in);
  f.client_addr = HS_STR("1.2.3.4");
  f.proto = HS_STR("http");
  f.loop_id = HS_STR("id");
  f.max_forwards = -1;
  f.streamed = 1;
  f.chunked = 1;
  hs__buf_t b;
  hs__buf_init(&b, NULL);
  hs__gw_build_request(&b, &f);
  static const char tail[] = "X-Forwarded-Proto: http\r\nTransfer-Encoding: chunked\r\n\r\n";
  CHECK(b.len > sizeof(tail) &&
            memcmp(b.base + b.len - (sizeof(tail) - 1), tail, sizeof(tail) - 1) == 0,
        "chunked head, nothing after it");
  CHECK(!memmem(b.base, b.len, "Expect", 6) && !memmem(b.base, b.len, "Content-Length", 14),
        "Expect and the client's framing are not forwarded");
  b.len = 0;
  f.chunked = 0;
  f.length = 123456;
  hs__gw_build_request(&b, &f);
  static const char tail2[] = "Content-Length: 123456\r\n\r\n";
  CHECK(memcmp(b.base + b.len - (sizeof(tail2) - 1), tail2, sizeof(tail2) - 1) == 0,
        "declared length, nothing after it");
  b.len = 0;
  hs__gw_chunk_line(&b, 0x1a2b);
  hs__gw_chunk_line(&b, 1);
  hs__gw_chunk_line(&b, 0);
  static const char chunks[] = "1a2b\r\n1\r\n0\r\n\r\n";
  CHECK_EQ_MEM(b.base, b.len, chunks, sizeof(chunks) - 1);
  hs__buf_release(&b);
}

static const hs_test_case_t cases[] = {
    HS_CASE(vectors_any_split), HS_CASE(head_too_big), HS_CASE(nginx_timeouts_504_rest_502),
    HS_CASE(forwarded_request), HS_CASE(streamed_request_framing)};

int main(int argc, char **argv) { return hs_test_main(argc, argv, cases, HS_COUNT(cases)); }
