/* The TLS upstreams of /gateway/{kind} (fakes_tls.c). */
#ifndef HS_SERVER_FAKES_TLS_H
#define HS_SERVER_FAKES_TLS_H

#include <openssl/x509.h>
#include <uv.h>

enum { HS_FAKE_TLS_OK = 0, HS_FAKE_TLS_EXPIRED, HS_FAKE_TLS_WRONG_HOST, HS_FAKE_TLS_KINDS };

typedef struct hs_fakes_tls_s hs__fakes_tls_t;

/* Makes the CA and certificates and starts the listeners on `loop`; NULL
 * when something failed. */
hs__fakes_tls_t *hs__fakes_tls_start(uv_loop_t *loop);
/* The port of listener `which` (HS_FAKE_TLS_*). */
int hs__fakes_tls_port(const hs__fakes_tls_t *f, int which);
/* The CA that signed their certificates (owned by f). */
X509 *hs__fakes_tls_ca(const hs__fakes_tls_t *f);
/* Closes everything; f is freed once libuv has closed its handles. */
void hs__fakes_tls_close(hs__fakes_tls_t *f);

#endif
