/* Toxics (toxics.h): the spec's parser and printer, and the link's clock
 * arithmetic. No I/O and no clock of its own: times come from the caller. */
#include "gateway/toxics.h"

#include <stdio.h>
#include <string.h>

#define MAX_US 1000000000000ull /* any duration: 11.5 days before --max-delay caps it */
#define MAX_BYTES (1ull << 50)

/* ---- the spec ---- */

typedef enum { V_DUR, V_BYTES, V_RATE } vkind_t;

typedef struct {
  const char *name;
  unsigned bit;
  vkind_t kind;
  size_t off; /* of the uint64_t field in hs__gw_toxics_t */
} key_t;

#define F(field) offsetof(hs__gw_toxics_t, field)
static const key_t keys[] = {
    {"latency", HS_TX_LATENCY, V_DUR, F(latency_us)},
    {"jitter", HS_TX_JITTER, V_DUR, F(jitter_us)},
    {"bandwidth", HS_TX_BANDWIDTH, V_RATE, F(bandwidth_kbs)},
    {"slicer", HS_TX_SLICER, V_BYTES, F(slice_avg)},
    {"slicer_variation", HS_TX_SLICER_VAR, V_BYTES, F(slice_var)},
    {"slicer_delay", HS_TX_SLICER_DELAY, V_DUR, F(slice_delay_us)},
    {"limit_data", HS_TX_LIMIT, V_BYTES, F(limit_bytes)},
    {"reset_peer", HS_TX_RESET, V_BYTES, F(reset_bytes)},
    {"reset_timeout", HS_TX_RESET_TIMEOUT, V_DUR, F(reset_us)},
};
#undef F

static uint64_t *field(hs__gw_toxics_t *t, const key_t *k) {
  return (uint64_t *)(void *)((char *)t + k->off);
}

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c | 0x20 : c; }

/* Is s[0..n) the suffix `lit` (lower case), compared without case? */
static int suffix_is(const char *s, size_t n, const char *lit) {
  if (n != strlen(lit))
    return 0;
  for (size_t i = 0; i < n; i++)
    if (lower((unsigned char)s[i]) != lit[i])
      return 0;
  return 1;
}

/* A duration: digits, an optional fraction, then us, ms (default) or s.
 * Returns 0 with *us, or -1. */
static int parse_dur(const char *s, size_t n, uint64_t *us) {
  size_t i = 0;
  uint64_t whole = 0, frac = 0, scale = 1;
  if (!n || s[0] < '0' || s[0] > '9')
    return -1;
  for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
    whole = whole * 10 + (uint64_t)(s[i] - '0');
    if (whole > MAX_US)
      return -1;
  }
  if (i < n && s[i] == '.') {
    size_t d = ++i;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
      if (i - d < 6)
        frac = frac * 10 + (uint64_t)(s[i] - '0'), scale *= 10;
    if (i == d)
      return -1;
  }
  uint64_t unit = suffix_is(s + i, n - i, "us")   ? 1
                  : suffix_is(s + i, n - i, "s")  ? 1000000
                  : suffix_is(s + i, n - i, "ms") ? 1000
                  : i == n                        ? 1000
                                                  : 0;
  if (!unit || whole * unit > MAX_US)
    return -1;
  *us = whole * unit + frac * unit / scale;
  return 0;
}

/* A count of bytes: digits, then nothing, b, k[b] (1000), ki[b] (1024),
 * m[b], mi[b]. Returns 0 with *v, or -1. */
static int parse_bytes(const char *s, size_t n, uint64_t *v) {
  size_t i = 0;
  uint64_t x = 0;
  if (!n || s[0] < '0' || s[0] > '9')
    return -1;
  for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
    x = x * 10 + (uint64_t)(s[i] - '0');
    if (x > MAX_BYTES)
      return -1;
  }
  static const struct {
    const char *sfx;
    uint64_t mul;
  } units[] = {{"", 1},       {"b", 1},       {"k", 1000},     {"kb", 1000},    {"ki", 1024},
               {"kib", 1024}, {"m", 1000000}, {"mb", 1000000}, {"mi", 1 << 20}, {"mib", 1 << 20}};
  for (size_t u = 0; u < sizeof(units) / sizeof(units[0]); u++)
    if (suffix_is(s + i, n - i, units[u].sfx)) {
      if (x > MAX_BYTES / units[u].mul)
        return -1;
      *v = x * units[u].mul;
      return 0;
    }
  return -1;
}

