/* permessage-deflate (RFC 7692): negotiation and the zlib streams. */
#include "ws/deflate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "base/str.h"

struct hs_ws_z_s {
  hs__ws_pmd_t pmd;
  z_stream def, inf;
  unsigned def_on : 1, inf_on : 1;
};

/* ---- negotiation ---- */

static const char *skip_ws(const char *p, const char *end) {
  while (p < end && (*p == ' ' || *p == '\t'))
    p++;
  return p;
}

/* A token at p (RFC 9110 §5.6.2); returns its end (p when there is none). */
static const char *token_end(const char *p, const char *end) {
  while (p < end && hs__is_tchar(*p))
    p++;
  return p;
}

/* A window-bits value: 8..15 in decimal, possibly quoted (RFC 7692 §7.1.2). */
static int window_bits(hs__str_t v) {
  if (v.len >= 2 && v.ptr[0] == '"' && v.ptr[v.len - 1] == '"')
    v = (hs__str_t){v.ptr + 1, v.len - 2};
  if (v.len == 1 && v.ptr[0] >= '8' && v.ptr[0] <= '9')
    return v.ptr[0] - '0';
  if (v.len == 2 && v.ptr[0] == '1' && v.ptr[1] >= '0' && v.ptr[1] <= '5')
    return 10 + v.ptr[1] - '0';
  return -1;
}

/* One offer's parameters, from just after the extension name to the end of the
 * offer (`,` or end). Returns 1 if acceptable (pmd filled), 0 if declined. */
static int offer_params(const char *p, const char *end, hs__ws_pmd_t *pmd) {
  enum { SNCT = 1, CNCT = 2, SMWB = 4, CMWB = 8 };
  unsigned seen = 0;
  memset(pmd, 0, sizeof *pmd);
  pmd->server_window_bits = 15;
  for (;;) {
    p = skip_ws(p, end);
    if (p == end)
      return 1;
    if (*p != ';')
      return 0;
    p = skip_ws(p + 1, end);
    const char *ne = token_end(p, end);
    hs__str_t name = {p, (size_t)(ne - p)}, val = {NULL, 0};
    if (name.len == 0)
      return 0;
    p = skip_ws(ne, end);
    if (p < end && *p == '=') {
      p = skip_ws(p + 1, end);
      const char *vs = p;
      if (p < end && *p == '"') {
        const char *q = memchr(p + 1, '"', (size_t)(end - p - 1));
        if (!q)
          return 0;
        p = q + 1;
      } else {
        p = token_end(p, end);
      }
      val = (hs__str_t){vs, (size_t)(p - vs)};
      if (val.len == 0)
        return 0;
    }
    unsigned bit;
    if (hs__str_ieq(name, "server_no_context_takeover", 26) && !val.ptr) {
      bit = SNCT;
      pmd->server_no_context_takeover = 1;
    } else if (hs__str_ieq(name, "client_no_context_takeover", 26) && !val.ptr) {
      bit = CNCT;
      pmd->client_no_context_takeover = 1;
    } else if (hs__str_ieq(name, "server_max_window_bits", 22) && val.ptr) {
      bit = SMWB;
      pmd->server_window_bits = window_bits(val);
      if (pmd->server_window_bits < 9) /* invalid, or 8: zlib's raw deflate needs 9+ */
        return 0;
    } else if (hs__str_ieq(name, "client_max_window_bits", 22)) {
      bit = CMWB; /* we inflate with a 15-bit window: any client window fits */
      if (val.ptr && window_bits(val) < 0)
        return 0;
    } else {
      return 0; /* unknown parameter, or a value where none belongs */
    }
    if (seen & bit)
      return 0; /* RFC 7692 §7: a parameter given twice declines the offer */
    seen |= bit;
  }
}

int hs__ws_pmd_negotiate(const char *v, size_t n, hs__ws_pmd_t *pmd, char *resp, size_t cap) {
  const char *p = v, *end = v + n;
  while (p < end) {
    /* one offer: up to the next comma outside quotes */
    const char *s = skip_ws(p, end), *e = s;
    int quoted = 0;
    while (e < end && (quoted || *e != ',')) {
      if (*e == '"')
        quoted = !quoted;
      e++;
    }
    p = e < end ? e + 1 : end;
    const char *ne = token_end(s, e);
    if (!hs__str_ieq((hs__str_t){s, (size_t)(ne - s)}, "permessage-deflate", 18))
      continue;
    if (!offer_params(ne, e, pmd))
      continue;
    int len = snprintf(resp, cap, "permessage-deflate%s%s",
                       pmd->server_no_context_takeover ? "; server_no_context_takeover" : "",
                       pmd->client_no_context_takeover ? "; client_no_context_takeover" : "");
    if (len > 0 && pmd->server_window_bits < 15 && (size_t)len < cap)
      len += snprintf(resp + len, cap - (size_t)len, "; server_max_window_bits=%d",
                      pmd->server_window_bits);
    return len > 0 && (size_t)len < cap;
  }
  return 0;
}

