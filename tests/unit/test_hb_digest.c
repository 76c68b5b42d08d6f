/* digest: RFC 7616 §3.9.1 (MD5, SHA-256) and §3.9.2 (SHA-512-256, userhash,
 * username*) examples, RFC 2617 §3.5, challenge format, parser robustness,
 * strict and httpbin-compatible verification. */
#include <stdlib.h>
#include <string.h>

#include "hs_test.h"
#include "httpbin/digest.h"

#define S(lit) ((hs__str_t){(lit), sizeof(lit) - 1})
#define Z(s) ((hs__str_t){(s), strlen(s)})

/* RFC 7616 §3.9.1. */
#define R7616_NONCE "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"
#define R7616_CNONCE "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"
#define R7616_OPAQUE "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"

static hb_digest_input_t rfc7616_input(hb_digest_alg_t alg) {
  hb_digest_input_t in = {alg,
                          0,
                          S("Mufasa"),
                          S("http-auth@example.org"),
                          S("Circle of Life"),
                          S("GET"),
                          S("/dir/index.html"),
                          S(R7616_NONCE),
                          S("00000001"),
                          S(R7616_CNONCE),
                          HB_QOP_AUTH,
                          {NULL, 0}};
  return in;
}

HS_TEST(vectors) {
  char out[HB_DIGEST_HEX_MAX];
  hb_digest_input_t in = rfc7616_input(HB_DIGEST_MD5);
  CHECK(hb_digest_response(&in, out) == 32 && !strcmp(out, "8ca523f5e9506fed4657c9700eebdbec"),
        "RFC 7616 MD5: %s", out);
  in = rfc7616_input(HB_DIGEST_SHA256);
  CHECK(hb_digest_response(&in, out) == 64 &&
            !strcmp(out, "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"),
        "RFC 7616 SHA-256: %s", out);
  /* RFC 2617 §3.5. */
  hb_digest_input_t r2617 = {HB_DIGEST_MD5,        0,
                             S("Mufasa"),          S("testrealm@host.com"),
                             S("Circle Of Life"),  S("GET"),
                             S("/dir/index.html"), S("dcd98b7102dd2f0e8b11d0f600bfb0c093"),
                             S("00000001"),        S("0a4f113b"),
                             HB_QOP_AUTH,          {NULL, 0}};
  CHECK(hb_digest_response(&r2617, out) == 32 && !strcmp(out, "6629fae49393a05397450978507c4ef1"),
        "RFC 2617: %s", out);
  /* RFC 7616 §3.9.2 inputs: SHA-512-256, username "J\xc3\xa4s\xc3\xb8n Doe". The RFC's
   * printed response (ae66e67d...) and userhash (48886947...) do not follow
   * from its inputs (erratum 4897); the expected values here were computed
   * independently with Python's hashlib.new("sha512_256"). */
  hb_digest_input_t r2 = {HB_DIGEST_SHA512_256,
                          0,
                          S("J\xc3\xa4s\xc3\xb8n Doe"),
                          S("api@example.org"),
                          S("Secret, or not?"),
                          S("GET"),
                          S("/doe.json"),
                          S("5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK"),
                          S("00000001"),
                          S("NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v"),
                          HB_QOP_AUTH,
                          {NULL, 0}};
  CHECK(hb_digest_response(&r2, out) == 64 &&
            !strcmp(out, "3798d4131c277846293534c3edc11bd8a5e4cdcbff78b05db9d95eeb1cec68a5"),
        "RFC 7616 §3.9.2 inputs: %s", out);
  /* Plain hashes. */
  CHECK(hb_digest_hex(HB_DIGEST_MD5, "", 0, out) == 32 &&
            !strcmp(out, "d41d8cd98f00b204e9800998ecf8427e"),
        "md5('')");
  CHECK(hb_digest_hex(HB_DIGEST_SHA512, "abc", 3, out) == 128 &&
            !strncmp(out, "ddaf35a193617aba", 16),
        "sha512(abc)");
}