int hs__gw_toxics_parse(hs__gw_toxics_t *t, const char *spec, size_t n, char *err, size_t cap) {
  if (n == 4 && memcmp(spec, "none", 4) == 0) {
    memset(t, 0, sizeof(*t));
    return 0;
  }
  if (!n) {
    snprintf(err, cap, "toxics is empty (none, or name:value items separated by commas)");
    return -1;
  }
  const char *p = spec, *end = spec + n;
  while (p <= end) {
    const char *comma = memchr(p, ',', (size_t)(end - p));
    const char *ie = comma ? comma : end;
    const char *colon = memchr(p, ':', (size_t)(ie - p));
    const key_t *k = NULL;
    for (size_t i = 0; colon && i < sizeof(keys) / sizeof(keys[0]); i++)
      if (strlen(keys[i].name) == (size_t)(colon - p) && memcmp(keys[i].name, p, colon - p) == 0)
        k = &keys[i];
    if (!k) {
      snprintf(err, cap,
               "unknown toxic '%.*s' (latency, jitter, bandwidth, slicer, slicer_variation, "
               "slicer_delay, limit_data, reset_peer, reset_timeout, each as name:value)",
               (int)(ie - p > 40 ? 40 : ie - p), p);
      return -1;
    }
    const char *v = colon + 1;
    size_t vl = (size_t)(ie - v);
    uint64_t x = 0;
    int bad = k->kind == V_DUR ? parse_dur(v, vl, &x) : parse_bytes(v, vl, &x);
    if (!bad && k->kind == V_RATE && x < 1)
      bad = 1;
    if (bad) {
      snprintf(err, cap, "%s:%.*s is not %s", k->name, (int)(vl > 40 ? 40 : vl), v,
               k->kind == V_DUR    ? "a duration (us, ms or s; ms by default)"
               : k->kind == V_RATE ? "a rate in KB/s of at least 1"
                                   : "a number of bytes (k = 1000, ki = 1024)");
      return -1;
    }
    *field(t, k) = x;
    t->set |= k->bit;
    if (!comma)
      break;
    p = comma + 1;
  }
  if ((t->set & HS_TX_SLICER) && t->slice_avg < 1) {
    snprintf(err, cap, "slicer needs slices of at least 1 byte");
    return -1;
  }
  if ((t->set & (HS_TX_SLICER_VAR | HS_TX_SLICER_DELAY)) && !(t->set & HS_TX_SLICER)) {
    snprintf(err, cap, "slicer_variation and slicer_delay go with slicer:BYTES");
    return -1;
  }
  if ((t->set & HS_TX_SLICER_VAR) && t->slice_var >= t->slice_avg) {
    snprintf(err, cap, "slicer_variation must be smaller than slicer");
    return -1;
  }
  return 0;
}

void hs__gw_toxics_cap(hs__gw_toxics_t *t, uint64_t max_us) {
  uint64_t *d[] = {&t->latency_us, &t->jitter_us, &t->slice_delay_us, &t->reset_us};
  for (size_t i = 0; i < sizeof(d) / sizeof(d[0]); i++)
    if (*d[i] > max_us)
      *d[i] = max_us;
}

size_t hs__gw_toxics_format(const hs__gw_toxics_t *t, char *buf, size_t cap) {
  size_t len = 0;
  if (!cap)
    return 0;
  buf[0] = 0;
  for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
    const key_t *k = &keys[i];
    if (!(t->set & k->bit))
      continue;
    uint64_t v = *field((hs__gw_toxics_t *)t, k);
    char item[64];
    int m;
    if (k->kind != V_DUR)
      m = snprintf(item, sizeof(item), "%s%s:%llu", len ? "," : "", k->name, (unsigned long long)v);
    else if (v % 1000000 == 0 && v)
      m = snprintf(item, sizeof(item), "%s%s:%llus", len ? "," : "", k->name,
                   (unsigned long long)(v / 1000000));
    else if (v % 1000 == 0)
      m = snprintf(item, sizeof(item), "%s%s:%llums", len ? "," : "", k->name,
                   (unsigned long long)(v / 1000));
    else
      m = snprintf(item, sizeof(item), "%s%s:%lluus", len ? "," : "", k->name,
                   (unsigned long long)v);
    if (m < 0 || len + (size_t)m >= cap)
      break;
    memcpy(buf + len, item, (size_t)m + 1);
    len += (size_t)m;
  }
  return len;
}

/* ---- the link ---- */

static uint64_t next_rand(hs__gw_tx_t *l) {
  uint64_t x = l->rng;
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  return l->rng = x;
}

/* A uniform draw in [base - var, base + var], never below `floor`. */
static uint64_t spread(hs__gw_tx_t *l, uint64_t base, uint64_t var, uint64_t floor) {
  if (!var)
    return base;
  uint64_t r = next_rand(l) % (2 * var + 1);
  uint64_t v = base + r;
  return v < var + floor ? floor : v - var;
}

void hs__gw_tx_init(hs__gw_tx_t *l, const hs__gw_toxics_t *t, uint64_t seed) {
  memset(l, 0, sizeof(*l));
  l->spec = *t;
  l->rng = seed ? seed : 0x9e3779b97f4a7c15ull;
  l->first_us = HS_TX_NEVER;
}

