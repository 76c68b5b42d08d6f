/* TLS on an FTP control or data connection (RFC 4217) through OpenSSL memory
 * BIOs: ciphertext in and out as bytes, so the connection code stays on the
 * event loop with no blocking I/O. The server's certificates (tls.c). */
#ifndef HS_SERVER_FTP_FTP_TLS_H
#define HS_SERVER_FTP_FTP_TLS_H

#include <openssl/ssl.h>

#include "base/buf.h"

typedef struct hs__ftp_tls_s {
  SSL *ssl;
  int done; /* handshake finished */
} hs__ftp_tls_t;

/* Starts the server side of a handshake with ctx. Returns 0 or -1. */
int hs__ftp_tls_init(hs__ftp_tls_t *t, SSL_CTX *ctx);
void hs__ftp_tls_free(hs__ftp_tls_t *t);

/* Takes n bytes of ciphertext; appends the plaintext to `plain` and what must
 * be sent (handshake, alerts) to `wire`. Returns -1 on failure, else flags:
 * 1 the handshake has just finished, 2 the peer closed TLS (close_notify). */
int hs__ftp_tls_read(hs__ftp_tls_t *t, const char *p, size_t n, hs__buf_t *plain, hs__buf_t *wire);

/* Encrypts n bytes of plaintext into records appended to `wire`. Returns 0 or -1. */
int hs__ftp_tls_write(hs__ftp_tls_t *t, const char *p, size_t n, hs__buf_t *wire);

/* Appends a close_notify alert to `wire`. */
void hs__ftp_tls_close(hs__ftp_tls_t *t, hs__buf_t *wire);

#endif