/* httpbin's challenge line. */
HS_TEST(challenge) {
  char buf[512];
  hb_digest_challenge_t c = {"me@kennethreitz.com",
                             "432fce197de408cb6730cde3ed8a9eca",
                             "a454f068f699054466f76f40c23cd485",
                             HB_QOP_AUTH | HB_QOP_AUTH_INT,
                             HB_DIGEST_MD5,
                             0,
                             0,
                             0,
                             0,
                             0};
  size_t n = hb_digest_challenge(&c, buf, sizeof buf);
  const char *want =
      "Digest realm=\"me@kennethreitz.com\", nonce=\"432fce197de408cb6730cde3ed8a9eca\", "
      "qop=\"auth, auth-int\", opaque=\"a454f068f699054466f76f40c23cd485\", "
      "algorithm=MD5, stale=FALSE";
  CHECK(n == strlen(want) && !strcmp(buf, want), "challenge:\n %s\n %s", buf, want);
  c.qop = HB_QOP_AUTH;
  c.alg = HB_DIGEST_SHA256;
  c.stale = 1;
  c.realm = "a\"b\\c";
  c.opaque = NULL;
  c.userhash = 1;
  hb_digest_challenge(&c, buf, sizeof buf);
  CHECK_EQ_STR(buf,
               "Digest realm=\"a\\\"b\\\\c\", nonce=\"432fce197de408cb6730cde3ed8a9eca\", "
               "qop=\"auth\", algorithm=SHA-256, stale=TRUE, userhash=true",
               "challenge 2");
  c.qop = 0;
  c.no_alg = c.no_stale = 1;
  c.userhash = 0;
  c.sess = 1;
  hb_digest_challenge(&c, buf, sizeof buf);
  CHECK_EQ_STR(buf, "Digest realm=\"a\\\"b\\\\c\", nonce=\"432fce197de408cb6730cde3ed8a9eca\"",
               "challenge 3");
  char tiny[10];
  n = hb_digest_challenge(&c, tiny, sizeof tiny);
  CHECK(n == strlen(buf) && strlen(tiny) == 9 && !strncmp(tiny, "Digest re", 9), "truncation");
}

static const char RFC_HDR[] =
    "Digest username=\"Mufasa\",\n"
    "       realm=\"http-auth@example.org\", uri=\"/dir/index.html\", algorithm=MD5,"
    " nonce=\"" R7616_NONCE "\", nc=00000001, cnonce=\"" R7616_CNONCE "\", qop=auth,"
    " response=\"8ca523f5e9506fed4657c9700eebdbec\", opaque=\"" R7616_OPAQUE "\"";

static hb_digest_check_t rfc_check(void) {
  hb_digest_check_t k = {S("Mufasa"),
                         S("Circle of Life"),
                         S("http-auth@example.org"),
                         S("GET"),
                         S("/dir/index.html"),
                         {NULL, 0},
                         HB_DIGEST_MD5,
                         0,
                         HB_QOP_AUTH | HB_QOP_AUTH_INT,
                         0};
  return k;
}

