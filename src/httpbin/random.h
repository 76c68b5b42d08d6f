/* Deterministic randomness for /bytes/{n}?seed=, /stream-bytes/{n}?seed= and
 * UUIDs for /uuid.
 *
 * httpbin 0.7 does `random.seed(int(seed))` and then, per byte,
 * `random.randint(0, 255)`. On CPython 3.11 that is: MT19937 seeded with
 * init_by_array(key = |seed| as little-endian 32-bit words, [0] for 0), then
 * for each byte: r = genrand_uint32() >> 23 (9 bits), retried while r >= 256.
 * hb_mt_python_bytes() reproduces that stream byte for byte. MT19937 is
 * implemented here from Matsumoto & Nishimura (1998). */
#ifndef HS_HTTPBIN_RANDOM_H
#define HS_HTTPBIN_RANDOM_H

#include <stddef.h>
#include <stdint.h>

#include "base/str.h"

typedef struct hb_mt_s {
  uint32_t mt[624];
  unsigned idx;
} hb_mt_t;

/* init_genrand(s). */
void hb_mt_seed(hb_mt_t *m, uint32_t s);

/* init_by_array(key, n) (n >= 1). */
void hb_mt_seed_array(hb_mt_t *m, const uint32_t *key, size_t n);

/* Seeds like Python's random.seed(int(text)): text is a Python int literal in
 * decimal (surrounding whitespace, a sign and '_' between digits allowed; at
 * most 4300 digits, CPython 3.11's int() limit). Returns 0, or -1 if text is
 * not such an integer (httpbin would answer 500) or out of memory. */
int hb_mt_seed_python(hb_mt_t *m, hs__str_t text);

/* Next 32-bit output (genrand_uint32). */
uint32_t hb_mt_u32(hb_mt_t *m);

/* Python's random.random(): 53-bit float in [0, 1). */
double hb_mt_random(hb_mt_t *m);

/* Python's random.randint(0, 255) n times (bytearray of /bytes/{n}). */
void hb_mt_python_bytes(hb_mt_t *m, uint8_t *out, size_t n);

/* Formats 16 random bytes as a version-4 UUID (RFC 9562 §5.4): the version
 * and variant bits are overwritten. out gets 36 characters + NUL, lower case,
 * like Python's str(uuid.uuid4()). */
void hb_uuid4(const uint8_t rnd[16], char out[37]);

/* Python's uuid.uuid4().hex (32 lower-case hex digits + NUL), used by /cache
 * for its ETag. */
void hb_uuid4_hex(const uint8_t rnd[16], char out[33]);

#endif
