/* An FTP session (RFC 959, 2389, 2428, 3659, 4217): command lines in, reply
 * lines out, no sockets and no clock (like wslay for WebSocket). The session
 * keeps the login state, the in-memory file tree (ftp_fs.h), the transfer
 * parameters and the rules that choose every reply code; what needs I/O (a
 * passive listener, an active connection, a transfer, TLS) it asks of the
 * server through hs__ftp_io_t, and the server reports back with
 * hs__ftp_data_event() and friends.
 *
 * Use: hs__ftp_new(); hs__ftp_greet(); then read into hs__ftp_rbuf() and call
 * hs__ftp_feed(); write what the calls append to `out`; close the control
 * connection after writing when a call returns HS_FTP_CLOSE. */
#ifndef HS_FTP_FTP_H
#define HS_FTP_FTP_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "httpstatus/registry.h"

#define HS_FTP_MAX_LINE 1024 /* longest command line (with CRLF); longer → 500 */
#define HS_FTP_IN_MAX 4096   /* unprocessed input a session holds; the server reads no more */

typedef struct hs__ftp_s hs__ftp_t;

/* Directions of a transfer. */
typedef enum { HS_FTP_SEND = 1, HS_FTP_RECV = 2 } hs__ftp_dir_t;

/* What the server reports about the data connection (hs__ftp_data_event). */
typedef enum {
  HS_FTP_EV_OPEN = 1, /* the data connection is up (and its TLS handshake done) */
  HS_FTP_EV_DONE,     /* SEND: every byte written; RECV: the client closed it (EOF) */
  HS_FTP_EV_RESET,    /* the client reset or dropped it mid-transfer → 426 */
  HS_FTP_EV_NOCONN,   /* it never came (data timeout, refused connect, TLS failure) → 425 */
  HS_FTP_EV_STALL,    /* no progress for the data timeout mid-transfer → 426 */
  HS_FTP_EV_CLOSED,   /* closed by the client with no transfer in progress */
} hs__ftp_ev_t;

/* A transfer the server is asked to carry out on the data connection. */
typedef struct hs__ftp_xfer_s {
  hs__ftp_dir_t dir;
  const char *data; /* SEND: the bytes (owned by the session, valid until the
                       transfer ends) */
  size_t len;
} hs__ftp_xfer_t;

/* An address given by PORT, EPRT or LPRT (network byte order bytes). */
typedef struct hs__ftp_addr_s {
  int v6;
  unsigned char ip[16];
  uint16_t port;
} hs__ftp_addr_t;

/* I/O the session needs; every function gets `ud`. */
typedef struct hs__ftp_io_s {
  void *ud;
  /* Close any data connection or passive listener, then listen on the
   * control connection's local address (v6: for EPSV on IPv6). Returns the
   * port, or a negative errno (→ 425). */
  int (*passive)(void *ud);
  /* Remember where to connect for the next transfer (PORT/EPRT/LPRT); any
   * data connection or listener is closed. Returns 0 or a negative errno. */
  int (*active)(void *ud, const hs__ftp_addr_t *a);
  /* Start a transfer: connect (active) or wait for the client (passive),
   * then send or receive; report with hs__ftp_data_event(). */
  void (*transfer)(void *ud, const hs__ftp_xfer_t *x);
  /* Close the data connection and any passive listener (ABOR, REIN, errors). */
  void (*data_close)(void *ud);
  /* Once the output so far is written: TLS handshake on the control
   * connection (AUTH TLS, RFC 4217 §4). */
  void (*start_tls)(void *ud);
  /* Unix time now (MDTM of uploads). */
  int64_t (*now)(void *ud);
} hs__ftp_io_t;

/* Limits and settings of a session. */
typedef struct hs__ftp_opts_s {
  hs_lang_t lang;    /* reply text language (registry) */
  size_t max_file;   /* largest stored file; more → 552 */
  size_t quota;      /* all files stored in the session together; more → 452 */
  unsigned max_data; /* data connections a session may open in all; more → 425 */
  int tls_available; /* AUTH TLS offered (a certificate is loaded) */
  int local_v6;      /* the control connection's local address (227, 229) */
  unsigned char local_ip[16];
  unsigned busy_minutes; /* > 0: greet with 120 first (hs__ftp_ready sends 220) */
} hs__ftp_opts_t;

