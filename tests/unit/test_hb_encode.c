/* encode: each coding decodes back with the reference decoder, the framing is
 * the one httpbin uses (gzip member, zlib stream), Accept-Encoding choice. */
#include <brotli/decode.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "hs_test.h"
#include "httpbin/encode.h"

#define S(lit) ((hs__str_t){(lit), sizeof(lit) - 1})

static int inflate_all(const unsigned char *in, size_t n, int wbits, unsigned char *out, size_t cap,
                       size_t *len) {
  z_stream z;
  memset(&z, 0, sizeof z);
  if (inflateInit2(&z, wbits) != Z_OK)
    return -1;
  z.next_in = (Bytef *)in;
  z.avail_in = (uInt)n;
  z.next_out = out;
  z.avail_out = (uInt)cap;
  int rc = inflate(&z, Z_FINISH);
  *len = cap - z.avail_out;
  inflateEnd(&z);
  return rc == Z_STREAM_END ? 0 : -1;
}

HS_TEST(roundtrip) {
  static unsigned char src[100000], back[100000];
  for (size_t i = 0; i < sizeof src; i++)
    src[i] = (unsigned char)("httpbin "[i % 8] ^ (i / 977));
  size_t sizes[] = {0, 1, 100, sizeof src};
  for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
    size_t n = sizes[s];
    for (int e = HB_ENC_IDENTITY; e < HB_ENC_COUNT; e++) {
      unsigned char *out = NULL;
      size_t len = 0, blen = 0;
      int rc = hb_compress((hb_enc_t)e, src, n, -1, &out, &len);
      CHECK(rc == 0 && out, "compress %s %zu", hb_enc_name((hb_enc_t)e), n);
      if (rc)
        continue;
      int ok = -1;
      switch (e) {
      case HB_ENC_IDENTITY:
        ok = len == n && memcmp(out, src, n) == 0 ? 0 : -1;
        blen = len;
        break;
      case HB_ENC_GZIP:
        ok = inflate_all(out, len, 16 + 15, back, sizeof back, &blen);
        /* RFC 1952 member: ID1 ID2 CM=8, FLG=0, MTIME=0, XFL=0 (level 4), OS=255. */
        CHECK(len >= 18 && out[0] == 0x1f && out[1] == 0x8b && out[2] == 8 && out[3] == 0 &&
                  !out[4] && !out[5] && !out[6] && !out[7] && out[8] == 0 && out[9] == 255,
              "gzip header");
        break;
      case HB_ENC_DEFLATE:
        ok = inflate_all(out, len, 15, back, sizeof back, &blen);
        /* RFC 1950: CMF 0x78, (CMF*256 + FLG) % 31 == 0. */
        CHECK(len >= 6 && out[0] == 0x78 && ((out[0] << 8) | out[1]) % 31 == 0, "zlib header");
        break;
      case HB_ENC_BR:
        blen = sizeof back;
        ok = BrotliDecoderDecompress(len, out, &blen, back) == BROTLI_DECODER_RESULT_SUCCESS ? 0
                                                                                             : -1;
        break;
      case HB_ENC_ZSTD: {
        size_t r = ZSTD_decompress(back, sizeof back, out, len);
        ok = ZSTD_isError(r) ? -1 : 0;
        blen = r;
        break;
      }
      }
      if (e != HB_ENC_IDENTITY)
        CHECK(ok == 0 && blen == n && memcmp(back, src, n) == 0, "roundtrip %s %zu",
              hb_enc_name((hb_enc_t)e), n);
      else
        CHECK_EQ_INT(ok, 0, "identity copy");
      free(out);
    }
  }
  unsigned char *out;
  size_t len;
  CHECK_EQ_INT(hb_compress(HB_ENC_NONE, "x", 1, -1, &out, &len), -1, "unknown coding");
  CHECK_EQ_INT(hb_compress(HB_ENC_GZIP, "x", 1, 99, &out, &len), 0, "level clamped");
  free(out);
}

/* The gzip body equals Python's gzip.GzipFile(compresslevel=4) output except
 * for MTIME (we write 0); the zlib body equals zlib.compressobj() exactly.
 * Python 3.11: zlib.compressobj() on b"httpbin" gives 78 9c cb 28 29 29 48 ca cc
 * 03 00 0c 01 02 fa. */
