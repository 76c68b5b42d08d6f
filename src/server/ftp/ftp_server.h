/* The FTP responder's sockets (docs/ftp.md): the listener and control
 * connections (ftp_server.c) and the data connections, passive and active
 * (ftp_data.c), on one worker's libuv loop, with TLS (RFC 4217) through
 * memory BIOs. The protocol itself is src/ftp/ (no sockets there). */
#ifndef HS_SERVER_FTP_FTP_SERVER_H
#define HS_SERVER_FTP_FTP_SERVER_H

#include <openssl/ssl.h>
#include <stdio.h>
#include <uv.h>

#include "http/config.h"

typedef struct hs__ftp_srv_s hs__ftp_srv_t;

/* Binds cfg->ftp's address (or takes `inherited`, a listening socket handed
 * over by a SIGUSR2 restart, when >= 0) and prints "listening on
 * ftp://HOST:PORT" on err. Returns the listening fd, or -1 after printing why. */
int hs__ftp_listen(const hs__config_t *cfg, int inherited, FILE *err);

/* Serves FTP on `fd` (taken over) on `loop`; tls is the context AUTH TLS uses
 * (NULL: no TLS, AUTH → 431). Returns NULL on failure. */
hs__ftp_srv_t *hs__ftp_srv_start(uv_loop_t *loop, const hs__config_t *cfg, int fd, SSL_CTX *tls);

/* SIGTERM: stop accepting, 421 to idle sessions, let transfers finish, and
 * close what is left after drain_ms. */
void hs__ftp_srv_drain(hs__ftp_srv_t *f, uint64_t drain_ms);

/* Close every session now (second signal). */
void hs__ftp_srv_close_all(hs__ftp_srv_t *f);

/* Frees the server once its handles are closed (after the loop ended). */
void hs__ftp_srv_free(hs__ftp_srv_t *f);

#endif