size_t hs__gw_tx_room(const hs__gw_tx_t *l) {
  if (l->qn == HS_TX_CHUNKS)
    return 0;
  uint64_t room = HS_TX_HOLD - hs__gw_tx_held(l);
  const hs__gw_toxics_t *t = &l->spec;
  uint64_t left[2] = {(t->set & HS_TX_LIMIT) ? t->limit_bytes : HS_TX_NEVER,
                      (t->set & HS_TX_RESET) ? t->reset_bytes : HS_TX_NEVER};
  for (int i = 0; i < 2; i++) {
    uint64_t r = left[i] > l->in ? left[i] - l->in : 0;
    if (r < room)
      room = r;
  }
  return (size_t)room;
}

/* toxiproxy's latency: each chunk waits latency ± jitter from its arrival,
 * and never passes a chunk that came before it. */
void hs__gw_tx_take(hs__gw_tx_t *l, size_t n, uint64_t now_us) {
  if (!n)
    return;
  if (l->first_us == HS_TX_NEVER)
    l->first_us = now_us;
  uint64_t due = now_us + spread(l, l->spec.latency_us, l->spec.jitter_us, 0);
  if (due < l->last_due_us)
    due = l->last_due_us;
  l->last_due_us = due;
  l->in += n;
  hs__gw_tx_chunk_t *c = &l->q[(l->qh + l->qn) % HS_TX_CHUNKS];
  c->end = l->in;
  c->due_us = due;
  l->qn++;
}

hs__gw_tx_cut_t hs__gw_tx_cut(const hs__gw_tx_t *l, uint64_t now_us) {
  const hs__gw_toxics_t *t = &l->spec;
  if ((t->set & HS_TX_RESET) && l->out >= t->reset_bytes)
    return HS_TX_RESET_NOW;
  if ((t->set & HS_TX_RESET_TIMEOUT) && l->first_us != HS_TX_NEVER &&
      now_us - l->first_us >= t->reset_us)
    return HS_TX_RESET_NOW;
  if ((t->set & HS_TX_LIMIT) && l->out >= t->limit_bytes)
    return HS_TX_CLOSE;
  return HS_TX_GO;
}

/* Schedules the next piece of the oldest chunk: the slicer cuts it, the
 * bandwidth spreads it (at most 100 ms of the rate at a time, each piece
 * passing when the rate has carried it). Commits the slicer's and the
 * bandwidth's clocks. */
static void schedule(hs__gw_tx_t *l, uint64_t now_us) {
  const hs__gw_toxics_t *t = &l->spec;
  const hs__gw_tx_chunk_t *c = &l->q[l->qh];
  uint64_t rest = c->end - l->out;
  uint64_t len = rest;
  uint64_t due = c->due_us;
  if ((t->set & HS_TX_BANDWIDTH) && len > t->bandwidth_kbs * 100)
    len = t->bandwidth_kbs * 100; /* bytes in 100 ms */
  if (t->set & HS_TX_SLICER) {
    if (!l->slice_left)
      l->slice_left = spread(l, t->slice_avg, t->slice_var, 1);
    if (len > l->slice_left)
      len = l->slice_left;
    if (due < l->slicer_free_us)
      due = l->slicer_free_us;
    l->slice_left = len == rest ? 0 : l->slice_left - len; /* slices end with their chunk */
    l->slicer_free_us = due + (l->slice_left ? 0 : t->slice_delay_us);
  }
  if (t->set & HS_TX_BANDWIDTH) {
    uint64_t start = due;
    if (start < l->bw_free_us)
      start = l->bw_free_us;
    if (start < now_us) /* time the link stood idle is no credit */
      start = now_us;
    due = start + len * 1000 / t->bandwidth_kbs;
    l->bw_free_us = due;
  }
  l->piece_len = len;
  l->piece_due_us = due;
}

/* When reset_timeout runs out, or HS_TX_NEVER. */
static uint64_t reset_at(const hs__gw_tx_t *l) {
  if (!(l->spec.set & HS_TX_RESET_TIMEOUT) || l->first_us == HS_TX_NEVER)
    return HS_TX_NEVER;
  return l->first_us + l->spec.reset_us;
}

size_t hs__gw_tx_pass(hs__gw_tx_t *l, uint64_t now_us, size_t max, uint64_t *wake_us) {
  *wake_us = reset_at(l);
  if (!l->qn || !max)
    return 0;
  if (!l->piece_len)
    schedule(l, now_us);
  if (l->piece_due_us > now_us) {
    if (l->piece_due_us < *wake_us)
      *wake_us = l->piece_due_us;
    return 0;
  }
  size_t n = l->piece_len < max ? (size_t)l->piece_len : max;
  l->piece_len -= n;
  l->out += n;
  if (l->out == l->q[l->qh].end) { /* the chunk has passed */
    l->qh = (l->qh + 1) % HS_TX_CHUNKS;
    l->qn--;
  }
  return n;
}
