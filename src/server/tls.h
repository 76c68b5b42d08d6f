/* TLS (RFC 8446, RFC 5246) with OpenSSL 3 through memory BIOs: a protocol
 * wrapper for conn.c that turns ciphertext in into plaintext for the protocol
 * ALPN chose (HTTP/2 or HTTP/1.1, RFC 7301) and its output back into records.
 * No sockets and no blocking I/O: the connection's event loop drives it like
 * any protocol (proto.h). Certificates are chosen by SNI (RFC 6066 §3). */
#ifndef HS_SERVER_TLS_H
#define HS_SERVER_TLS_H

#include <openssl/ssl.h>
#include <stdio.h>

#include "http/config.h"
#include "http/ctx.h"
#include "server/proto.h"

/* One certificate: its context and the names it covers (subjectAltName DNS
 * names, lower case, "*." wildcards allowed; IP addresses as bytes). */
typedef struct hs_tls_identity_s {
  SSL_CTX *ctx;
  char **dns;
  size_t ndns;
  unsigned char (*ips)[16];
  unsigned char *iplen;
  size_t nips;
} hs__tls_identity_t;

/* Every certificate of the TLS listener; shared read-only by the workers. */
typedef struct hs_tls_conf_s {
  hs__tls_identity_t ids[HS_MAX_TLS_PAIRS];
  int n;
  char local_ca[1200];   /* the generated CA's file, when no pair was given ("" else) */
  const char *client_ca; /* --tls-client-ca: certificates are requested (NULL: not) */
} hs__tls_conf_t;

/* Loads the certificate/key pairs of cfg, or (none given) makes sure the
 * local CA and localhost certificate exist (tls_cert.c) and loads those
 * (t->local_ca names the CA). Returns 0, or -1 after printing why to `err`. */
int hs__tls_conf_init(hs__tls_conf_t *t, const hs__config_t *cfg, FILE *err);
void hs__tls_conf_free(hs__tls_conf_t *t);

/* Does identity `id` cover the host of `authority` ("host", "host:port",
 * "[v6]:port")? RFC 9110 §4.3.4 / RFC 6125 rules: DNS names compared without
 * case, a "*." wildcard matching one leftmost label, IP literals as bytes. */
int hs__tls_covers(const hs__tls_identity_t *id, hs__str_t authority);

/* The client certificate of TLS connection p (nginx's ssl_verify_client
 * optional): 1 sent and verified, 0 none sent, -1 sent and not verified
 * (*why says why), -2 certificates are not requested (no --tls-client-ca).
 * Its subject (RFC 2253) goes to subj when one was sent. */
int hs__tls_client_cert(void *p, char *subj, size_t cap, const char **why);

struct hs_h1_park_s;

/* A TLS connection from `peer` (borrowed: the connection's, which outlives
 * it); its HTTP/1.1 state is parked in h1park while idle (http1.h). NULL if
 * out of memory. */
void *hs__tls_new(hs__ctx_t *ctx, const hs__tls_conf_t *conf, struct hs_h1_park_s *h1park,
                  const char *peer);
extern const hs__proto_ops_t hs__tls_proto;

/* Reads the names a certificate covers into id (tls_cert.c). Returns 0/-1. */
int hs__tls_identity_names(hs__tls_identity_t *id, X509 *cert);

/* Makes sure `dir` holds ca.pem, ca-key.pem, localhost.pem and
 * localhost-key.pem (generated once: EC P-256, keys mode 0600), and fills
 * the paths of the server pair and the CA (tls_cert.c). Returns 0/-1. */
int hs__tls_local_ca(const char *dir, char *cert, char *key, char *ca, size_t cap, FILE *err);

#endif
