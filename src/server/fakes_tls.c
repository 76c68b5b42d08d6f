/* The TLS upstreams of /gateway/{kind} (issue 19): a CA made in memory when
 * first needed, whose certificates the proxy trusts for these kinds only,
 * and one listener per certificate:
 *  - ok-tls: a valid certificate for localhost (answers "upstream ok");
 *  - expired-cert: the same name, expired yesterday;
 *  - wrong-host-cert: valid, for another name (wrong-host.invalid).
 * (bad-tls needs no TLS: the plain fake answers a ClientHello in clear.)
 * Connections are non-blocking sockets driven by uv_poll: handshake, read
 * the request head, answer, close. */
#include "server/fakes_tls.h"

#include <errno.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct tconn_s tconn_t;

typedef struct tls_listener_s {
  uv_poll_t poll;
  int fd, port;
  SSL_CTX *ctx;
  struct hs_fakes_tls_s *owner;
} tls_listener_t;

struct hs_fakes_tls_s {
  uv_loop_t *loop;
  X509 *ca;
  tls_listener_t l[HS_FAKE_TLS_KINDS];
  tconn_t *conns;
};

struct tconn_s {
  uv_poll_t poll;
  int fd;
  SSL *ssl;
  int done_handshake;
  size_t len;
  tconn_t *prev, *next;
  struct hs_fakes_tls_s *owner;
  char buf[4096];
};

/* Adds extension `nid` = `v` (OpenSSL's config syntax) to x issued by iss. */
static int ext(X509 *x, X509 *iss, int nid, const char *v) {
  X509V3_CTX c;
  X509V3_set_ctx_nodb(&c);
  X509V3_set_ctx(&c, iss, x, NULL, NULL, 0);
  X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, &c, nid, v);
  int ok = e && X509_add_ext(x, e, -1);
  X509_EXTENSION_free(e);
  return ok ? 0 : -1;
}

/* A certificate for `key`: `san` names (NULL: a CA), valid from `from` to
 * `to` seconds from now, signed by (iss, iss_key) or self-signed. */
static X509 *cert(EVP_PKEY *key, const char *cn, const char *san, long from, long to, X509 *iss,
                  EVP_PKEY *iss_key) {
  X509 *x = X509_new();
  if (!x)
    return NULL;
  unsigned char serial[12];
  RAND_bytes(serial, sizeof(serial));
  serial[0] &= 0x7f;
  BIGNUM *bn = BN_bin2bn(serial, sizeof(serial), NULL);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x));
  BN_free(bn);
  X509_set_version(x, 2);
  X509_gmtime_adj(X509_getm_notBefore(x), from);
  X509_gmtime_adj(X509_getm_notAfter(x), to);
  X509_set_pubkey(x, key);
  X509_NAME *name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
  X509_set_issuer_name(x, iss ? X509_get_subject_name(iss) : name);
  X509 *i = iss ? iss : x;
  int bad = san ? ext(x, i, NID_basic_constraints, "critical,CA:FALSE") |
                      ext(x, i, NID_subject_alt_name, san) |
                      ext(x, i, NID_ext_key_usage, "serverAuth")
                : ext(x, i, NID_basic_constraints, "critical,CA:TRUE") |
                      ext(x, i, NID_key_usage, "critical,keyCertSign,cRLSign");
  if (bad || !X509_sign(x, iss_key ? iss_key : key, EVP_sha256())) {
    X509_free(x);
    return NULL;
  }
  return x;
}

/* ---- connections ---- */

static void on_tconn_closed(uv_handle_t *h) {
  tconn_t *c = h->data;
  SSL_free(c->ssl);
  close(c->fd);
  free(c);
}

static void tconn_close(tconn_t *c) {
  struct hs_fakes_tls_s *o = c->owner;
  if (c->prev)
    c->prev->next = c->next;
  else
    o->conns = c->next;
  if (c->next)
    c->next->prev = c->prev;
  uv_poll_stop(&c->poll);
  uv_close((uv_handle_t *)&c->poll, on_tconn_closed);
}

static void on_tconn(uv_poll_t *h, int status, int events);

/* Waits for what OpenSSL wants after result r, or closes on an error. */
static void want(tconn_t *c, int r) {
  int e = SSL_get_error(c->ssl, r);
  if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
    uv_poll_start(&c->poll, e == SSL_ERROR_WANT_READ ? UV_READABLE : UV_WRITABLE, on_tconn);
    return;
  }
  ERR_clear_error();
  tconn_close(c); /* the client refused our certificate, or went away */
}

static void on_tconn(uv_poll_t *h, int status, int events) {
  tconn_t *c = h->data;
  if (status < 0) {
    tconn_close(c);
    return;
  }
  if (!c->done_handshake) {
    int r = SSL_do_handshake(c->ssl);
    if (r != 1) {
      want(c, r);
      return;
    }
    c->done_handshake = 1;
  }
  for (;;) {
    int n = SSL_read(c->ssl, c->buf + c->len, (int)(sizeof(c->buf) - c->len));
    if (n <= 0) {
      want(c, n);
      return;
    }
    c->len += (size_t)n;
    if (memmem(c->buf, c->len, "\r\n\r\n", 4))
      break;
    if (c->len == sizeof(c->buf)) {
      tconn_close(c);
      return;
    }
  }
  static const char answer[] = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                               "Content-Length: 16\r\nConnection: close\r\n\r\n"
                               "tls upstream ok\n";
  SSL_write(c->ssl, answer, sizeof(answer) - 1); /* small: one record, fits the socket */
  SSL_shutdown(c->ssl);
  tconn_close(c);
}

