/* HTTP Digest authentication, RFC 7616 (and RFC 2617 for the qop-less form),
 * hashes through OpenSSL EVP. See digest.h for httpbin's quirks. */
#include "httpbin/digest.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/sbuf.h"
#include "base/str.h"
#include "base/utf8.h"

static const char *const ALG_NAMES[HB_DIGEST_ALG_COUNT] = {"MD5", "SHA-256", "SHA-512",
                                                           "SHA-512-256"};

/* See digest.h: "<name>[-sess]", case-insensitive. */
int hb_digest_alg_parse(hs__str_t s, hb_digest_alg_t *alg, int *sess) {
  size_t n = s.len;
  int se = 0;
  if (!s.ptr)
    return -1;
  if (n > 5 && !strncasecmp(s.ptr + n - 5, "-sess", 5)) {
    se = 1;
    n -= 5;
  }
  for (int a = 0; a < HB_DIGEST_ALG_COUNT; a++) {
    if (strlen(ALG_NAMES[a]) == n && !strncasecmp(s.ptr, ALG_NAMES[a], n)) {
      *alg = (hb_digest_alg_t)a;
      *sess = se;
      return 0;
    }
  }
  return -1;
}

const char *hb_digest_alg_name(hb_digest_alg_t alg, int sess) {
  static const char *const SESS[HB_DIGEST_ALG_COUNT] = {"MD5-sess", "SHA-256-sess", "SHA-512-sess",
                                                        "SHA-512-256-sess"};
  if (alg < 0 || alg >= HB_DIGEST_ALG_COUNT)
    return "MD5";
  return sess ? SESS[alg] : ALG_NAMES[alg];
}

static const EVP_MD *md_of(hb_digest_alg_t alg) {
  switch (alg) {
  case HB_DIGEST_MD5:
    return EVP_md5();
  case HB_DIGEST_SHA256:
    return EVP_sha256();
  case HB_DIGEST_SHA512:
    return EVP_sha512();
  case HB_DIGEST_SHA512_256:
    return EVP_sha512_256();
  default:
    return NULL;
  }
}

/* Hex digest of parts[0] ":" parts[1] ":" ... into out; returns its length or
 * 0 on failure. */
static size_t hash_parts(hb_digest_alg_t alg, const hs__str_t *parts, size_t n, char *out) {
  const EVP_MD *md = md_of(alg);
  EVP_MD_CTX *ctx = md ? EVP_MD_CTX_new() : NULL;
  unsigned char d[EVP_MAX_MD_SIZE];
  unsigned dl = 0;
  int ok = ctx && EVP_DigestInit_ex(ctx, md, NULL);
  for (size_t i = 0; ok && i < n; i++) {
    if (i)
      ok = EVP_DigestUpdate(ctx, ":", 1);
    if (ok && parts[i].len)
      ok = EVP_DigestUpdate(ctx, parts[i].ptr, parts[i].len);
  }
  if (ok)
    ok = EVP_DigestFinal_ex(ctx, d, &dl);
  EVP_MD_CTX_free(ctx);
  if (!ok || dl * 2 >= HB_DIGEST_HEX_MAX)
    return 0;
  static const char hex[] = "0123456789abcdef";
  for (unsigned i = 0; i < dl; i++) {
    out[2 * i] = hex[d[i] >> 4];
    out[2 * i + 1] = hex[d[i] & 15];
  }
  out[2 * dl] = '\0';
  return 2 * (size_t)dl;
}

size_t hb_digest_hex(hb_digest_alg_t alg, const void *data, size_t n, char *out) {
  hs__str_t p = {data, n};
  return hash_parts(alg, &p, 1, out);
}

/* ---- challenge ------------------------------------------------------------ */

typedef struct w_s {
  char *out;
  size_t cap, len;
} w_t;

/* Appends to a bounded snprintf-like writer: counts every byte, stores what fits. */
static void w_add(w_t *w, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++, w->len++)
    if (w->len + 1 < w->cap)
      w->out[w->len] = s[i];
}

static void w_str(w_t *w, const char *s) { w_add(w, s, strlen(s)); }

/* Appends `name="value"` with \ and " escaped (RFC 9110 §5.6.4 quoted-pair). */
static void w_quoted(w_t *w, const char *name, const char *v) {
  w_str(w, name);
  w_add(w, "=\"", 2);
  for (; *v; v++) {
    if (*v == '"' || *v == '\\')
      w_add(w, "\\", 1);
    w_add(w, v, 1);
  }
  w_add(w, "\"", 1);
}