HS_TEST(python_bytes) {
  unsigned char *out;
  size_t len;
  static const unsigned char want[] = {0x78, 0x9c, 0xcb, 0x28, 0x29, 0x29, 0x48, 0xca,
                                       0xcc, 0x03, 0x00, 0x0c, 0x01, 0x02, 0xfa};
  CHECK(hb_compress(HB_ENC_DEFLATE, "httpbin", 7, -1, &out, &len) == 0 && len == sizeof want &&
            memcmp(out, want, len) == 0,
        "zlib bytes like Python");
  free(out);
  /* gzip.GzipFile(compresslevel=4) on b"httpbin", MTIME bytes 4..7 zeroed. */
  static const unsigned char gz[] = {0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                     0xff, 0xcb, 0x28, 0x29, 0x29, 0x48, 0xca, 0xcc, 0x03,
                                     0x00, 0x47, 0xf7, 0x8d, 0x87, 0x07, 0x00, 0x00, 0x00};
  CHECK(hb_compress(HB_ENC_GZIP, "httpbin", 7, -1, &out, &len) == 0 && len == sizeof gz &&
            memcmp(out, gz, len) == 0,
        "gzip bytes like Python");
  free(out);
  CHECK(hb_enc_default_level(HB_ENC_GZIP) == 4 && hb_enc_default_level(HB_ENC_BR) == 11 &&
            hb_enc_default_level(HB_ENC_ZSTD) == 3,
        "default levels");
  CHECK(!strcmp(hb_enc_name(HB_ENC_BR), "br") && hb_enc_name(HB_ENC_NONE) == NULL, "names");
}

HS_TEST(accept) {
  const unsigned all = HB_ENC_ALL_BITS;
  static const struct {
    const char *v;
    int present;
    hb_enc_t want;
  } V[] = {
      {"", 0, HB_ENC_IDENTITY},
      {"", 1, HB_ENC_IDENTITY},
      {"gzip", 1, HB_ENC_GZIP},
      {"gzip, deflate, br", 1, HB_ENC_BR},
      {"gzip, deflate, br, zstd", 1, HB_ENC_ZSTD},
      {"gzip;q=0.5, deflate;q=0.8", 1, HB_ENC_DEFLATE},
      {"GZIP;Q=1.0, br;q=0.999", 1, HB_ENC_GZIP},
      {"x-gzip", 1, HB_ENC_GZIP},
      {"*", 1, HB_ENC_ZSTD},
      {"*;q=0", 1, HB_ENC_NONE},
      {"*;q=0, identity", 1, HB_ENC_IDENTITY},
      {"identity;q=0", 1, HB_ENC_NONE},
      {"identity;q=0, gzip;q=0.1", 1, HB_ENC_GZIP},
      {"gzip;q=0", 1, HB_ENC_IDENTITY},
      {"compress, sdch", 1, HB_ENC_IDENTITY},
      {"br;q=0.5, *;q=0.9", 1, HB_ENC_ZSTD},
      {"gzip;q=2, deflate", 1, HB_ENC_DEFLATE},
      {"gzip;q=0.5;level=1 , , br ; q=0.2", 1, HB_ENC_GZIP},
      {"gzip;q=abc", 1, HB_ENC_IDENTITY},
  };
  for (size_t i = 0; i < sizeof V / sizeof V[0]; i++) {
    hb_enc_t got =
        hb_accept_encoding((hs__str_t){V[i].v, strlen(V[i].v)}, V[i].present, all, NULL, 0);
    CHECK_EQ_INT(got, V[i].want, "'%s'", V[i].v);
  }
  /* Restricted support and caller preference. */
  CHECK_EQ_INT(hb_accept_encoding(S("br, gzip"), 1, HB_ENC_BIT(HB_ENC_GZIP), NULL, 0), HB_ENC_GZIP,
               "only gzip supported");
  hb_enc_t pref[] = {HB_ENC_GZIP, HB_ENC_BR};
  CHECK_EQ_INT(hb_accept_encoding(S("br, gzip"), 1, all, pref, 2), HB_ENC_GZIP,
               "caller preference");
  CHECK_EQ_INT(hb_accept_encoding(S("zstd"), 1, all, pref, 2), HB_ENC_NONE,
               "identity not in the preference list");
}

static const hs_test_case_t cases[] = {
    HS_CASE(roundtrip),
    HS_CASE(python_bytes),
    HS_CASE(accept),
};

int main(int argc, char **argv) { return hs_test_main(argc, argv, cases, HS_COUNT(cases)); }