/* Result flags. */
#define HS_FTP_CLOSE 0x1u /* write the output, then close the control connection */

/* A new session (NULL if out of memory); the caller owns it. `io` is copied. */
hs__ftp_t *hs__ftp_new(const hs__ftp_opts_t *o, const hs__ftp_io_t *io);
void hs__ftp_destroy(hs__ftp_t *s);

/* The greeting: 220, or 120 when opts.busy_minutes (then hs__ftp_ready). */
void hs__ftp_greet(hs__ftp_t *s, hs__buf_t *out);
/* The service is ready after a 120: 220 now; commands waiting are run. */
unsigned hs__ftp_ready(hs__ftp_t *s, hs__buf_t *out);

/* Space to read control bytes into (*avail; 0: read nothing now). */
char *hs__ftp_rbuf(hs__ftp_t *s, size_t *avail);
/* n bytes were read into that space (0: run commands still waiting, e.g.
 * after a transfer ended). Returns HS_FTP_* flags. */
unsigned hs__ftp_feed(hs__ftp_t *s, size_t n, hs__buf_t *out);

/* The data connection changed; replies (125/150 were sent earlier) 226, 425,
 * 426 go to out. Returns HS_FTP_* flags. */
unsigned hs__ftp_data_event(hs__ftp_t *s, hs__ftp_ev_t ev, hs__buf_t *out);
/* RECV: n bytes arrived. Returns 0, or -1 when the transfer must stop (the
 * reply, 452 or 552, is in out; the server closes the data connection). */
int hs__ftp_data_in(hs__ftp_t *s, const char *p, size_t n, hs__buf_t *out);
/* The control connection's TLS handshake finished (after AUTH TLS). */
void hs__ftp_tls_ready(hs__ftp_t *s);
/* Is a transfer in progress (the idle timeout does not apply)? */
int hs__ftp_busy(const hs__ftp_t *s);
/* Does the session want PROT P on its data connections? */
int hs__ftp_prot_private(const hs__ftp_t *s);

/* The server closes the session: 421 with `why` (idle timeout, shutdown). */
void hs__ftp_bye(hs__ftp_t *s, const char *why, hs__buf_t *out);

/* ---- replies (ftp_reply.c) ---- */

/* Appends one reply: "NNN <registry phrase in lang>" followed by " (detail)"
 * when detail is not NULL. CR, LF and NUL in detail become spaces. */
void hs__ftp_reply(hs__buf_t *out, int code, hs_lang_t lang, const char *detail);
/* Appends a reply whose text is given whole (227, 229, 257, 213, ...). */
void hs__ftp_reply_raw(hs__buf_t *out, int code, const char *text);
/* A multi-line reply (RFC 959 §4.2): "NNN-first", each of `lines` indented
 * by one space, then "NNN last". */
void hs__ftp_reply_multi(hs__buf_t *out, int code, const char *first, const char *const *lines,
                         size_t n, const char *last);

/* ---- command lines (ftp_parse.c) ---- */

typedef struct hs__ftp_cmd_s {
  char verb[8];    /* upper case, NUL-terminated ("" when malformed) */
  const char *arg; /* after one space, NUL-terminated (may be "") */
  size_t arg_len;
  int has_arg;
} hs__ftp_cmd_t;

/* Parses one command line (CRLF removed, Telnet sequences already dropped) in
 * place: `line` is modified to NUL-terminate the argument. Returns 0, or -1
 * when the verb is not 3-4 letters (→ 500) or the line holds a NUL byte. */
int hs__ftp_parse(char *line, size_t len, hs__ftp_cmd_t *cmd);

/* Parses PORT's "h1,h2,h3,h4,p1,p2" (RFC 959 §4.1.2). Returns 0 or -1. */
int hs__ftp_parse_port(const char *arg, hs__ftp_addr_t *a);
/* Parses EPRT's "|af|addr|port|" (RFC 2428 §2). Returns 0, -1 (→ 501), or
 * -2 for an unknown address family (→ 522). */
int hs__ftp_parse_eprt(const char *arg, hs__ftp_addr_t *a);

#endif