/* See digest.h: httpbin's parameter order, snprintf-style truncation. */
size_t hb_digest_challenge(const hb_digest_challenge_t *c, char *out, size_t cap) {
  w_t w = {out, cap, 0};
  w_str(&w, "Digest ");
  w_quoted(&w, "realm", c->realm ? c->realm : "");
  w_str(&w, ", ");
  w_quoted(&w, "nonce", c->nonce ? c->nonce : "");
  if (c->qop) {
    w_str(&w, ", ");
    w_quoted(&w, "qop",
             (c->qop & HB_QOP_AUTH) && (c->qop & HB_QOP_AUTH_INT) ? "auth, auth-int"
             : (c->qop & HB_QOP_AUTH)                             ? "auth"
                                                                  : "auth-int");
  }
  if (c->opaque) {
    w_str(&w, ", ");
    w_quoted(&w, "opaque", c->opaque);
  }
  if (!c->no_alg) {
    w_str(&w, ", algorithm=");
    w_str(&w, hb_digest_alg_name(c->alg, c->sess));
  }
  if (!c->no_stale)
    w_str(&w, c->stale ? ", stale=TRUE" : ", stale=FALSE");
  if (c->userhash)
    w_str(&w, ", userhash=true");
  if (cap)
    out[w.len < cap ? w.len : cap - 1] = '\0';
  return w.len;
}

/* ---- credentials ---------------------------------------------------------- */

/* Decodes an RFC 8187 ext-value (charset'lang'pct-encoded) from v[0..n) to
 * dst (room for n bytes); returns the length or -1. UTF-8 and ISO-8859-1. */
static long ext_value(const char *v, size_t n, char *dst) {
  const char *q1 = memchr(v, '\'', n);
  if (!q1)
    return -1;
  const char *q2 = memchr(q1 + 1, '\'', (size_t)(v + n - q1 - 1));
  if (!q2)
    return -1;
  size_t cl = (size_t)(q1 - v);
  int utf8 = cl == 5 && !strncasecmp(v, "UTF-8", 5);
  int latin1 = cl == 10 && !strncasecmp(v, "ISO-8859-1", 10);
  if (!utf8 && !latin1)
    return -1;
  hs__sbuf_t raw = HS_SBUF_INIT, txt = HS_SBUF_INIT;
  for (const char *p = q2 + 1; p < v + n; p++) {
    if (*p == '%') {
      int h, l;
      if (p + 2 >= v + n || (h = hs__hexval((unsigned char)p[1])) < 0 ||
          (l = hs__hexval((unsigned char)p[2])) < 0) {
        hs__sbuf_free(&raw);
        return -1;
      }
      hs__sbuf_addc(&raw, (char)(h << 4 | l));
      p += 2;
    } else {
      hs__sbuf_addc(&raw, *p);
    }
  }
  long r = -1;
  if (utf8 && hs__utf8_valid(raw.p ? raw.p : "", raw.len))
    hs__sbuf_add(&txt, raw.p, raw.len);
  else if (latin1)
    hs__latin1_to_utf8(&txt, raw.p ? raw.p : "", raw.len);
  else
    txt.oom = 1;                              /* invalid UTF-8 */
  if (!raw.oom && !txt.oom && txt.len <= n) { /* the output may not outgrow the input */
    if (txt.len)
      memcpy(dst, txt.p, txt.len);
    r = (long)txt.len;
  }
  hs__sbuf_free(&raw);
  hs__sbuf_free(&txt);
  return r;
}

void hb_digest_cred_free(hb_digest_cred_t *c) {
  free(c->mem);
  memset(c, 0, sizeof *c);
}

/* Slot of a known parameter name, or NULL. */
static hs__str_t *slot(hb_digest_cred_t *c, const char *k, size_t kl, int *ext) {
  static const struct {
    const char *name;
    size_t off;
  } T[] = {
      {"username", offsetof(hb_digest_cred_t, username)},
      {"realm", offsetof(hb_digest_cred_t, realm)},
      {"nonce", offsetof(hb_digest_cred_t, nonce)},
      {"uri", offsetof(hb_digest_cred_t, uri)},
      {"response", offsetof(hb_digest_cred_t, response)},
      {"algorithm", offsetof(hb_digest_cred_t, algorithm)},
      {"cnonce", offsetof(hb_digest_cred_t, cnonce)},
      {"opaque", offsetof(hb_digest_cred_t, opaque)},
      {"qop", offsetof(hb_digest_cred_t, qop)},
      {"nc", offsetof(hb_digest_cred_t, nc)},
      {"userhash", offsetof(hb_digest_cred_t, userhash)},
  };
  *ext = 0;
  if (kl == 9 && !strncasecmp(k, "username*", 9)) {
    *ext = 1;
    return &c->username;
  }
  for (size_t i = 0; i < sizeof T / sizeof T[0]; i++)
    if (strlen(T[i].name) == kl && !strncasecmp(k, T[i].name, kl))
      return (hs__str_t *)((char *)c + T[i].off);
  return NULL;
}