/* ---- streams ---- */

hs__ws_z_t *hs__ws_z_new(const hs__ws_pmd_t *pmd) {
  hs__ws_z_t *z = calloc(1, sizeof *z);
  if (z)
    z->pmd = *pmd;
  return z;
}

void hs__ws_z_free(hs__ws_z_t *z) {
  if (!z)
    return;
  if (z->def_on)
    deflateEnd(&z->def);
  if (z->inf_on)
    inflateEnd(&z->inf);
  free(z);
}

int hs__ws_z_compress(hs__ws_z_t *z, const void *p, size_t n, hs__buf_t *out) {
  if (!z->def_on) {
    if (deflateInit2(&z->def, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -z->pmd.server_window_bits, 8,
                     Z_DEFAULT_STRATEGY) != Z_OK)
      return -1;
    z->def_on = 1;
  }
  z->def.next_in = (Bytef *)(uintptr_t)p;
  z->def.avail_in = (uInt)n;
  do {
    char *d = hs__buf_reserve(out, n / 2 + 64);
    size_t room = out->cap - out->len;
    z->def.next_out = (Bytef *)d;
    z->def.avail_out = (uInt)(room > (1u << 30) ? (1u << 30) : room);
    uInt before = z->def.avail_out;
    if (deflate(&z->def, Z_SYNC_FLUSH) == Z_STREAM_ERROR)
      return -1;
    out->len += before - z->def.avail_out;
  } while (z->def.avail_out == 0 || z->def.avail_in > 0);
  /* RFC 7692 §7.2.1: the sync flush ends with 00 00 ff ff; remove it */
  if (out->len >= 4 && memcmp(out->base + out->len - 4, "\0\0\xff\xff", 4) == 0)
    out->len -= 4;
  if (z->pmd.server_no_context_takeover)
    deflateReset(&z->def);
  return 0;
}

/* Inflates n bytes at p into out, at most up to `limit` bytes in all. */
static int inflate_some(hs__ws_z_t *z, const void *p, size_t n, hs__buf_t *out, size_t limit) {
  z->inf.next_in = (Bytef *)(uintptr_t)p;
  z->inf.avail_in = (uInt)n;
  for (;;) {
    if (out->len >= limit + 1)
      return -2;
    size_t want = n * 4 + 256;
    if (want > limit + 1 - out->len)
      want = limit + 1 - out->len;
    char *d = hs__buf_reserve(out, want);
    z->inf.next_out = (Bytef *)d;
    z->inf.avail_out = (uInt)want;
    int r = inflate(&z->inf, Z_SYNC_FLUSH);
    out->len += want - z->inf.avail_out;
    if (out->len > limit)
      return -2;
    if (r == Z_STREAM_END) { /* a final block: the next bytes start a new stream */
      inflateReset(&z->inf);
      if (z->inf.avail_in == 0)
        return 0;
      continue;
    }
    if (r == Z_BUF_ERROR && z->inf.avail_in == 0)
      return 0;
    if (r != Z_OK)
      return -1;
    if (z->inf.avail_in == 0 && z->inf.avail_out > 0)
      return 0;
  }
}

int hs__ws_z_inflate(hs__ws_z_t *z, const void *p, size_t n, int last, hs__buf_t *out,
                     size_t limit) {
  if (!z->inf_on) {
    if (inflateInit2(&z->inf, -15) != Z_OK)
      return -1;
    z->inf_on = 1;
  }
  int r = n ? inflate_some(z, p, n, out, limit) : 0;
  if (r == 0 && last) {
    static const unsigned char tail[4] = {0, 0, 0xff, 0xff};
    r = inflate_some(z, tail, 4, out, limit);
  }
  if (r != 0 || (last && z->pmd.client_no_context_takeover))
    inflateReset(&z->inf);
  return r;
}
