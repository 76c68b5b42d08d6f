/* Unit tests of the frame-header scanner (src/server/http2/h2_scan.c): the
 * headers of a client's byte stream are found after the preface, whatever
 * the reads it arrives in, and payloads are skipped unread. */
#include <string.h>

#include "hs_test.h"
#include "server/http2/h2_scan.h"

#define PREFACE "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"

/* Appends a frame: its 9-octet header, then `len` payload bytes of 'x'. */
static size_t put_frame(uint8_t *out, uint32_t len, uint8_t type, uint8_t flags, uint32_t id) {
  uint8_t h[9] = {(uint8_t)(len >> 16), (uint8_t)(len >> 8), (uint8_t)len,       type,       flags,
                  (uint8_t)(id >> 24),  (uint8_t)(id >> 16), (uint8_t)(id >> 8), (uint8_t)id};
  memcpy(out, h, 9);
  memset(out + 9, 'x', len);
  return 9 + len;
}

/* A preface, SETTINGS (6 bytes), HEADERS on 1, DATA on 1 (END_STREAM),
 * RST_STREAM on 3 with the reserved bit set. Returns the length. */
static size_t sample(uint8_t *b) {
  size_t n = 0;
  memcpy(b, PREFACE, 24);
  n += 24;
  n += put_frame(b + n, 6, 0x4, 0, 0);
  n += put_frame(b + n, 17, 0x1, 0x4, 1);
  n += put_frame(b + n, 300, 0x0, 0x1, 1);
  n += put_frame(b + n, 4, 0x3, 0, 0x80000003u);
  return n;
}

static const hs__h2_frame_hd_t expected[] = {
    {6, 0x4, 0, 0}, {17, 0x1, 0x4, 1}, {300, 0x0, 0x1, 1}, {4, 0x3, 0, 3}};

/* Feeds b[0..n) in reads of `step` bytes; checks every header against
 * `expected` and where it ended. */
static void scan_in_steps(const uint8_t *b, size_t n, size_t step) {
  hs__h2_scan_t s;
  hs__h2_scan_init(&s);
  size_t at = 0, seen = 0;
  size_t ends[4] = {24 + 9, 24 + 15 + 9, 24 + 15 + 26 + 9, 24 + 15 + 26 + 309 + 9};
  while (at < n) {
    size_t len = n - at < step ? n - at : step, off = 0;
    while (off < len) {
      hs__h2_frame_hd_t hd;
      int found;
      off += hs__h2_scan(&s, b + at + off, len - off, &hd, &found);
      if (!found)
        continue;
      CHECK(seen < 4, "step %zu: a fifth header", step);
      if (seen >= 4)
        return;
      CHECK_EQ_UINT(hd.length, expected[seen].length, "step %zu, frame %zu", step, seen);
      CHECK_EQ_UINT(hd.type, expected[seen].type, "step %zu, frame %zu", step, seen);
      CHECK_EQ_UINT(hd.flags, expected[seen].flags, "step %zu, frame %zu", step, seen);
      CHECK_EQ_INT(hd.stream_id, expected[seen].stream_id, "step %zu, frame %zu", step, seen);
      CHECK_EQ_UINT(at + off, ends[seen], "step %zu, frame %zu ends there", step, seen);
      seen++;
    }
    at += len;
  }
  CHECK_EQ_UINT(seen, 4, "step %zu", step);
}

HS_TEST(headers_in_one_read) {
  uint8_t b[512];
  scan_in_steps(b, sample(b), 512);
}

HS_TEST(headers_split_across_reads) {
  uint8_t b[512];
  size_t n = sample(b);
  for (size_t step = 1; step <= 40; step++)
    scan_in_steps(b, n, step);
}

HS_TEST(nothing_before_the_preface_ends) {
  hs__h2_scan_t s;
  hs__h2_scan_init(&s);
  hs__h2_frame_hd_t hd;
  int found = 1;
  CHECK_EQ_UINT(hs__h2_scan(&s, (const uint8_t *)PREFACE, 24, &hd, &found), 24);
  CHECK_EQ_INT(found, 0);
}

static const hs_test_case_t cases[] = {HS_CASE(headers_in_one_read),
                                       HS_CASE(headers_split_across_reads),
                                       HS_CASE(nothing_before_the_preface_ends)};

int main(int argc, char **argv) { return hs_test_main(argc, argv, cases, HS_COUNT(cases)); }