HS_TEST(parse_verify) {
  hb_digest_cred_t c;
  /* Line breaks inside the value are not OWS: use the RFC text minus "\n  ". */
  char hdr[sizeof RFC_HDR];
  size_t j = 0;
  for (size_t i = 0; RFC_HDR[i]; i++) {
    if (RFC_HDR[i] == '\n') {
      while (RFC_HDR[i + 1] == ' ')
        i++;
      hdr[j++] = ' ';
      continue;
    }
    hdr[j++] = RFC_HDR[i];
  }
  hdr[j] = '\0';
  int rc = hb_digest_parse(Z(hdr), &c);
  CHECK_EQ_INT(rc, HB_DIGEST_OK, "parse rc");
  CHECK_EQ_MEM(c.username.ptr, c.username.len, "Mufasa", 6, "username");
  CHECK(c.nc.len == 8 && c.qop.len == 4 && c.opaque.len == strlen(R7616_OPAQUE), "tokens");
  hb_digest_check_t k = rfc_check();
  CHECK_EQ_INT(hb_digest_verify(&c, &k), HB_DIGEST_OK, "verify RFC example");
  k.password = S("Circle of life");
  CHECK_EQ_INT(hb_digest_verify(&c, &k), HB_DIGEST_EMISMATCH, "wrong password");
  k = rfc_check();
  k.user = S("Simba");
  CHECK_EQ_INT(hb_digest_verify(&c, &k), HB_DIGEST_EUSER, "wrong user (strict)");
  k.flags = HB_DIGEST_HTTPBIN_COMPAT;
  CHECK_EQ_INT(hb_digest_verify(&c, &k), HB_DIGEST_OK, "httpbin ignores the username");
  k = rfc_check();
  k.request_uri = S("/dir/index.html?x=1");
  CHECK_EQ_INT(hb_digest_verify(&c, &k), HB_DIGEST_EURI, "uri mismatch (strict)");
  k.flags = HB_DIGEST_HTTPBIN_COMPAT;
  CHECK_EQ_INT(hb_digest_verify(&c, &k), HB_DIGEST_EMISMATCH, "compat hashes the request uri");
  k = rfc_check();
  k.alg = HB_DIGEST_SHA256;
  CHECK_EQ_INT(hb_digest_verify(&c, &k), HB_DIGEST_EALG, "algorithm mismatch (strict)");
  k.flags = HB_DIGEST_HTTPBIN_COMPAT;
  CHECK_EQ_INT(hb_digest_verify(&c, &k), HB_DIGEST_OK, "compat uses the client's algorithm");
  k = rfc_check();
  k.qop_allowed = HB_QOP_AUTH_INT;
  CHECK_EQ_INT(hb_digest_verify(&c, &k), HB_DIGEST_EQOP, "qop not offered");
  k = rfc_check();
  k.realm = S("other");
  CHECK_EQ_INT(hb_digest_verify(&c, &k), HB_DIGEST_EREALM, "realm mismatch");
  hb_digest_cred_free(&c);
}

/* Round trips through a hand-built client for every algorithm × qop, -sess. */
HS_TEST(matrix) {
  const char *body = "{\"x\": 1}";
  for (int a = 0; a < HB_DIGEST_ALG_COUNT; a++) {
    for (unsigned qop = 0; qop <= HB_QOP_AUTH_INT; qop++) {
      for (int sess = 0; sess <= (qop ? 1 : 0); sess++) { /* -sess needs a cnonce */
        hb_digest_input_t in = {(hb_digest_alg_t)a,
                                sess,
                                S("user"),
                                S("me@kennethreitz.com"),
                                S("passwd"),
                                S("POST"),
                                S("/digest-auth/x/user/passwd"),
                                S("abcdef0123"),
                                S("0000000a"),
                                S("c0ffee"),
                                qop,
                                Z(body)};
        char resp[HB_DIGEST_HEX_MAX], hdr[1024];
        hb_digest_response(&in, resp);
        snprintf(hdr, sizeof hdr,
                 "digest  username=\"user\" ,realm=\"me@kennethreitz.com\",nonce=\"abcdef0123\","
                 "uri=\"/digest-auth/x/user/passwd\",response=\"%s\",algorithm=\"%s\"%s%s,,",
                 resp, hb_digest_alg_name((hb_digest_alg_t)a, sess),
                 qop ? ",nc=0000000a,cnonce=\"c0ffee\",qop=" : "",
                 qop == HB_QOP_AUTH ? "auth"
                 : qop              ? "auth-int"
                                    : "");
        hb_digest_cred_t c;
        int rc = hb_digest_parse(Z(hdr), &c);
        hb_digest_check_t k = {S("user"),
                               S("passwd"),
                               S("me@kennethreitz.com"),
                               S("POST"),
                               S("/digest-auth/x/user/passwd"),
                               Z(body),
                               (hb_digest_alg_t)a,
                               sess,
                               qop,
                               0};
        if (rc == HB_DIGEST_OK)
          rc = hb_digest_verify(&c, &k);
        CHECK_EQ_INT(rc, HB_DIGEST_OK, "alg %d qop %u sess %d (%s)", a, qop, sess, hdr);
        if (qop == HB_QOP_AUTH_INT) {
          k.body = S("{\"x\": 2}");
          CHECK_EQ_INT(hb_digest_verify(&c, &k), HB_DIGEST_EMISMATCH, "auth-int covers the body");
        }
        hb_digest_cred_free(&c);
      }
    }
  }
}

