/* src/gateway/toxics.c: the spec's grammar (parse, merge, print, caps) and
 * the link's arithmetic on a simulated clock: latency and jitter, bandwidth,
 * slicer, limit_data, reset_peer and reset_timeout.
 *   build/tests/unit/test_toxics [case ...] */
#include <string.h>

#include "gateway/toxics.h"
#include "hs_test.h"

#define MS 1000ull
#define SEC 1000000ull

/* Parses s onto *t; returns what the parser returns. */
static int parse(hs__gw_toxics_t *t, const char *s, char *err, size_t cap) {
  return hs__gw_toxics_parse(t, s, strlen(s), err, cap);
}

/* The canonical form of s parsed alone, or "ERR: <message>". */
static const char *canon(const char *s) {
  static char out[256];
  char err[200];
  hs__gw_toxics_t t = {0};
  if (parse(&t, s, err, sizeof(err)) != 0) {
    snprintf(out, sizeof(out), "ERR: %s", err);
    return out;
  }
  hs__gw_toxics_format(&t, out, sizeof(out));
  return out;
}

HS_TEST(grammar) {
  CHECK_EQ_STR(canon("latency:200,jitter:50ms"), "latency:200ms,jitter:50ms");
  CHECK_EQ_STR(canon("jitter:0.05s,latency:1.5s"), "latency:1500ms,jitter:50ms");
  CHECK_EQ_STR(canon("slicer:64,slicer_variation:16,slicer_delay:250us"),
               "slicer:64,slicer_variation:16,slicer_delay:250us");
  CHECK_EQ_STR(canon("bandwidth:10,limit_data:4ki,reset_peer:2kb,reset_timeout:2s"),
               "bandwidth:10,limit_data:4096,reset_peer:2000,reset_timeout:2s");
  CHECK_EQ_STR(canon("limit_data:0,reset_timeout:0"), "limit_data:0,reset_timeout:0ms");
  CHECK_EQ_STR(canon("limit_data:1MiB,latency:10ms,latency:20ms"),
               "latency:20ms,limit_data:1048576");
  CHECK_EQ_STR(canon("none"), "");
}

HS_TEST(grammar_errors) {
  static const struct {
    const char *in, *msg;
  } bad[] = {
      {"", "toxics is empty"},
      {"latency", "unknown toxic 'latency'"},
      {"latency=200", "unknown toxic 'latency=200'"},
      {"lag:200", "unknown toxic 'lag:200'"},
      {"latency:200,", "unknown toxic ''"},
      {"latency:abc", "latency:abc is not a duration"},
      {"latency:-1", "latency:-1 is not a duration"},
      {"latency:5h", "latency:5h is not a duration"},
      {"latency:1.", "latency:1. is not a duration"},
      {"latency:99999999999999", "is not a duration"},
      {"bandwidth:0", "bandwidth:0 is not a rate"},
      {"limit_data:1x", "limit_data:1x is not a number of bytes"},
      {"reset_peer:", "reset_peer: is not a number of bytes"},
      {"slicer:0", "slicer needs slices of at least 1 byte"},
      {"slicer_delay:1ms", "slicer_delay go with slicer"},
      {"slicer:10,slicer_variation:10", "smaller than slicer"},
      {"NONE", "unknown toxic"},
  };
  for (size_t i = 0; i < HS_COUNT(bad); i++) {
    const char *got = canon(bad[i].in);
    CHECK(strncmp(got, "ERR: ", 5) == 0 && strstr(got, bad[i].msg), "%s -> %s", bad[i].in, got);
  }
}

HS_TEST(merge_and_cap) {
  /* the option first, the query on top: what the query names wins */
  hs__gw_toxics_t t = {0};
  char err[200], out[256];
  CHECK_EQ_INT(parse(&t, "latency:100ms,bandwidth:5", err, sizeof(err)), 0);
  CHECK_EQ_INT(parse(&t, "latency:30s,limit_data:10", err, sizeof(err)), 0);
  hs__gw_toxics_cap(&t, 10 * SEC);
  hs__gw_toxics_format(&t, out, sizeof(out));
  CHECK_EQ_STR(out, "latency:10s,bandwidth:5,limit_data:10");
  CHECK_EQ_INT(parse(&t, "none", err, sizeof(err)), 0);
  CHECK_EQ_UINT(t.set, 0);
  /* a format too small for everything keeps whole items only */
  CHECK_EQ_INT(parse(&t, "latency:100ms,bandwidth:5", err, sizeof(err)), 0);
  CHECK_EQ_UINT(hs__gw_toxics_format(&t, out, 20), 13);
  CHECK_EQ_STR(out, "latency:100ms");
}

