/* Base64 and base64url (RFC 4648 §4 and §5).
 *
 * Two decoders:
 *  - strict (RFC 4648 §3.3, §3.5): only the chosen alphabet, padding where the
 *    flags say, no data after padding, unused trailing bits must be zero;
 *  - lenient (HS_B64_LENIENT): exactly CPython's binascii.a2b_base64 without
 *    strict_mode, which is what httpbin's /base64/{value} runs through
 *    base64.urlsafe_b64decode(): characters outside the alphabet are skipped,
 *    a '=' ends the input once a quantum is complete ("YWJj=ZGVm" decodes to
 *    "abcdef", "YQ==x" to "a"), a quantum of 2 or 3 characters without its
 *    padding is an error ("Incorrect padding"), and so is a lone character. With
 *    HS_B64_URL the lenient decoder accepts both alphabets, as urlsafe_b64decode
 *    maps '-' '_' to '+' '/' before decoding. */
#ifndef HS_BASE_B64_H
#define HS_BASE_B64_H

#include <stddef.h>
#include <stdint.h>

enum {
  HS_B64_URL = 1,     /* base64url alphabet ('-', '_') */
  HS_B64_NOPAD = 2,   /* encode: no '=' padding; strict decode: padding optional */
  HS_B64_LENIENT = 4, /* decode like CPython's non-strict a2b_base64 */
};

/* Length of the encoding of n bytes (without a NUL). */
size_t hs__b64_encoded_len(size_t n, int flags);

/* Encodes src[0..n) into dst, which must hold hs__b64_encoded_len(n) + 1 bytes;
 * writes a NUL and returns the length written (without the NUL). */
size_t hs__b64_encode(const void *src, size_t n, char *dst, int flags);

/* Returns a malloc'd NUL-terminated encoding (caller frees), or NULL if out of
 * memory; *out_len gets the length if non-NULL. */
char *hs__b64_encode_alloc(const void *src, size_t n, int flags, size_t *out_len);

/* Upper bound of the decoded size of n input characters. */
static inline size_t hs__b64_decoded_max(size_t n) { return n / 4 * 3 + 3; }

/* Decodes src[0..n) into dst (room for hs__b64_decoded_max(n) bytes). Returns the
 * decoded length, or -1 if the input is invalid under the chosen rules. */
long hs__b64_decode(const char *src, size_t n, uint8_t *dst, int flags);

#endif