/* httpbin hashes "-sess" and unknown algorithms as plain MD5 in compat mode. */
HS_TEST(compat_algorithms) {
  hb_digest_input_t in = {HB_DIGEST_MD5, 0,      S("u"),        S("r"),  S("p"),      S("GET"),
                          S("/x"),       S("n"), S("00000001"), S("cn"), HB_QOP_AUTH, {NULL, 0}};
  char resp[HB_DIGEST_HEX_MAX], hdr[512];
  hb_digest_response(&in, resp);
  snprintf(hdr, sizeof hdr,
           "Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"/x\", response=\"%s\", "
           "algorithm=SHA-256-sess, qop=auth, nc=00000001, cnonce=\"cn\"",
           resp);
  hb_digest_cred_t c;
  CHECK_EQ_INT(hb_digest_parse(Z(hdr), &c), HB_DIGEST_OK, "parse");
  hb_digest_check_t k = {S("u"),    S("p"),        S("r"), S("GET"),    S("/x"),
                         {NULL, 0}, HB_DIGEST_MD5, 0,      HB_QOP_AUTH, HB_DIGEST_HTTPBIN_COMPAT};
  CHECK_EQ_INT(hb_digest_verify(&c, &k), HB_DIGEST_OK, "SHA-256-sess hashed as MD5 like httpbin");
  k.flags = 0;
  CHECK_EQ_INT(hb_digest_verify(&c, &k), HB_DIGEST_EALG, "strict refuses it");
  hb_digest_cred_free(&c);
}

HS_TEST(userhash) {
  /* RFC 7616 §3.9.2 with corrected values (see the vectors case): username =
   * H("J\xc3\xa4s\xc3\xb8n Doe:api@example.org") = 793263ca... */
  static const char hdr[] =
      "Digest username=\"793263caabb707a56211940d90411ea4a575adeccb7e360aeb624ed06ece9b0b\", "
      "realm=\"api@example.org\", uri=\"/doe.json\", algorithm=SHA-512-256, "
      "nonce=\"5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK\", nc=00000001, "
      "cnonce=\"NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v\", qop=auth, "
      "response=\"3798d4131c277846293534c3edc11bd8a5e4cdcbff78b05db9d95eeb1cec68a5\", "
      "opaque=\"HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS\", userhash=true";
  hb_digest_cred_t c;
  CHECK_EQ_INT(hb_digest_parse(S(hdr), &c), HB_DIGEST_OK, "parse userhash");
  hb_digest_check_t k = {S("J\xc3\xa4s\xc3\xb8n Doe"),
                         S("Secret, or not?"),
                         S("api@example.org"),
                         S("GET"),
                         S("/doe.json"),
                         {NULL, 0},
                         HB_DIGEST_SHA512_256,
                         0,
                         HB_QOP_AUTH,
                         0};
  CHECK_EQ_INT(hb_digest_verify(&c, &k), HB_DIGEST_OK, "userhash verifies");
  hb_digest_cred_free(&c);
  /* username* (RFC 8187) instead of userhash. */
  static const char hdr2[] =
      "Digest username*=UTF-8''J%C3%A4s%C3%B8n%20Doe, realm=\"api@example.org\", "
      "uri=\"/doe.json\", algorithm=SHA-512-256, "
      "nonce=\"5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK\", nc=00000001, "
      "cnonce=\"NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v\", qop=auth, "
      "response=\"3798d4131c277846293534c3edc11bd8a5e4cdcbff78b05db9d95eeb1cec68a5\"";
  CHECK(hb_digest_parse(S(hdr2), &c) == HB_DIGEST_OK && c.username_ext && c.username.len == 11,
        "username*");
  CHECK_EQ_INT(hb_digest_verify(&c, &k), HB_DIGEST_OK, "username* verifies");
  hb_digest_cred_free(&c);
}

