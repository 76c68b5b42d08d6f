/* HTTP Digest access authentication (RFC 7616, which obsoletes RFC 2617):
 * challenge construction and credential verification, for
 * /digest-auth/{qop}/{user}/{passwd}[/{algorithm}[/{stale_after}]].
 *
 * httpbin 0.7 facts (helpers.py + Werkzeug 2.2), relevant to the flags below:
 *  - challenge: `Digest realm="me@kennethreitz.com", nonce="<hex>",
 *    qop="auth, auth-int", opaque="<hex>", algorithm=MD5, stale=FALSE` in this
 *    order; realm, nonce, qop, opaque quoted; algorithm and stale bare; nonce
 *    and opaque are hex digests of the chosen algorithm (32/64/128 chars); qop
 *    lists "auth, auth-int" when the URL's qop is neither auth nor auth-int;
 *  - credentials are accepted only with username, realm, nonce, uri and
 *    response present, and nc and cnonce non-empty when qop is present;
 *  - the hash uses the algorithm, realm and username the CLIENT sent (missing
 *    algorithm → MD5, anything unknown → MD5), the request's own
 *    path?query instead of the uri parameter, and never compares the username
 *    with the expected user (any username with the right password passes);
 *    "-sess" algorithms are hashed like the plain ones (RFC 7616 §3.4.2 is not
 *    implemented);
 *  - with a query string httpbin 0.7 on Python 3 answers 500 (str + bytes).
 * hb_digest_verify() is strict by default; HB_DIGEST_HTTPBIN_COMPAT selects
 * httpbin's laxness. */
#ifndef HS_HTTPBIN_DIGEST_H
#define HS_HTTPBIN_DIGEST_H

#include <stddef.h>

#include "base/str.h"

typedef enum hb_digest_alg_e {
  HB_DIGEST_MD5 = 0,
  HB_DIGEST_SHA256,
  HB_DIGEST_SHA512,     /* full SHA-512: httpbin's "SHA-512" (not in RFC 7616) */
  HB_DIGEST_SHA512_256, /* RFC 7616 "SHA-512-256" (SHA-512/256, FIPS 180-4) */
  HB_DIGEST_ALG_COUNT
} hb_digest_alg_t;

/* Longest hex digest (SHA-512) plus NUL. */
#define HB_DIGEST_HEX_MAX 129

enum { /* qop bits */
       HB_QOP_AUTH = 1,
       HB_QOP_AUTH_INT = 2,
};

/* Parses an algorithm token ("MD5", "SHA-256", "SHA-512", "SHA-512-256", each
 * optionally "-sess"; case-insensitive). Returns 0 and sets *alg, *sess, or -1. */
int hb_digest_alg_parse(hs__str_t s, hb_digest_alg_t *alg, int *sess);

/* Canonical token of an algorithm ("SHA-256"; with sess "SHA-256-sess").
 * Returns a static string. */
const char *hb_digest_alg_name(hb_digest_alg_t alg, int sess);

/* Hex digest (lower case) of data[0..n) into out (HB_DIGEST_HEX_MAX bytes);
 * returns its length (32, 64 or 128), or 0 if the hash is unavailable. */
size_t hb_digest_hex(hb_digest_alg_t alg, const void *data, size_t n, char *out);

/* ---- challenge (RFC 7616 §3.3) ------------------------------------------ */

typedef struct hb_digest_challenge_s {
  const char *realm;  /* quoted (with \" and \\ escaped) */
  const char *nonce;  /* quoted */
  const char *opaque; /* quoted; NULL: omitted */
  unsigned qop;       /* HB_QOP_* bits; 0: no qop parameter (RFC 2069 style) */
  hb_digest_alg_t alg;
  int sess;     /* "-sess" variant */
  int stale;    /* stale=TRUE / stale=FALSE */
  int no_alg;   /* omit the algorithm parameter */
  int no_stale; /* omit the stale parameter */
  int userhash; /* add userhash=true (RFC 7616 §3.4.4) */
} hb_digest_challenge_t;

/* Writes the WWW-Authenticate field value in httpbin's parameter order
 * (realm, nonce, qop, opaque, algorithm, stale[, userhash]) into out (cap
 * bytes, NUL-terminated when cap > 0). Returns the full length, which may be
 * >= cap (then the output is truncated, like snprintf). */
size_t hb_digest_challenge(const hb_digest_challenge_t *c, char *out, size_t cap);