/* Passes everything held, jumping the clock to each wake-up: the times and
 * sizes of the pieces (at most n of them). Returns the number of pieces. */
static size_t drain(hs__gw_tx_t *l, uint64_t *now, uint64_t *at, size_t *len, size_t n) {
  size_t k = 0;
  while (hs__gw_tx_held(l) && k < n) {
    uint64_t wake;
    size_t got = hs__gw_tx_pass(l, *now, 1 << 20, &wake);
    if (got) {
      at[k] = *now;
      len[k++] = got;
    } else {
      CHECK(wake != HS_TX_NEVER && wake > *now, "a held link always has a wake-up");
      if (wake == HS_TX_NEVER || wake <= *now)
        break;
      *now = wake;
    }
  }
  return k;
}

static hs__gw_toxics_t spec(const char *s) {
  hs__gw_toxics_t t = {0};
  char err[200];
  CHECK_EQ_INT(parse(&t, s, err, sizeof(err)), 0, "%s: %s", s, err);
  return t;
}

HS_TEST(latency_holds_each_chunk) {
  hs__gw_toxics_t t = spec("latency:200ms");
  hs__gw_tx_t l;
  hs__gw_tx_init(&l, &t, 1);
  uint64_t wake;
  hs__gw_tx_take(&l, 100, 1 * SEC);
  CHECK_EQ_UINT(hs__gw_tx_pass(&l, 1 * SEC + 199 * MS, 1000, &wake), 0);
  CHECK_EQ_UINT(wake, 1 * SEC + 200 * MS);
  hs__gw_tx_take(&l, 50, 1 * SEC + 150 * MS);
  CHECK_EQ_UINT(hs__gw_tx_pass(&l, 1 * SEC + 200 * MS, 1000, &wake), 100, "the first chunk alone");
  CHECK_EQ_UINT(hs__gw_tx_pass(&l, 1 * SEC + 200 * MS, 1000, &wake), 0);
  CHECK_EQ_UINT(wake, 1 * SEC + 350 * MS, "the second chunk: 200 ms after its own arrival");
  CHECK_EQ_UINT(hs__gw_tx_pass(&l, 1 * SEC + 350 * MS, 20, &wake), 20, "at most max bytes");
  CHECK_EQ_UINT(hs__gw_tx_pass(&l, 1 * SEC + 350 * MS, 1000, &wake), 30);
  CHECK_EQ_UINT(hs__gw_tx_pass(&l, 1 * SEC + 350 * MS, 1000, &wake), 0);
  CHECK_EQ_UINT(wake, HS_TX_NEVER, "nothing held: only the upstream wakes the link");
  CHECK_EQ_UINT(l.out, 150);
}

HS_TEST(jitter_bounded_and_in_order) {
  hs__gw_toxics_t t = spec("latency:100ms,jitter:40ms");
  hs__gw_tx_t l;
  hs__gw_tx_init(&l, &t, 12345);
  uint64_t lo = HS_TX_NEVER, hi = 0, prev = 0;
  for (int i = 0; i < 2000; i++) {
    uint64_t now = (uint64_t)i * 200 * MS; /* far apart: order does not bind them */
    hs__gw_tx_take(&l, 10, now);
    uint64_t at = now, a[1];
    size_t n[1];
    CHECK_EQ_UINT(drain(&l, &at, a, n, 1), 1);
    uint64_t d = a[0] - now;
    lo = d < lo ? d : lo;
    hi = d > hi ? d : hi;
  }
  CHECK(lo >= 60 * MS && lo < 63 * MS, "lowest delay %llu", (unsigned long long)lo);
  CHECK(hi <= 140 * MS && hi > 137 * MS, "highest delay %llu", (unsigned long long)hi);
  /* chunks close together never overtake each other */
  hs__gw_tx_init(&l, &t, 7);
  for (int i = 0; i < 20; i++)
    hs__gw_tx_take(&l, 1, (uint64_t)i * MS);
  uint64_t now = 0, at[32];
  size_t len[32];
  size_t k = drain(&l, &now, at, len, 32);
  CHECK_EQ_UINT(k, 20);
  for (size_t i = 0; i < k; i++) {
    CHECK(at[i] >= prev, "piece %zu at %llu after %llu", i, (unsigned long long)at[i],
          (unsigned long long)prev);
    prev = at[i];
  }
}