HS_TEST(parse_errors) {
  static const struct {
    const char *h;
    int rc;
  } V[] = {
      {"Basic dXNlcjpwYXNz", HB_DIGEST_ESCHEME},
      {"Digestx a=b", HB_DIGEST_ESCHEME},
      {"", HB_DIGEST_ESCHEME},
      {"Digest", HB_DIGEST_EMISSING},
      {"Digest username=\"a", HB_DIGEST_EPARSE},
      {"Digest username=\"a\" realm=\"b\"", HB_DIGEST_EPARSE},
      {"Digest =x", HB_DIGEST_EPARSE},
      {"Digest username", HB_DIGEST_EPARSE},
      {"Digest username=", HB_DIGEST_EPARSE},
      {"Digest username=a, username=b", HB_DIGEST_EPARSE},
      {"Digest username=a, username*=UTF-8''b", HB_DIGEST_EPARSE},
      {"Digest username*=KOI8-R''x, realm=r, nonce=n, uri=/, response=x", HB_DIGEST_EPARSE},
      {"Digest username*=UTF-8''%ff, realm=r, nonce=n, uri=/, response=x", HB_DIGEST_EPARSE},
      {"Digest username=a, realm=r, nonce=n, uri=/", HB_DIGEST_EMISSING},
      {"Digest username=a, realm=r, nonce=n, uri=/, response=x, qop=auth", HB_DIGEST_EMISSING},
      {"Digest username=a, realm=r, nonce=n, uri=/, response=x, qop=auth, nc=1, cnonce=\"\"",
       HB_DIGEST_EMISSING},
      {"Digest username=a, realm=r, nonce=n, uri=/, response=x, qop=auth, nc=1, cnonce=c, foo=\"b,"
       "ar\", baz=1",
       HB_DIGEST_OK},
      {"DIGEST username=\"a\\\\b\\\"\",realm=r,nonce=n,uri=/,response=x", HB_DIGEST_OK},
  };
  for (size_t i = 0; i < sizeof V / sizeof V[0]; i++) {
    hb_digest_cred_t c;
    int rc = hb_digest_parse(Z(V[i].h), &c);
    CHECK_EQ_INT(rc, V[i].rc, "'%s'", V[i].h);
    if (i + 1 == sizeof V / sizeof V[0])
      CHECK_EQ_MEM(c.username.ptr, c.username.len, "a\\b\"", 4, "unescaped username");
    hb_digest_cred_free(&c);
  }
  /* Every prefix of a valid header parses or fails cleanly (ASan watches). */
  for (size_t n = 0; n < sizeof RFC_HDR; n++) {
    hb_digest_cred_t c;
    hb_digest_parse((hs__str_t){RFC_HDR, n}, &c);
    hb_digest_cred_free(&c);
  }
  hb_digest_alg_t alg;
  int sess;
  CHECK(hb_digest_alg_parse(S("sha-512-256-SESS"), &alg, &sess) == 0 &&
            alg == HB_DIGEST_SHA512_256 && sess == 1,
        "alg parse");
  CHECK_EQ_INT(hb_digest_alg_parse(S("SHA-1"), &alg, &sess), -1, "unknown alg");
}

static const hs_test_case_t cases[] = {
    HS_CASE(vectors),           HS_CASE(challenge), HS_CASE(parse_verify), HS_CASE(matrix),
    HS_CASE(compat_algorithms), HS_CASE(userhash),  HS_CASE(parse_errors),
};

int main(int argc, char **argv) { return hs_test_main(argc, argv, cases, HS_COUNT(cases)); }