static void on_accept(uv_poll_t *h, int status, int events) {
  tls_listener_t *l = h->data;
  for (int i = 0; i < 16; i++) {
    int fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0)
      return;
    tconn_t *c = calloc(1, sizeof(*c));
    SSL *ssl = c ? SSL_new(l->ctx) : NULL;
    if (!ssl || uv_poll_init_socket(l->owner->loop, &c->poll, fd) != 0) {
      SSL_free(ssl);
      free(c);
      close(fd);
      continue;
    }
    SSL_set_fd(ssl, fd);
    SSL_set_accept_state(ssl);
    c->ssl = ssl;
    c->fd = fd;
    c->owner = l->owner;
    c->poll.data = c;
    c->next = l->owner->conns;
    if (c->next)
      c->next->prev = c;
    l->owner->conns = c;
    uv_poll_start(&c->poll, UV_READABLE, on_tconn);
  }
}

/* ---- start, stop ---- */

static int listener_start(struct hs_fakes_tls_s *f, tls_listener_t *l, EVP_PKEY *key, X509 *x) {
  l->owner = f;
  l->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t len = sizeof(sa);
  l->ctx = SSL_CTX_new(TLS_server_method());
  if (l->fd < 0 || !l->ctx || bind(l->fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
      listen(l->fd, 64) != 0 || getsockname(l->fd, (struct sockaddr *)&sa, &len) != 0 ||
      SSL_CTX_use_certificate(l->ctx, x) != 1 || SSL_CTX_use_PrivateKey(l->ctx, key) != 1 ||
      uv_poll_init_socket(f->loop, &l->poll, l->fd) != 0)
    return -1;
  l->port = ntohs(sa.sin_port);
  l->poll.data = l;
  uv_poll_start(&l->poll, UV_READABLE, on_accept);
  return 0;
}

hs__fakes_tls_t *hs__fakes_tls_start(uv_loop_t *loop) {
  struct hs_fakes_tls_s *f = calloc(1, sizeof(*f));
  if (!f)
    return NULL;
  f->loop = loop;
  for (int k = 0; k < HS_FAKE_TLS_KINDS; k++)
    f->l[k].fd = -1;
  EVP_PKEY *cak = EVP_EC_gen("P-256"), *key = EVP_EC_gen("P-256");
  X509 *certs[HS_FAKE_TLS_KINDS] = {NULL};
  int bad = !cak || !key;
  if (!bad)
    f->ca = cert(cak, "httpstatus gateway test CA", NULL, -3600, 86400L * 365, NULL, NULL);
  if (f->ca) {
    certs[HS_FAKE_TLS_OK] =
        cert(key, "localhost", "DNS:localhost,IP:127.0.0.1", -3600, 86400L * 365, f->ca, cak);
    certs[HS_FAKE_TLS_EXPIRED] =
        cert(key, "localhost", "DNS:localhost,IP:127.0.0.1", -2 * 86400L, -86400L, f->ca, cak);
    certs[HS_FAKE_TLS_WRONG_HOST] =
        cert(key, "wrong-host.invalid", "DNS:wrong-host.invalid", -3600, 86400L * 365, f->ca, cak);
  }
  for (int k = 0; k < HS_FAKE_TLS_KINDS; k++)
    bad |= !certs[k] || listener_start(f, &f->l[k], key, certs[k]) != 0;
  for (int k = 0; k < HS_FAKE_TLS_KINDS; k++)
    X509_free(certs[k]);
  EVP_PKEY_free(cak);
  EVP_PKEY_free(key);
  if (bad || !f->ca) {
    hs__fakes_tls_close(f);
    return NULL;
  }
  return f;
}

int hs__fakes_tls_port(const hs__fakes_tls_t *f, int which) { return f->l[which].port; }

X509 *hs__fakes_tls_ca(const hs__fakes_tls_t *f) { return f->ca; }

static void on_listener_closed(uv_handle_t *h) {
  tls_listener_t *l = h->data;
  close(l->fd);
  SSL_CTX_free(l->ctx);
  struct hs_fakes_tls_s *f = l->owner;
  int open = 0;
  l->fd = -1;
  for (int k = 0; k < HS_FAKE_TLS_KINDS; k++)
    open |= f->l[k].fd >= 0;
  if (!open) {
    X509_free(f->ca);
    free(f);
  }
}

void hs__fakes_tls_close(hs__fakes_tls_t *f) {
  while (f->conns)
    tconn_close(f->conns);
  int pending = 0;
  for (int k = 0; k < HS_FAKE_TLS_KINDS; k++) {
    tls_listener_t *l = &f->l[k];
    if (l->port) { /* its poll handle was initialised */
      uv_close((uv_handle_t *)&l->poll, on_listener_closed);
      pending = 1;
    } else {
      if (l->fd >= 0)
        close(l->fd);
      SSL_CTX_free(l->ctx);
      l->fd = -1;
    }
  }
  if (!pending) {
    X509_free(f->ca);
    free(f);
  }
}