HS_TEST(bandwidth_paces_the_bytes) {
  /* 20,000 bytes at 10 KB/s: 2 s, in pieces of 100 ms (1000 bytes) */
  hs__gw_toxics_t t = spec("bandwidth:10");
  hs__gw_tx_t l;
  hs__gw_tx_init(&l, &t, 1);
  uint64_t now = 5 * SEC, at[64];
  size_t len[64], total = 0;
  for (int i = 0; i < 2; i++)
    hs__gw_tx_take(&l, 10000, now);
  size_t k = drain(&l, &now, at, len, 64);
  for (size_t i = 0; i < k; i++) {
    CHECK(len[i] <= 1000, "piece %zu: %zu bytes", i, len[i]);
    total += len[i];
  }
  CHECK_EQ_UINT(total, 20000);
  CHECK_EQ_UINT(now, 7 * SEC, "the last byte passes 2 s after the first arrived");
  /* an idle link earns no credit: a chunk arriving later is paced from then */
  hs__gw_tx_take(&l, 500, 10 * SEC);
  uint64_t wake;
  CHECK_EQ_UINT(hs__gw_tx_pass(&l, 10 * SEC, 1000, &wake), 0);
  CHECK_EQ_UINT(wake, 10 * SEC + 50 * MS);
}

HS_TEST(slicer_cuts_and_spaces) {
  hs__gw_toxics_t t = spec("slicer:100,slicer_variation:20,slicer_delay:2ms");
  hs__gw_tx_t l;
  hs__gw_tx_init(&l, &t, 99);
  uint64_t now = 0, at[64];
  size_t len[64], total = 0;
  hs__gw_tx_take(&l, 1000, 0);
  hs__gw_tx_take(&l, 30, 0);
  size_t k = drain(&l, &now, at, len, 64);
  CHECK(k >= 10 && k <= 14, "%zu slices", k);
  for (size_t i = 0; i < k; i++) {
    total += len[i];
    if (i + 1 < k) /* the last slice of each chunk may be shorter */
      CHECK(total == 1000 || (len[i] >= 80 && len[i] <= 120), "slice %zu: %zu", i, len[i]);
    if (i)
      CHECK_EQ_UINT(at[i] - at[i - 1], 2 * MS, "slice %zu", i);
  }
  CHECK_EQ_UINT(total, 1030);
  CHECK_EQ_UINT(len[k - 1], 30, "a slice never spans two chunks");
}

HS_TEST(limit_data_closes_after_n_bytes) {
  hs__gw_toxics_t t = spec("limit_data:150");
  hs__gw_tx_t l;
  hs__gw_tx_init(&l, &t, 1);
  uint64_t wake;
  CHECK_EQ_UINT(hs__gw_tx_room(&l), 150, "never takes in more than the limit");
  hs__gw_tx_take(&l, 100, 0);
  CHECK_EQ_UINT(hs__gw_tx_room(&l), 50);
  CHECK_EQ_INT(hs__gw_tx_cut(&l, 0), HS_TX_GO);
  CHECK_EQ_UINT(hs__gw_tx_pass(&l, 0, 1000, &wake), 100);
  hs__gw_tx_take(&l, 50, 0);
  CHECK_EQ_UINT(hs__gw_tx_room(&l), 0);
  CHECK_EQ_INT(hs__gw_tx_cut(&l, 0), HS_TX_GO, "not before the last byte has passed");
  CHECK_EQ_UINT(hs__gw_tx_pass(&l, 0, 1000, &wake), 50);
  CHECK_EQ_INT(hs__gw_tx_cut(&l, 0), HS_TX_CLOSE);
  t = spec("limit_data:0");
  hs__gw_tx_init(&l, &t, 1);
  CHECK_EQ_INT(hs__gw_tx_cut(&l, 0), HS_TX_CLOSE, "limit_data:0 closes at once");
}

