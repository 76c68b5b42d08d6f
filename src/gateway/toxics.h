/* Toxics in toxiproxy's sense (issue 19), applied to the bytes an upstream
 * sends back to the proxy: the spec (parsed from `?toxics=` and
 * `--upstream-toxics`) and the I/O-free link that decides, from the bytes
 * taken in and the clock, how many may pass now, when the next may, and when
 * the link is cut (closed or reset). The socket side is server/toxic_link.c.
 *
 * Grammar (the same for the query parameter and the option):
 *   SPEC  = "none" / ITEM *("," ITEM)       ITEM = NAME ":" VALUE
 *   latency:DUR  jitter:DUR          each chunk read is held latency ± jitter
 *   bandwidth:KBPS                   at most KBPS × 1000 bytes per second
 *   slicer:BYTES  slicer_variation:BYTES  slicer_delay:DUR
 *                                    chunks cut in slices of BYTES ± variation,
 *                                    slicer_delay after each slice
 *   limit_data:BYTES                 close the link once BYTES have passed
 *   reset_peer:BYTES                 reset (RST) once BYTES have passed
 *   reset_timeout:DUR                reset DUR after the first byte arrived
 * DUR: a number with us, ms (the default) or s; BYTES: an integer with an
 * optional k (1000) or ki (1024) before an optional b ("16kb", "4kib"). Bytes
 * count the upstream's stream as sent (head, chunk framing and content), as a
 * TCP proxy in front of the upstream counts them. */
#ifndef HS_GATEWAY_TOXICS_H
#define HS_GATEWAY_TOXICS_H

#include <stddef.h>
#include <stdint.h>

/* Which toxics a spec sets (hs__gw_toxics_t.set). */
enum {
  HS_TX_LATENCY = 1 << 0,
  HS_TX_JITTER = 1 << 1,
  HS_TX_BANDWIDTH = 1 << 2,
  HS_TX_SLICER = 1 << 3,
  HS_TX_SLICER_VAR = 1 << 4,
  HS_TX_SLICER_DELAY = 1 << 5,
  HS_TX_LIMIT = 1 << 6,
  HS_TX_RESET = 1 << 7,
  HS_TX_RESET_TIMEOUT = 1 << 8,
};

typedef struct hs_gw_toxics_s {
  unsigned set;            /* HS_TX_* bits: which fields below apply */
  uint64_t latency_us;     /* added to each chunk */
  uint64_t jitter_us;      /* ± on each chunk's latency */
  uint64_t bandwidth_kbs;  /* KB/s, 1 KB = 1000 bytes (toxiproxy's rate) */
  uint64_t slice_avg;      /* slicer: average slice size in bytes */
  uint64_t slice_var;      /* ± on each slice's size */
  uint64_t slice_delay_us; /* after each slice */
  uint64_t limit_bytes;    /* limit_data */
  uint64_t reset_bytes;    /* reset_peer */
  uint64_t reset_us;       /* reset_timeout */
} hs__gw_toxics_t;

/* Parses spec[0..n) on top of *t (what it names replaces what *t had; "none"
 * clears *t). Returns 0, or -1 with a sentence for the client in err (cap
 * bytes, NUL-terminated); *t is then partly updated. */
int hs__gw_toxics_parse(hs__gw_toxics_t *t, const char *spec, size_t n, char *err, size_t cap);

/* Caps every duration at max_us (the server's --max-delay). */
void hs__gw_toxics_cap(hs__gw_toxics_t *t, uint64_t max_us);

/* The spec in the grammar above, canonical ("latency:200ms,jitter:50ms"),
 * cut to fit cap (NUL-terminated; "" when nothing is set). Returns its length. */
size_t hs__gw_toxics_format(const hs__gw_toxics_t *t, char *buf, size_t cap);

/* ---- the link ---- */

/* Bytes held at most (taken in, not passed yet): like a TCP window, it
 * bounds the rate under latency L to HS_TX_HOLD per L. */
#define HS_TX_HOLD 65536
#define HS_TX_CHUNKS 64 /* chunks held at most */
#define HS_TX_NEVER UINT64_MAX

typedef enum { HS_TX_GO = 0, HS_TX_CLOSE, HS_TX_RESET_NOW } hs__gw_tx_cut_t;

typedef struct hs_gw_tx_chunk_s {
  uint64_t end;    /* stream offset just past the chunk */
  uint64_t due_us; /* when its first byte may pass */
} hs__gw_tx_chunk_t;

/* One response's link. All times in µs on the caller's clock. */
typedef struct hs_gw_tx_s {
  hs__gw_toxics_t spec;
  uint64_t rng;                      /* xorshift64 state, never 0 */
  uint64_t in, out;                  /* bytes taken in; passed on */
  uint64_t first_us;                 /* first byte taken in (reset_timeout); NEVER */
  hs__gw_tx_chunk_t q[HS_TX_CHUNKS]; /* held chunks, oldest at qh */
  unsigned qh, qn;
  uint64_t last_due_us;                /* chunks pass in order */
  uint64_t slice_left;                 /* bytes left of the current slice */
  uint64_t slicer_free_us, bw_free_us; /* when the next slice, piece may start */
  uint64_t piece_len, piece_due_us;    /* the next piece, once scheduled */
} hs__gw_tx_t;

/* Starts a link with spec t; seed picks the jitter and slice sizes. */
void hs__gw_tx_init(hs__gw_tx_t *l, const hs__gw_toxics_t *t, uint64_t seed);

/* How many bytes the link takes in now (room in the hold, and never past
 * limit_data or reset_peer): 0 means do not read the upstream. */
size_t hs__gw_tx_room(const hs__gw_tx_t *l);

/* n bytes (n <= room) were taken in at now_us: one chunk. */
void hs__gw_tx_take(hs__gw_tx_t *l, size_t n, uint64_t now_us);

/* Is the link to be cut now? HS_TX_RESET_NOW once reset_peer bytes have
 * passed or reset_timeout has run out since the first byte; HS_TX_CLOSE once
 * limit_data bytes have passed; else HS_TX_GO. */
hs__gw_tx_cut_t hs__gw_tx_cut(const hs__gw_tx_t *l, uint64_t now_us);

/* The next piece that may pass at now_us, at most max bytes (the oldest held
 * bytes, in order): returns its length, 0 when none may pass yet. *wake_us
 * is then when the link next has something to do (a piece, a reset), or
 * HS_TX_NEVER when it waits only for the upstream. */
size_t hs__gw_tx_pass(hs__gw_tx_t *l, uint64_t now_us, size_t max, uint64_t *wake_us);

/* Bytes held (taken in, not passed). */
static inline uint64_t hs__gw_tx_held(const hs__gw_tx_t *l) { return l->in - l->out; }

#endif
