/* Server configuration: every limit and timeout, set from `httpstatus serve` options. */
#ifndef HS_HTTP_CONFIG_H
#define HS_HTTP_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum hs_alog_e { HS_ALOG_CLF = 0, HS_ALOG_JSON, HS_ALOG_OFF } hs__alog_t;

#define HS_MAX_TLS_PAIRS 8

/* An echoed JSON body may always take this many bytes, whatever its size and
 * --json-max-expansion (small documents nest a little without harm). */
#define HS_JSON_EXPANSION_FLOOR (1024 * 1024)

/* The FTP responder (issue 23, docs/ftp.md): `--ftp-*` options. */
typedef struct hs_ftp_config_s {
  int on;
  char host[256];
  int port;
  unsigned max_sessions;     /* open FTP sessions; one more → 421 and close */
  unsigned max_per_ip;       /* sessions from one client address; more → 421 (0: no limit) */
  unsigned max_data;         /* data connections one session may open in all; more → 425 */
  uint64_t idle_ms;          /* no command this long (no transfer) → 421 and close */
  uint64_t data_ms;          /* data connection not made, or no progress, this long → 425/426 */
  uint64_t busy_ms;          /* > 0: greet with 120, then 220 after this long */
  size_t max_file;           /* largest upload → 552 */
  size_t quota;              /* a session's uploads together → 452 */
  int lang;                  /* reply text: 0 English, 1 Chinese (hs_lang_t) */
  unsigned pasv_lo, pasv_hi; /* passive ports taken in turn (0: the kernel picks) */
} hs__ftp_config_t;