/* See digest.h. All values are copied (unescaped) into c->mem, which c owns. */
int hb_digest_parse(hs__str_t value, hb_digest_cred_t *c) {
  memset(c, 0, sizeof *c);
  const char *p = value.ptr, *end = p + value.len;
  if (!p)
    return HB_DIGEST_ESCHEME;
  while (p < end && hs__is_ows(*p))
    p++;
  const char *s0 = p;
  while (p < end && hs__is_tchar((unsigned char)*p))
    p++;
  if (p - s0 != 6 || strncasecmp(s0, "Digest", 6) || (p < end && !hs__is_ows(*p)))
    return HB_DIGEST_ESCHEME;
  c->mem = malloc(value.len + 1);
  if (!c->mem)
    return HB_DIGEST_ENOMEM;
  char *m = c->mem;
  for (;;) {
    while (p < end && (hs__is_ows(*p) || *p == ','))
      p++; /* empty list elements */
    if (p >= end)
      break;
    const char *k = p;
    while (p < end && hs__is_tchar((unsigned char)*p))
      p++;
    size_t kl = (size_t)(p - k);
    while (p < end && hs__is_ows(*p))
      p++;
    if (!kl || p >= end || *p != '=')
      return HB_DIGEST_EPARSE;
    p++;
    while (p < end && hs__is_ows(*p))
      p++;
    const char *v = m;
    size_t vl = 0;
    if (p < end && *p == '"') {
      for (p++;; p++) {
        if (p >= end)
          return HB_DIGEST_EPARSE; /* unterminated */
        if (*p == '"')
          break;
        if (*p == '\\') {
          if (++p >= end)
            return HB_DIGEST_EPARSE;
        }
        m[vl++] = *p;
      }
      p++;
    } else { /* token; be lenient like Werkzeug: up to ',' minus OWS */
      const char *v0 = p;
      while (p < end && *p != ',')
        p++;
      const char *v1 = p;
      while (v1 > v0 && hs__is_ows(v1[-1]))
        v1--;
      if (v1 == v0)
        return HB_DIGEST_EPARSE;
      vl = (size_t)(v1 - v0);
      memcpy(m, v0, vl);
    }
    while (p < end && hs__is_ows(*p))
      p++;
    if (p < end && *p != ',')
      return HB_DIGEST_EPARSE;
    int ext;
    hs__str_t *sl = slot(c, k, kl, &ext);
    if (!sl)
      continue; /* unknown parameter: ignore (RFC 7616 §3.4) */
    if (sl->ptr)
      return HB_DIGEST_EPARSE; /* repeated, or username + username* */
    if (ext) {
      long dl = ext_value(v, vl, m);
      if (dl < 0)
        return HB_DIGEST_EPARSE;
      vl = (size_t)dl;
      c->username_ext = 1;
    }
    if (memchr(v, '\0', vl))
      return HB_DIGEST_EPARSE;
    *sl = (hs__str_t){v, vl};
    m += vl;
    *m++ = '\0';
  }
  if (!c->username.ptr || !c->realm.ptr || !c->nonce.ptr || !c->uri.ptr || !c->response.ptr)
    return HB_DIGEST_EMISSING;
  if (c->qop.ptr && (!c->nc.len || !c->cnonce.len))
    return HB_DIGEST_EMISSING;
  return HB_DIGEST_OK;
}

/* ---- response ------------------------------------------------------------- */

size_t hb_digest_response(const hb_digest_input_t *in, char *out) {
  char ha1[HB_DIGEST_HEX_MAX], ha2[HB_DIGEST_HEX_MAX], hb[HB_DIGEST_HEX_MAX];
  hs__str_t a1[3] = {in->username, in->realm, in->password};
  size_t l1 = hash_parts(in->alg, a1, 3, ha1);
  if (!l1)
    return 0;
  if (in->sess) { /* RFC 7616 §3.4.2 */
    hs__str_t s[3] = {{ha1, l1}, in->nonce, in->cnonce};
    char t[HB_DIGEST_HEX_MAX];
    if (!(l1 = hash_parts(in->alg, s, 3, t)))
      return 0;
    memcpy(ha1, t, l1 + 1);
  }
  size_t l2;
  if (in->qop == HB_QOP_AUTH_INT) { /* RFC 7616 §3.4.3 */
    size_t lb = hash_parts(in->alg, &in->body, 1, hb);
    if (!lb)
      return 0;
    hs__str_t a2[3] = {in->method, in->uri, {hb, lb}};
    l2 = hash_parts(in->alg, a2, 3, ha2);
  } else {
    hs__str_t a2[2] = {in->method, in->uri};
    l2 = hash_parts(in->alg, a2, 2, ha2);
  }
  if (!l2)
    return 0;
  if (in->qop) {
    hs__str_t q = in->qop == HB_QOP_AUTH_INT ? HS_STR("auth-int") : HS_STR("auth");
    hs__str_t r[6] = {{ha1, l1}, in->nonce, in->nc, in->cnonce, q, {ha2, l2}};
    return hash_parts(in->alg, r, 6, out);
  }
  hs__str_t r[3] = {{ha1, l1}, in->nonce, {ha2, l2}}; /* RFC 2069 */
  return hash_parts(in->alg, r, 3, out);
}

