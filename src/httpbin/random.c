/* MT19937 (Matsumoto & Nishimura 1998) with CPython's seeding and byte
 * drawing, and UUID version 4 formatting (RFC 9562 §5.4). */
#include "httpbin/random.h"

#include <stdlib.h>
#include <string.h>

#define N 624
#define M 397

void hb_mt_seed(hb_mt_t *m, uint32_t s) {
  m->mt[0] = s;
  for (unsigned i = 1; i < N; i++)
    m->mt[i] = 1812433253u * (m->mt[i - 1] ^ (m->mt[i - 1] >> 30)) + i;
  m->idx = N;
}

void hb_mt_seed_array(hb_mt_t *m, const uint32_t *key, size_t n) {
  hb_mt_seed(m, 19650218u);
  size_t i = 1, j = 0, k = N > n ? N : n;
  for (; k; k--) {
    m->mt[i] =
        (m->mt[i] ^ ((m->mt[i - 1] ^ (m->mt[i - 1] >> 30)) * 1664525u)) + key[j] + (uint32_t)j;
    i++;
    j++;
    if (i >= N) {
      m->mt[0] = m->mt[N - 1];
      i = 1;
    }
    if (j >= n)
      j = 0;
  }
  for (k = N - 1; k; k--) {
    m->mt[i] = (m->mt[i] ^ ((m->mt[i - 1] ^ (m->mt[i - 1] >> 30)) * 1566083941u)) - (uint32_t)i;
    i++;
    if (i >= N) {
      m->mt[0] = m->mt[N - 1];
      i = 1;
    }
  }
  m->mt[0] = 0x80000000u; /* MSB is 1, assuring a non-zero initial array */
  m->idx = N;
}

uint32_t hb_mt_u32(hb_mt_t *m) {
  if (m->idx >= N) {
    unsigned k;
    uint32_t y;
    for (k = 0; k < N - M; k++) {
      y = (m->mt[k] & 0x80000000u) | (m->mt[k + 1] & 0x7fffffffu);
      m->mt[k] = m->mt[k + M] ^ (y >> 1) ^ ((y & 1u) ? 0x9908b0dfu : 0);
    }
    for (; k < N - 1; k++) {
      y = (m->mt[k] & 0x80000000u) | (m->mt[k + 1] & 0x7fffffffu);
      m->mt[k] = m->mt[k + M - N] ^ (y >> 1) ^ ((y & 1u) ? 0x9908b0dfu : 0);
    }
    y = (m->mt[N - 1] & 0x80000000u) | (m->mt[0] & 0x7fffffffu);
    m->mt[N - 1] = m->mt[M - 1] ^ (y >> 1) ^ ((y & 1u) ? 0x9908b0dfu : 0);
    m->idx = 0;
  }
  uint32_t y = m->mt[m->idx++];
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680u;
  y ^= (y << 15) & 0xefc60000u;
  y ^= y >> 18;
  return y;
}

double hb_mt_random(hb_mt_t *m) {
  uint32_t a = hb_mt_u32(m) >> 5, b = hb_mt_u32(m) >> 6;
  return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
}

/* See random.h: randint(0, 255) = getrandbits(9) retried while >= 256. */
void hb_mt_python_bytes(hb_mt_t *m, uint8_t *out, size_t n) {
  for (size_t i = 0; i < n; i++) {
    uint32_t r;
    do
      r = hb_mt_u32(m) >> 23; /* getrandbits(9) */
    while (r >= 256);
    out[i] = (uint8_t)r;
  }
}

/* See random.h: parses the decimal, converts it to little-endian 32-bit words
 * (base 10^9 chunks multiplied in), then init_by_array like CPython. */
int hb_mt_seed_python(hb_mt_t *m, hs__str_t text) {
  const char *p = text.ptr, *end = p ? p + text.len : p;
  if (!p)
    return -1;
  while (p < end && hs__is_pyspace(*p))
    p++;
  while (end > p && hs__is_pyspace(end[-1]))
    end--;
  if (p < end && (*p == '+' || *p == '-'))
    p++; /* random.seed takes abs() */
  if (p >= end)
    return -1;
  /* Validate: digits with single '_' between them (PEP 515). */
  size_t ndig = 0;
  for (const char *q = p; q < end; q++) {
    if (*q >= '0' && *q <= '9') {
      ndig++;
    } else if (*q == '_' && q > p && q + 1 < end && q[-1] != '_' && q[1] >= '0' && q[1] <= '9') {
      continue;
    } else {
      return -1;
    }
  }
  if (ndig > 4300)
    return -1;
  /* Base 10^9 → base 2^32, little-endian words: words = words * 10^k + chunk. */
  size_t cap = ndig / 9 + 2;
  uint32_t *w = calloc(cap, sizeof *w);
  if (!w)
    return -1;
  size_t nw = 0;
  uint32_t chunk = 0, mul = 1;
  for (const char *q = p; q <= end; q++) {
    int flush = q == end || mul == 1000000000u;
    if (flush && mul > 1) {
      uint64_t carry = chunk;
      for (size_t i = 0; i < nw; i++) {
        uint64_t t = (uint64_t)w[i] * mul + carry;
        w[i] = (uint32_t)t;
        carry = t >> 32;
      }
      if (carry)
        w[nw++] = (uint32_t)carry;
      chunk = 0;
      mul = 1;
    }
    if (q == end)
      break;
    if (*q == '_')
      continue;
    chunk = chunk * 10 + (uint32_t)(*q - '0');
    mul *= 10;
  }
  if (nw == 0)
    w[nw++] = 0; /* seed 0 → key [0] */
  hb_mt_seed_array(m, w, nw);
  free(w);
  return 0;
}

/* Copies 16 random bytes and stamps version 4 and the RFC 9562 variant. */
static void uuid_bytes(const uint8_t rnd[16], uint8_t b[16]) {
  memcpy(b, rnd, 16);
  b[6] = (uint8_t)((b[6] & 0x0F) | 0x40); /* version 4 */
  b[8] = (uint8_t)((b[8] & 0x3F) | 0x80); /* variant 10 */
}

void hb_uuid4(const uint8_t rnd[16], char out[37]) {
  static const char hex[] = "0123456789abcdef";
  uint8_t b[16];
  uuid_bytes(rnd, b);
  char *o = out;
  for (int i = 0; i < 16; i++) {
    if (i == 4 || i == 6 || i == 8 || i == 10)
      *o++ = '-';
    *o++ = hex[b[i] >> 4];
    *o++ = hex[b[i] & 15];
  }
  *o = '\0';
}

void hb_uuid4_hex(const uint8_t rnd[16], char out[33]) {
  static const char hex[] = "0123456789abcdef";
  uint8_t b[16];
  uuid_bytes(rnd, b);
  for (int i = 0; i < 16; i++) {
    out[2 * i] = hex[b[i] >> 4];
    out[2 * i + 1] = hex[b[i] & 15];
  }
  out[32] = '\0';
}