HS_TEST(reset_peer_after_bytes_or_time) {
  hs__gw_toxics_t t = spec("reset_peer:10,limit_data:10,latency:5ms");
  hs__gw_tx_t l;
  hs__gw_tx_init(&l, &t, 1);
  uint64_t wake;
  hs__gw_tx_take(&l, hs__gw_tx_room(&l), 0);
  CHECK_EQ_UINT(l.in, 10);
  CHECK_EQ_INT(hs__gw_tx_cut(&l, 5 * MS), HS_TX_GO);
  CHECK_EQ_UINT(hs__gw_tx_pass(&l, 5 * MS, 1000, &wake), 10);
  CHECK_EQ_INT(hs__gw_tx_cut(&l, 5 * MS), HS_TX_RESET_NOW, "a reset wins over a close");
  /* reset_timeout counts from the first byte taken in, and wakes the link */
  t = spec("reset_timeout:300ms,latency:1s");
  hs__gw_tx_init(&l, &t, 1);
  CHECK_EQ_UINT(hs__gw_tx_pass(&l, 50 * SEC, 1000, &wake), 0);
  CHECK_EQ_UINT(wake, HS_TX_NEVER, "no byte yet: no clock");
  CHECK_EQ_INT(hs__gw_tx_cut(&l, 50 * SEC), HS_TX_GO);
  hs__gw_tx_take(&l, 5, 2 * SEC);
  CHECK_EQ_UINT(hs__gw_tx_pass(&l, 2 * SEC, 1000, &wake), 0);
  CHECK_EQ_UINT(wake, 2 * SEC + 300 * MS, "the reset comes before the held chunk is due");
  CHECK_EQ_INT(hs__gw_tx_cut(&l, 2 * SEC + 299 * MS), HS_TX_GO);
  CHECK_EQ_INT(hs__gw_tx_cut(&l, 2 * SEC + 300 * MS), HS_TX_RESET_NOW);
  t = spec("reset_peer:0");
  hs__gw_tx_init(&l, &t, 1);
  CHECK_EQ_INT(hs__gw_tx_cut(&l, 0), HS_TX_RESET_NOW, "reset_peer:0 resets at once");
  CHECK_EQ_UINT(hs__gw_tx_room(&l), 0);
}

HS_TEST(hold_is_bounded) {
  hs__gw_toxics_t t = spec("latency:1s");
  hs__gw_tx_t l;
  hs__gw_tx_init(&l, &t, 1);
  CHECK_EQ_UINT(hs__gw_tx_room(&l), HS_TX_HOLD);
  hs__gw_tx_take(&l, HS_TX_HOLD - 10, 0);
  CHECK_EQ_UINT(hs__gw_tx_room(&l), 10);
  hs__gw_tx_init(&l, &t, 1);
  for (int i = 0; i < HS_TX_CHUNKS; i++)
    hs__gw_tx_take(&l, 1, 0);
  CHECK_EQ_UINT(hs__gw_tx_room(&l), 0, "the chunk queue is full");
  uint64_t wake;
  CHECK_EQ_UINT(hs__gw_tx_pass(&l, 1 * SEC, 1000, &wake), 1);
  CHECK_EQ_UINT(hs__gw_tx_room(&l), HS_TX_HOLD - (HS_TX_CHUNKS - 1));
}

static const hs_test_case_t cases[] = {
    HS_CASE(grammar),
    HS_CASE(grammar_errors),
    HS_CASE(merge_and_cap),
    HS_CASE(latency_holds_each_chunk),
    HS_CASE(jitter_bounded_and_in_order),
    HS_CASE(bandwidth_paces_the_bytes),
    HS_CASE(slicer_cuts_and_spaces),
    HS_CASE(limit_data_closes_after_n_bytes),
    HS_CASE(reset_peer_after_bytes_or_time),
    HS_CASE(hold_is_bounded),
};

int main(int argc, char **argv) { return hs_test_main(argc, argv, cases, HS_COUNT(cases)); }