static int eq(hs__str_t a, hs__str_t b) {
  return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

static int eq_lit(hs__str_t a, const char *lit) {
  return a.ptr && a.len == strlen(lit) && memcmp(a.ptr, lit, a.len) == 0;
}

/* Constant-time comparison of hex strings; ci = ignore ASCII case. */
static int hex_eq(hs__str_t got, const char *want, size_t wl, int ci) {
  if (got.len != wl)
    return 0;
  unsigned char diff = 0;
  for (size_t i = 0; i < wl; i++) {
    unsigned char a = (unsigned char)got.ptr[i], b = (unsigned char)want[i];
    if (ci && a >= 'A' && a <= 'F')
      a = (unsigned char)(a + 32);
    diff |= (unsigned char)(a ^ b);
  }
  return diff == 0;
}

/* See digest.h; borrows both arguments, allocates nothing that outlives it. */
int hb_digest_verify(const hb_digest_cred_t *c, const hb_digest_check_t *chk) {
  int compat = chk->flags & HB_DIGEST_HTTPBIN_COMPAT;
  hb_digest_input_t in;
  memset(&in, 0, sizeof in);
  /* Algorithm. */
  if (compat) { /* helpers.H(): exact "SHA-256" / "SHA-512", else MD5 */
    in.alg = eq_lit(c->algorithm, "SHA-256")   ? HB_DIGEST_SHA256
             : eq_lit(c->algorithm, "SHA-512") ? HB_DIGEST_SHA512
                                               : HB_DIGEST_MD5;
  } else if (!c->algorithm.ptr) {
    in.alg = HB_DIGEST_MD5;
  } else if (hb_digest_alg_parse(c->algorithm, &in.alg, &in.sess)) {
    return HB_DIGEST_EALG;
  }
  if (!compat && (in.alg != chk->alg || in.sess != chk->sess))
    return HB_DIGEST_EALG;
  /* qop. */
  if (!c->qop.ptr)
    in.qop = 0;
  else if (eq_lit(c->qop, "auth"))
    in.qop = HB_QOP_AUTH;
  else if (eq_lit(c->qop, "auth-int"))
    in.qop = HB_QOP_AUTH_INT;
  else
    return HB_DIGEST_EQOP;
  if (!compat && (in.qop ? !(chk->qop_allowed & in.qop) : chk->qop_allowed != 0))
    return HB_DIGEST_EQOP;
  /* Realm, user, uri. */
  if (compat) {
    in.username = c->username;
    in.realm = c->realm;
  } else {
    if (!eq(c->realm, chk->realm))
      return HB_DIGEST_EREALM;
    if (eq_lit(c->userhash, "true")) { /* RFC 7616 §3.4.4 */
      char uh[HB_DIGEST_HEX_MAX];
      hs__str_t parts[2] = {chk->user, chk->realm};
      size_t ul = hash_parts(in.alg, parts, 2, uh);
      if (!ul || !hex_eq(c->username, uh, ul, 1))
        return HB_DIGEST_EUSER;
    } else if (!eq(c->username, chk->user)) {
      return HB_DIGEST_EUSER;
    }
    if (!eq(c->uri, chk->request_uri))
      return HB_DIGEST_EURI;
    in.username = chk->user;
    in.realm = chk->realm;
  }
  in.password = chk->password;
  in.method = chk->method;
  in.uri = chk->request_uri;
  in.nonce = c->nonce;
  in.nc = c->nc;
  in.cnonce = c->cnonce;
  in.body = chk->body;
  char want[HB_DIGEST_HEX_MAX];
  size_t wl = hb_digest_response(&in, want);
  if (!wl)
    return HB_DIGEST_ENOMEM;
  return hex_eq(c->response, want, wl, !compat) ? HB_DIGEST_OK : HB_DIGEST_EMISMATCH;
}