typedef struct hs_config_s {
  char host[256]; /* listen address (numeric IPv4 or IPv6) */
  int port;       /* 0 = pick a free port */
  int workers;    /* event loops (threads) */
  hs__alog_t access_log;
  const char *log_file;       /* NULL = standard output */
  size_t max_uri;             /* request-target bytes → 414 */
  size_t max_header_size;     /* request line + header section bytes → 431 (414 in the line) */
  size_t max_headers;         /* header field lines → 431 */
  size_t max_body;            /* request content bytes → 413 */
  size_t max_chunk_ext;       /* chunk extension bytes in one request → 413 */
  uint64_t header_timeout_ms; /* first byte (accept for the first request) → end of header section,
                                 else 408 */
  uint64_t body_timeout_ms;   /* between two reads of content, else 408 */
  uint64_t body_deadline_ms;  /* end of header section → end of content, else 408 */
  uint64_t idle_timeout_ms;   /* keep-alive wait for the next request: silent close */
  uint64_t drain_timeout_ms;  /* graceful shutdown limit */
  uint64_t linger_ms;         /* after a closing response: read and discard this long */
  unsigned max_connections;   /* all workers together → 503 + Retry-After */
  unsigned max_conns_per_ip;  /* per client address, all workers → 503 (0: no limit) */
  unsigned retry_after;       /* seconds, for 503 on overload and /status 429/503 */
  int backlog;
  int reuse_port;             /* SO_REUSEPORT on the listeners: other servers may share the port */
  uint64_t max_delay_ms;      /* longest /delay, /drip, /sse, /jsonl time; more → 400 */
  const char *redirect_allow; /* --redirect-allow host list (NULL: any host) */
  size_t json_max_depth;      /* JSON body echoed as "json": deepest nesting; more → 400 */
  size_t json_max_expansion;  /* ... and its indented echo at most this × its size (or
                                 HS_JSON_EXPANSION_FLOOR bytes, if more); more → 400 */
  /* TLS (issue 9): a listener for HTTPS with ALPN h2 / http/1.1; certificate
   * and key pairs chosen by SNI (none: a generated local CA and a certificate
   * for localhost, kept in tls_dir); and a cleartext listener for HTTP/2 only
   * (prior knowledge). */
  int tls_on;
  char tls_host[256];
  int tls_port;
  int ntls;
  const char *tls_cert[HS_MAX_TLS_PAIRS];
  const char *tls_key[HS_MAX_TLS_PAIRS];
  const char *tls_dir; /* NULL: $XDG_STATE_HOME/httpstatus or ~/.local/state/httpstatus */
  int h2c_on;
  char h2c_host[256];
  int h2c_port;
  size_t ws_max_message; /* largest WebSocket message (after inflating) → 1009; the
                            most ?max_message_size= may ask for */
  size_t ws_max_frame;   /* largest WebSocket frame payload → 1009 */
  size_t ws_memory;    /* WebSocket message memory, all sessions together → 1013 (0: no limit) */
  uint64_t ws_idle_ms; /* WebSocket silence → Ping; unanswered as long → 1001 (0: never) */
  uint64_t ws_close_wait_ms; /* after our Close, how long to wait for the peer's */
  unsigned max_websockets;   /* open WebSocket sessions, all workers; more → Close 1013 */
  /* Operations (issue 22): a listener for /metrics, /healthz and /readyz only;
   * whether --max-connections was given (only then is a lower open-file limit
   * worth a warning). */
  int metrics_on;
  char metrics_host[256];
  int metrics_port;
  int max_connections_set;
  /* The REST playground (issue 20, docs/rest.md): where its state lives
   * ("memory", "sqlite:PATH", "redis://HOST:PORT") and its bounds. */
  const char *rest_state;
  size_t rest_max_items;      /* live items per namespace → 507 */
  size_t rest_max_bytes;      /* document bytes per namespace → 507 */
  size_t rest_max_colls;      /* collections per namespace → 507 */
  size_t rest_max_namespaces; /* namespaces in the store → 507 */
  uint64_t rest_ttl_ms;       /* a namespace unused this long is forgotten */
  uint64_t rest_tomb_ms;      /* a deleted item answers 410 this long, then 404 */
  /* issue 18 */
  size_t log_buffer;      /* access log lines waiting for the writer; more are dropped */
  size_t max_output;      /* output buffered per connection before producers pause */
  uint64_t ws_message_ms; /* a fragmented WebSocket message must end within → 1008 */
  hs__ftp_config_t ftp;   /* the FTP responder (docs/ftp.md) */
  /* Gateway (issue 19): whose codes upstream failures get (hs__gw_vendor_t),
   * the --upstream URL split up (host empty: none), and its timeouts. */
  int gateway_codes;
  char upstream_host[256];
  int upstream_port;
  int upstream_tls;
  uint64_t upstream_connect_ms; /* connect() */
  uint64_t upstream_timeout_ms; /* request sent → whole response head */
  uint64_t upstream_idle_ms;    /* between two reads of the response body */
  const char *upstream_ca;      /* CA file for an https upstream (NULL: the system's) */
  const char *upstream_toxics;  /* --upstream-toxics, checked at startup (NULL: none) */
  const char *tls_client_ca;    /* --tls-client-ca: request client certificates (NULL: no) */
} hs__config_t;

/* Fills `c` with the defaults documented in `httpstatus serve --help`. */
void hs__config_defaults(hs__config_t *c);

/* Parses serve options (argv[0] is "serve"). Returns 0 to run, 1 if --help or
 * --version was printed (exit 0), 2 after printing a usage error to `err`. */
int hs__config_parse(hs__config_t *c, int argc, char **argv, FILE *out, FILE *err);

/* Parses a duration ("250ms", "10s", "2m", "1.5s"; bare numbers are seconds).
 * Returns 0 and sets *ms, or -1. */
int hs__parse_duration(const char *s, uint64_t *ms);

/* Sets FTP defaults (hs__config_defaults calls it) and parses one --ftp-*
 * option other than --ftp-listen (src/server/ftp/ftp_options.c). Returns 0,
 * 1 for a bad value, -1 for an unknown name. */
void hs__ftp_config_defaults(hs__ftp_config_t *f);
int hs__ftp_config_option(hs__ftp_config_t *f, const char *name, const char *val);

/* Parses a size ("8192", "16k", "1m", "1g"). Returns 0 and sets *n, or -1. */
int hs__parse_size(const char *s, size_t *n);

#endif
