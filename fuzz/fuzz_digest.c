/* libFuzzer harness for Digest credentials (src/httpbin/digest.c, RFC 7616):
 * the input's first line is an Authorization field value, the rest the
 * request body (for qop=auth-int). Oracle: parsing returns a documented code,
 * and on success the required parameters are there; verification returns a
 * documented code in both modes; and, closing the loop, credentials whose
 * response is replaced by hb_digest_response() of their own parameters (and
 * a password) verify as HB_DIGEST_OK against a check built from them: strict
 * mode wherever their algorithm and qop are ones it knows, and httpbin's
 * compatible mode always. */
#include <stdlib.h>

#include "fuzz_harness.h"
#include "httpbin/digest.h"

static const hs__str_t PASSWORD = {"passwd", 6};
static const hs__str_t METHOD = {"GET", 3};
static const hs__str_t TARGET = {"/digest-auth/auth/user/passwd", 29};

static void check_rc(int rc) {
  if (rc > HB_DIGEST_OK || rc < HB_DIGEST_EMISMATCH)
    abort();
}

/* c's qop as HB_QOP_* (0 when absent); -1 for a value verify refuses. */
static int qop_of(const hb_digest_cred_t *c) {
  if (!c->qop.ptr)
    return 0;
  if (c->qop.len == 4 && !memcmp(c->qop.ptr, "auth", 4))
    return HB_QOP_AUTH;
  if (c->qop.len == 8 && !memcmp(c->qop.ptr, "auth-int", 8))
    return HB_QOP_AUTH_INT;
  return -1;
}

static int lit_is(hs__str_t s, const char *lit) {
  return s.ptr && s.len == strlen(lit) && !memcmp(s.ptr, lit, s.len);
}

/* Verifies c with its response replaced by the right one for `in`. */
static int verify_with_right_response(hb_digest_cred_t *c, const hb_digest_input_t *in,
                                      const hb_digest_check_t *chk) {
  char want[HB_DIGEST_HEX_MAX];
  size_t wl = hb_digest_response(in, want);
  if (!wl)
    abort();
  hs__str_t sent = c->response;
  c->response = (hs__str_t){want, wl};
  int rc = hb_digest_verify(c, chk);
  c->response = sent;
  return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *body;
  size_t len, vl = hs_fuzz_split(data, size, &body, &len);
  hb_digest_cred_t c;
  int rc = hb_digest_parse((hs__str_t){(const char *)data, vl}, &c);
  check_rc(rc);
  if (rc != HB_DIGEST_OK) {
    hb_digest_cred_free(&c);
    return 0;
  }
  if (!c.username.ptr || !c.realm.ptr || !c.nonce.ptr || !c.uri.ptr || !c.response.ptr)
    abort();
  int qop = qop_of(&c);

  /* httpbin's mode: the client's algorithm, user and realm; the request's uri */
  hb_digest_check_t chk = {.user = HS_STR("user"),
                           .password = PASSWORD,
                           .realm = HS_STR("me@kennethreitz.com"),
                           .method = METHOD,
                           .request_uri = TARGET,
                           .body = {body, len},
                           .flags = HB_DIGEST_HTTPBIN_COMPAT};
  check_rc(hb_digest_verify(&c, &chk));
  if (qop >= 0) {
    hb_digest_input_t in = {.alg = lit_is(c.algorithm, "SHA-256")   ? HB_DIGEST_SHA256
                                   : lit_is(c.algorithm, "SHA-512") ? HB_DIGEST_SHA512
                                                                    : HB_DIGEST_MD5,
                            .username = c.username,
                            .realm = c.realm,
                            .password = PASSWORD,
                            .method = METHOD,
                            .uri = TARGET,
                            .nonce = c.nonce,
                            .nc = c.nc,
                            .cnonce = c.cnonce,
                            .qop = (unsigned)qop,
                            .body = {body, len}};
    if (verify_with_right_response(&c, &in, &chk) != HB_DIGEST_OK)
      abort();
  }

  /* strict mode, expecting exactly what the credentials say */
  hb_digest_alg_t alg = HB_DIGEST_MD5;
  int sess = 0;
  int alg_ok = !c.algorithm.ptr || hb_digest_alg_parse(c.algorithm, &alg, &sess) == 0;
  hb_digest_check_t strict = {.user = c.username,
                              .password = PASSWORD,
                              .realm = c.realm,
                              .method = METHOD,
                              .request_uri = c.uri,
                              .body = {body, len},
                              .alg = alg,
                              .sess = sess,
                              .qop_allowed = qop > 0 ? (unsigned)qop : 0};
  check_rc(hb_digest_verify(&c, &strict));
  if (alg_ok && qop >= 0 && !lit_is(c.userhash, "true")) {
    hb_digest_input_t in = {.alg = alg,
                            .sess = sess,
                            .username = c.username,
                            .realm = c.realm,
                            .password = PASSWORD,
                            .method = METHOD,
                            .uri = c.uri,
                            .nonce = c.nonce,
                            .nc = c.nc,
                            .cnonce = c.cnonce,
                            .qop = (unsigned)qop,
                            .body = {body, len}};
    if (verify_with_right_response(&c, &in, &strict) != HB_DIGEST_OK)
      abort();
  }
  char challenge[512];
  hb_digest_challenge_t ch = {
      .realm = "\"r\"", .nonce = "\"n\"", .qop = HB_QOP_AUTH, .alg = alg, .sess = sess};
  if (hb_digest_challenge(&ch, challenge, sizeof challenge) >= sizeof challenge)
    abort();
  hb_digest_cred_free(&c);
  return 0;
}
