/* Inside the FTP responder: a session's connections, shared by
 * ftp_server.c (control) and ftp_data.c (data). */
#ifndef HS_SERVER_FTP_FTP_CONN_H
#define HS_SERVER_FTP_FTP_CONN_H

#include <uv.h>

#include "ftp/ftp.h"
#include "server/ftp/ftp_server.h"
#include "server/ftp/ftp_tls.h"

typedef struct hs__ftp_sess_s hs__ftp_sess_t;
typedef struct hs__ftp_dconn_s hs__ftp_dconn_t;
typedef struct hs__ftp_pasv_s hs__ftp_pasv_t;

struct hs__ftp_srv_s {
  uv_loop_t *loop;
  uv_tcp_t listener;
  uv_timer_t drain_timer;
  const hs__ftp_config_t *cfg;
  SSL_CTX *ssl_ctx;
  hs__ftp_sess_t *sessions;
  unsigned nsessions;
  int draining;
  int closed;         /* listener and drain timer closed */
  unsigned next_port; /* the next passive port to try, in --ftp-pasv-ports */
};

struct hs__ftp_sess_s {
  hs__ftp_srv_t *srv;
  hs__ftp_sess_t *prev, *next;
  uv_tcp_t ctl;
  uv_timer_t timer;  /* idle timeout, or the 220 after a 120 */
  uv_timer_t dtimer; /* data connection: not made / stalled */
  int closes_pending;
  unsigned closing : 1;
  unsigned close_after_write : 1;
  unsigned tls_start : 1; /* AUTH TLS: switch after the 234 is written */
  unsigned tls_on : 1;
  unsigned reading : 1;
  unsigned drain_bye : 1;     /* draining: say 421 once the transfer ends */
  unsigned greeting_wait : 1; /* 120 sent, 220 on the timer */
  hs__ftp_t *s;
  hs__ftp_tls_t tls;
  hs__buf_t out;  /* replies from the session */
  hs__buf_t wire; /* scratch: ciphertext */
  hs__buf_t pin;  /* plaintext read, not yet taken by the session */
  char rtmp[4096];
  size_t writes; /* control writes in flight */
  struct sockaddr_storage peer;
  int local_v6;
  unsigned char local_ip[16];
  /* data */
  hs__ftp_pasv_t *pasv;
  hs__ftp_dconn_t *data;
  hs__ftp_addr_t port_addr;
  int xfer; /* a transfer is asked for */
  hs__ftp_xfer_t x;
  size_t xoff;
};

/* Writes the session's replies (encrypted under TLS), then closes if asked
 * (ftp_server.c). */
void hs__ftp_sess_flush(hs__ftp_sess_t *fs, unsigned flags);
/* Closes the session and its connections. */
void hs__ftp_sess_close(hs__ftp_sess_t *fs);
/* A data event for the session: replies written, waiting commands run. */
void hs__ftp_sess_event(hs__ftp_sess_t *fs, hs__ftp_ev_t ev);

/* The session's I/O functions for hs__ftp_io_t (ftp_data.c). */
int hs__ftp_io_passive(void *ud);
int hs__ftp_io_active(void *ud, const hs__ftp_addr_t *a);
void hs__ftp_io_transfer(void *ud, const hs__ftp_xfer_t *x);
void hs__ftp_io_data_close(void *ud);
/* The data timer fired (ftp_data.c). */
void hs__ftp_data_timeout(uv_timer_t *t);

/* Writes n bytes to a stream from a private copy; cb may be NULL. Returns 0
 * or a libuv error. */
int hs__ftp_write_copy(uv_stream_t *st, const char *p, size_t n, uv_write_cb cb, void *data);

#endif
