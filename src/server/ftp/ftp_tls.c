/* TLS for FTP connections over memory BIOs (ftp_tls.h). */
#include "server/ftp/ftp_tls.h"

#include <openssl/err.h>

int hs__ftp_tls_init(hs__ftp_tls_t *t, SSL_CTX *ctx) {
  t->done = 0;
  t->ssl = SSL_new(ctx);
  if (!t->ssl)
    return -1;
  BIO *rb = BIO_new(BIO_s_mem()), *wb = BIO_new(BIO_s_mem());
  if (!rb || !wb) {
    BIO_free(rb);
    BIO_free(wb);
    SSL_free(t->ssl);
    t->ssl = NULL;
    return -1;
  }
  BIO_set_mem_eof_return(rb, -1); /* empty: "want read", not end of file */
  SSL_set_bio(t->ssl, rb, wb);
  SSL_set_accept_state(t->ssl);
  return 0;
}

void hs__ftp_tls_free(hs__ftp_tls_t *t) {
  if (t->ssl)
    SSL_free(t->ssl);
  t->ssl = NULL;
}

/* Moves what OpenSSL wrote into the write BIO to `wire`. */
static void drain(hs__ftp_tls_t *t, hs__buf_t *wire) {
  BIO *wb = SSL_get_wbio(t->ssl);
  size_t pending;
  while ((pending = BIO_ctrl_pending(wb)) > 0) {
    char *d = hs__buf_reserve(wire, pending);
    int k = BIO_read(wb, d, (int)pending);
    if (k <= 0)
      break;
    wire->len += (size_t)k;
  }
}

int hs__ftp_tls_read(hs__ftp_tls_t *t, const char *p, size_t n, hs__buf_t *plain, hs__buf_t *wire) {
  if (!t->ssl)
    return -1;
  if (n && BIO_write(SSL_get_rbio(t->ssl), p, (int)n) != (int)n)
    return -1;
  int r = 0;
  if (!t->done) {
    int k = SSL_do_handshake(t->ssl);
    if (k == 1) {
      t->done = 1;
      r = 1;
    } else {
      int e = SSL_get_error(t->ssl, k);
      drain(t, wire);
      ERR_clear_error();
      return e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE ? 0 : -1;
    }
  }
  for (;;) {
    char *d = hs__buf_reserve(plain, 16384);
    int k = SSL_read(t->ssl, d, 16384);
    if (k > 0) {
      plain->len += (size_t)k;
      continue;
    }
    int e = SSL_get_error(t->ssl, k);
    ERR_clear_error();
    drain(t, wire);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
      return r;
    return e == SSL_ERROR_ZERO_RETURN ? (r | 2) : -1;
  }
}

int hs__ftp_tls_write(hs__ftp_tls_t *t, const char *p, size_t n, hs__buf_t *wire) {
  if (!t->ssl || !t->done)
    return -1;
  while (n) {
    int chunk = n > 16384 ? 16384 : (int)n;
    int k = SSL_write(t->ssl, p, chunk);
    if (k <= 0) {
      ERR_clear_error();
      return -1;
    }
    p += k;
    n -= (size_t)k;
    drain(t, wire);
  }
  return 0;
}

void hs__ftp_tls_close(hs__ftp_tls_t *t, hs__buf_t *wire) {
  if (!t->ssl || !t->done)
    return;
  SSL_shutdown(t->ssl);
  ERR_clear_error();
  drain(t, wire);
}