/* ---- credentials (RFC 7616 §3.4, RFC 7235 §2.1) ------------------------- */

/* Parsed Authorization: Digest credentials. Values are unquoted UTF-8 views
 * into `mem`, which the struct owns (free with hb_digest_cred_free). A
 * parameter that was absent has ptr == NULL. */
typedef struct hb_digest_cred_s {
  hs__str_t username, realm, nonce, uri, response, algorithm, cnonce, opaque, qop, nc, userhash;
  int username_ext; /* username came from username* (RFC 8187) */
  char *mem;
} hb_digest_cred_t;

typedef enum hb_digest_rc_e {
  HB_DIGEST_OK = 0,
  HB_DIGEST_ENOMEM = -1,
  HB_DIGEST_ESCHEME = -2,   /* not "Digest ..." */
  HB_DIGEST_EPARSE = -3,    /* auth-param list malformed or a parameter repeated */
  HB_DIGEST_EMISSING = -4,  /* a required parameter is absent or empty */
  HB_DIGEST_EALG = -5,      /* unknown or not the expected algorithm */
  HB_DIGEST_EQOP = -6,      /* qop not offered */
  HB_DIGEST_EUSER = -7,     /* username (or userhash) does not match */
  HB_DIGEST_EREALM = -8,    /* realm does not match */
  HB_DIGEST_EURI = -9,      /* uri parameter is not the request-target */
  HB_DIGEST_EMISMATCH = -10 /* wrong response: wrong password, nonce, body, ... */
} hb_digest_rc_t;

/* Parses an Authorization field value: scheme "Digest" (case-insensitive)
 * then a comma-separated auth-param list (token = token / quoted-string;
 * empty list elements and unknown parameters are ignored; a repeated parameter
 * is an error). On success fills *c (release with hb_digest_cred_free, also
 * after an error). Returns HB_DIGEST_OK or a negative hb_digest_rc_t. Checks
 * what Werkzeug requires: username, realm, nonce, uri, response present, and
 * nc, cnonce non-empty when qop is present (else HB_DIGEST_EMISSING). */
int hb_digest_parse(hs__str_t value, hb_digest_cred_t *c);

void hb_digest_cred_free(hb_digest_cred_t *c);

/* Everything that goes into a response hash (RFC 7616 §3.4.1-3.4.3). */
typedef struct hb_digest_input_s {
  hb_digest_alg_t alg;
  int sess;
  hs__str_t username, realm, password;
  hs__str_t method, uri;
  hs__str_t nonce, nc, cnonce;
  unsigned qop;   /* 0 (none), HB_QOP_AUTH or HB_QOP_AUTH_INT */
  hs__str_t body; /* for auth-int */
} hb_digest_input_t;

/* The expected `response` value: with qop, H(HA1:nonce:nc:cnonce:qop:HA2),
 * without, H(HA1:nonce:HA2); HA1 = H(user:realm:pass), for -sess
 * H(H(user:realm:pass):nonce:cnonce); HA2 = H(method:uri), for auth-int
 * H(method:uri:H(body)). Writes hex to out (HB_DIGEST_HEX_MAX bytes) and
 * returns its length, or 0 on failure. Usable as a client too. */
size_t hb_digest_response(const hb_digest_input_t *in, char *out);

enum {                               /* hb_digest_check_t.flags */
       HB_DIGEST_HTTPBIN_COMPAT = 1, /* httpbin's rules: see the top of this file */
};

/* What the server expects. */
typedef struct hb_digest_check_s {
  hs__str_t user, password, realm;
  hs__str_t method;
  hs__str_t request_uri; /* request-target as received (path[?query]) */
  hs__str_t body;
  hb_digest_alg_t alg; /* expected algorithm (ignored in compat mode) */
  int sess;
  unsigned qop_allowed; /* HB_QOP_* bits offered; qop-less answers are accepted
                           only when this is 0 (ignored in compat mode) */
  unsigned flags;
} hb_digest_check_t;

/* Verifies parsed credentials. Strict mode checks, in this order: algorithm
 * equals the expected one (absent means MD5), qop is one that was offered,
 * realm and username match (userhash=true: username is H(user:realm)), the uri
 * parameter equals request_uri, then the response. Nonce freshness (stale,
 * replay) is the caller's business: compare c->nonce with what was issued.
 * Returns HB_DIGEST_OK or a negative hb_digest_rc_t. */
int hb_digest_verify(const hb_digest_cred_t *c, const hb_digest_check_t *chk);

#endif
