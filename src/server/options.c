/* `httpstatus serve` command-line options: defaults, parsing, --help. */
#include "http/config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "handlers/redirect.h"
#include "httpstatus/registry.h"
#include "server/gw_options.h"

void hs__config_defaults(hs__config_t *c) {
  memset(c, 0, sizeof(*c));
  strcpy(c->host, "127.0.0.1");
  c->port = 8080;
  c->workers = 0; /* resolved to one per core */
  c->access_log = HS_ALOG_CLF;
  c->log_file = NULL;
  c->max_uri = 8192;
  c->max_header_size = 16384;
  c->max_headers = 100;
  c->max_body = 1048576;
  c->max_chunk_ext = 4096;
  c->header_timeout_ms = 10000;
  c->body_timeout_ms = 10000;
  c->body_deadline_ms = 60000;
  c->idle_timeout_ms = 60000;
  c->drain_timeout_ms = 10000;
  c->linger_ms = 1000;
  c->max_connections = 20000;
  c->retry_after = 5;
  c->backlog = 1024;
  c->max_delay_ms = 10000;
  c->redirect_allow = NULL;
  c->json_max_depth = 1000;
  c->json_max_expansion = 16;
  c->ws_max_message = 16 * 1024 * 1024;
  c->ws_max_frame = 16 * 1024 * 1024;
  c->ws_memory = 256 * 1024 * 1024;
  c->ws_idle_ms = 60000;
  c->ws_close_wait_ms = 5000;
  c->max_websockets = 10000;
  c->rest_state = "memory";
  c->rest_max_items = 1000;
  c->rest_max_bytes = 1024 * 1024;
  c->rest_max_colls = 20;
  c->rest_max_namespaces = 1000;
  c->rest_ttl_ms = 3600000;
  c->rest_tomb_ms = 600000;
  c->log_buffer = 4 * 1024 * 1024;
  c->max_output = 256 * 1024;
  c->ws_message_ms = 60000;
  hs__ftp_config_defaults(&c->ftp);
  hs__gw_config_defaults(c);
}

static const char usage_text[] =
    "Usage: httpstatus serve [OPTIONS]\n"
    "\n"
    "An HTTP/1.1, HTTP/2 and HTTPS server that produces every status code:\n"
    "/status/{code} answers with\n"
    "that code, its required headers, and a body describing it (JSON, text or HTML,\n"
    "English or Chinese, by content negotiation). See docs/server.md.\n"
    "\n"
    "Options:\n"
    "  --listen HOST:PORT      address to listen on (default 127.0.0.1:8080; port 0\n"
    "                          picks a free port; IPv6 as [::1]:8080): HTTP/1.1, and\n"
    "                          HTTP/2 by prior knowledge or Upgrade: h2c\n"
    "  --tls-listen HOST:PORT  also serve HTTPS there (TLS 1.2/1.3, ALPN h2, http/1.1)\n"
    "  --tls-cert FILE         PEM certificate (chain) for --tls-listen, followed by\n"
    "  --tls-key FILE          its PEM key; repeat the pair for more names (SNI picks);\n"
    "                          without one, a local CA and a certificate for\n"
    "                          localhost, 127.0.0.1 and ::1 are made once and reused\n"
    "  --tls-dir DIR           where that CA and certificate live (default\n"
    "                          $XDG_STATE_HOME/httpstatus or ~/.local/state/httpstatus)\n"
    "  --h2c-listen HOST:PORT  also serve cleartext HTTP/2 only (prior knowledge) there\n"
    "  --metrics-listen HOST:PORT\n"
    "                          also serve /metrics, /healthz and /readyz (and nothing\n"
    "                          else) there; they are on every listener anyway.\n"
    "                          Under systemd socket activation (LISTEN_FDS) the sockets\n"
    "                          named http, https, h2c and metrics are used instead\n"
    "  --workers N             event loops, one thread each (default: one per core)\n"
    "  --reuse-port            let other servers listen on the same port (SO_REUSEPORT);\n"
    "                          without it a busy port is an error\n"
    "  --access-log FMT        clf (Combined Log Format, default), json or off\n"
    "  --log-file PATH         append the access log to PATH (default: standard output)\n"
    "  --log-buffer BYTES      access log lines waiting for the log's reader; when it\n"
    "                          stalls, more lines are dropped (counted, reported on\n"
    "                          stderr), never requests (default 4m)\n"
    "\n"
    "Limits (each answered with its own status code):\n"
    "  --max-uri BYTES         longest request-target; longer → 414 (default 8k)\n"
    "  --max-header-size BYTES request line + header section; larger → 431, or 414\n"
    "                          while still in the request line (default 16k)\n"
    "  --max-headers N         most header field lines; more → 431 (default 100)\n"
    "  --max-body BYTES        largest request content; larger → 413 (default 1m)\n"
    "  --max-chunk-ext BYTES   chunk extensions in one chunked request, all chunks\n"
    "                          together (read and ignored); more → 413 (default 4k)\n"
    "  --header-timeout DUR    time to receive the request line and headers, from the\n"
    "                          first byte; slower → 408 and close (default 10s). A\n"
    "                          new connection's first request counts from the\n"
    "                          accept: one that sends nothing is closed after DUR\n"
    "  --body-timeout DUR      longest pause between two reads of the content;\n"
    "                          longer → 408 and close (default 10s)\n"
    "  --body-deadline DUR     time to receive the whole content, from the end of\n"
    "                          the header section; slower → 408 and close (default 60s)\n"
    "  --idle-timeout DUR      keep-alive wait for the next request; then the\n"
    "                          connection is closed silently (default 60s)\n"
    "  --max-connections N     open connections, all workers together; one more is\n"
    "                          answered 503 with Retry-After and closed (default 20000)\n"
    "  --max-connections-per-ip N\n"
    "                          open connections from one client address (IPv6: the\n"
    "                          whole address); one more → 503 with Retry-After and\n"
    "                          closed (default 0: no limit)\n"
    "  --retry-after SECONDS   Retry-After sent with that 503 and by /status/429 and\n"
    "                          /status/503 (default 5; /status takes ?retry_after=)\n"
    "  --drain-timeout DUR     on SIGTERM/SIGINT/SIGQUIT: stop accepting, finish\n"
    "                          requests in flight, then close whatever is left after\n"
    "                          DUR (default 10s; a second signal closes at once);\n"
    "                          SIGHUP/SIGUSR1 reopen --log-file, SIGUSR2 restarts on\n"
    "                          the same sockets, then drains (docs/server.md)\n"
    "  --max-output BYTES      output buffered for one connection (HTTP/1, or all the\n"
    "                          streams of an HTTP/2 one) before its producers pause\n"
    "                          until the client reads (default 256k)\n"
    "  --linger DUR            after a response that closes the connection, keep\n"
    "                          reading and discarding for up to DUR (default 1s)\n"
    "  --max-delay SECONDS     longest time /delay, /drip, /sse and /jsonl may take;\n"
    "                          more → 400 (default 10; fractions and DUR units allowed)\n"
    "  --json-max-depth N      deepest nesting of a JSON body that /post, /anything\n"
    "                          & co. echo as \"json\"; deeper → 400 (default 1000,\n"
    "                          at most 2000)\n"
    "  --json-max-expansion N  that echo, indented, may take N times the body's size\n"
    "                          (at least 1m); larger → 400 (default 16)\n"
    "  --redirect-allow HOSTS  hosts /redirect-to may send clients to, comma-separated\n"
    "                          (*.example.com admits subdomains; paths on this server\n"
    "                          always; default: any host, like httpbin); others → 403\n"
    "\n"
    "WebSocket (/websocket/echo, /websocket/close/{code}; RFC 6455 close codes):\n"
    "  --ws-max-message BYTES  largest message, after inflating; larger → 1009, and\n"
    "                          the most ?max_message_size= may ask for (default 16m;\n"
    "                          sessions take 1m unless they ask)\n"
    "  --ws-max-frame BYTES    largest frame payload; larger → 1009 (default 16m)\n"
    "  --ws-memory BYTES       memory for messages over 64k and their echoes, all\n"
    "                          sessions together; a message that does not fit\n"
    "                          → 1013 (default 256m; 0 no limit)\n"
    "  --ws-idle-timeout DUR   silence before the server pings; no answer for as\n"
    "                          long again → 1001 (default 60s; 0 never pings)\n"
    "  --ws-close-timeout DUR  after the server's Close, wait this long for the\n"
    "                          client's before closing TCP (default 5s)\n"
    "  --ws-message-timeout DUR  a message sent in fragments must be complete within\n"
    "                          DUR of its first frame; else → 1008 (default 60s; 0 off)\n"
    "  --max-websockets N      open WebSocket sessions, all workers together; one\n"
    "                          more is accepted and closed with 1013 (default 10000)\n" HS_GW_USAGE
    "\n"
    "REST playground (/rest/{collection}/{id}; docs/rest.md):\n"
    "  --state WHERE           where its state lives: memory (default), sqlite:PATH\n"
    "                          (kept across restarts) or redis://HOST:PORT (shared\n"
    "                          by every instance naming it)\n"
    "  --rest-max-items N      live items per namespace; more → 507 (default 1000)\n"
    "  --rest-max-bytes BYTES  document bytes per namespace; more → 507 (default 1m)\n"
    "  --rest-max-collections N  collections per namespace; more → 507 (default 20)\n"
    "  --rest-max-namespaces N namespaces in all; more → 507 (default 1000)\n"
    "  --rest-ttl DUR          a namespace unused this long is forgotten (default 1h)\n"
    "  --rest-tombstone-ttl DUR  a deleted item answers 410 this long, then 404\n"
    "                          (default 10m)\n"
    "FTP (docs/ftp.md: accounts, magic file names, every reply code):\n"
    "  --ftp-listen HOST:PORT  also serve FTP there (RFC 959, FEAT, EPSV/EPRT, MLSD,\n"
    "                          REST STREAM, AUTH TLS with the --tls-* certificate)\n"
    "  --ftp-max-sessions N    open FTP sessions; one more → 421 (default 100)\n"
    "  --ftp-max-per-ip N      sessions from one address; more → 421 (default 20; 0 none)\n"
    "  --ftp-max-data N        data connections one session may open; more → 425\n"
    "                          (default 1000)\n"
    "  --ftp-idle-timeout DUR  no command this long → 421 and close (default 300s)\n"
    "  --ftp-data-timeout DUR  data connection not made → 425, stalled → 426 (default 30s)\n"
    "  --ftp-busy DUR          greet with 120 (ready in N minutes), 220 after DUR\n"
    "  --ftp-max-file BYTES    largest upload → 552 (default 1m)\n"
    "  --ftp-quota BYTES       a session's uploads together → 452 (default 4m)\n"
    "  --ftp-lang en|zh        reply text from the registry in this language\n"
    "  --ftp-pasv-ports LO-HI  passive ports, taken in turn (default 50000-59999;\n"
    "                          0: the kernel picks)\n"
    "\n"
    "  -h, --help              show this help\n"
    "  --version               show the version\n"
    "\n"
    "DUR is a number with an optional unit: ms, s (default) or m, e.g. 250ms, 1.5s.\n"
    "BYTES takes an optional k, m or g suffix (powers of 1024).\n"
    "\n"
    "Also answered: unknown method token → 501, malformed request → 400 and close,\n"
    "HTTP major version other than 1 → 505 (HTTP/1.2 is read as 1.1), unknown Expect\n"
    "→ 417, missing, repeated or invalid Host → 400, a transfer coding other than\n"
    "chunked → 501. Expect: 100-continue gets 100 Continue before the body is read.\n";

int hs__parse_duration(const char *s, uint64_t *ms) {
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (end == s || errno || !isfinite(v) || v < 0)
    return -1;
  double mult = 1000;
  if (*end == 0 || strcmp(end, "s") == 0)
    mult = 1000;
  else if (strcmp(end, "ms") == 0)
    mult = 1;
  else if (strcmp(end, "m") == 0)
    mult = 60000;
  else
    return -1;
  double r = v * mult;
  if (r > 1e12)
    return -1;
  *ms = (uint64_t)(r + 0.5);
  return 0;
}

int hs__parse_size(const char *s, size_t *n) {
  char *end;
  if (*s < '0' || *s > '9')
    return -1;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno)
    return -1;
  unsigned long long mult = 1;
  if (*end == 'k' || *end == 'K')
    mult = 1024ULL, end++;
  else if (*end == 'm' || *end == 'M')
    mult = 1024ULL * 1024, end++;
  else if (*end == 'g' || *end == 'G')
    mult = 1024ULL * 1024 * 1024, end++;
  if (*end)
    return -1;
  if (v > (1ULL << 40) / mult)
    return -1;
  *n = (size_t)(v * mult);
  return 0;
}

/* Splits "HOST:PORT", "[V6]:PORT" or ":PORT" / "PORT" (host `def_host`) into
 * out_host and out_port. Returns 0, or -1 if malformed. */
static int parse_addr(const char *s, const char *def_host, char out_host[256], int *out_port) {
  const char *colon;
  char host[256];
  if (s[0] == '[') {
    const char *rb = strchr(s, ']');
    if (!rb || rb[1] != ':' || (size_t)(rb - s - 1) >= sizeof(host))
      return -1;
    memcpy(host, s + 1, (size_t)(rb - s - 1));
    host[rb - s - 1] = 0;
    colon = rb + 1;
  } else {
    colon = strrchr(s, ':');
    if (!colon) {
      colon = s - 1; /* bare port */
      strcpy(host, def_host);
    } else {
      if ((size_t)(colon - s) >= sizeof(host))
        return -1;
      memcpy(host, s, (size_t)(colon - s));
      host[colon - s] = 0;
      if (!host[0])
        strcpy(host, "0.0.0.0");
    }
  }
  if (strcmp(host, "localhost") == 0)
    strcpy(host, "127.0.0.1");
  char *end;
  long port = strtol(colon + 1, &end, 10);
  if (end == colon + 1 || *end || port < 0 || port > 65535)
    return -1;
  struct sockaddr_in a4;
  struct sockaddr_in6 a6;
  if (uv_ip4_addr(host, 0, &a4) != 0 && uv_ip6_addr(host, 0, &a6) != 0)
    return -1;
  strcpy(out_host, host);
  *out_port = (int)port;
  return 0;
}

static int parse_uint(const char *s, unsigned long max, unsigned long *v) {
  char *end;
  if (*s < '0' || *s > '9')
    return -1;
  errno = 0;
  unsigned long x = strtoul(s, &end, 10);
  if (errno || *end || x > max)
    return -1;
  *v = x;
  return 0;
}

int hs__config_parse(hs__config_t *c, int argc, char **argv, FILE *out, FILE *err) {
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      fputs(usage_text, out);
      return 1;
    }
    if (strcmp(a, "--version") == 0) {
      fprintf(out, "httpstatus %s\n", hs_version());
      return 1;
    }
    if (strcmp(a, "--reuse-port") == 0) { /* the one option without a value */
      c->reuse_port = 1;
      continue;
    }
    if (strncmp(a, "--", 2) != 0) {
      fprintf(err, "httpstatus serve: unexpected argument '%s' (see --help)\n", a);
      return 2;
    }
    /* --name=value or --name value */
    char name[64];
    const char *val = NULL;
    const char *eq = strchr(a, '=');
    size_t nlen = eq ? (size_t)(eq - a) : strlen(a);
    if (nlen >= sizeof(name))
      nlen = sizeof(name) - 1;
    memcpy(name, a, nlen);
    name[nlen] = 0;
    if (eq)
      val = eq + 1;
    else if (i + 1 < argc)
      val = argv[++i];
    if (!val) {
      fprintf(err, "httpstatus serve: option %s needs a value (see --help)\n", name);
      return 2;
    }
    unsigned long u = 0;
    int bad = 0;
    if (strcmp(name, "--listen") == 0)
      bad = parse_addr(val, c->host, c->host, &c->port);
    else if (strcmp(name, "--tls-listen") == 0) {
      bad = parse_addr(val, c->host, c->tls_host, &c->tls_port);
      c->tls_on = 1;
    } else if (strcmp(name, "--ftp-listen") == 0) {
      bad = parse_addr(val, c->host, c->ftp.host, &c->ftp.port);
      c->ftp.on = 1;
    } else if (strncmp(name, "--ftp-", 6) == 0 &&
               (bad = hs__ftp_config_option(&c->ftp, name, val)) >= 0) {
    } else if (strcmp(name, "--h2c-listen") == 0) {
      bad = parse_addr(val, c->host, c->h2c_host, &c->h2c_port);
      c->h2c_on = 1;
    } else if (strcmp(name, "--metrics-listen") == 0) {
      bad = parse_addr(val, c->host, c->metrics_host, &c->metrics_port);
      c->metrics_on = 1;
    } else if (strcmp(name, "--tls-cert") == 0) { /* each starts a pair */
      bad = c->ntls >= HS_MAX_TLS_PAIRS;
      if (!bad)
        c->tls_cert[c->ntls++] = val;
    } else if (strcmp(name, "--tls-key") == 0) { /* the key of the last pair */
      bad = c->ntls == 0 || c->tls_key[c->ntls - 1];
      if (!bad)
        c->tls_key[c->ntls - 1] = val;
    } else if (strcmp(name, "--tls-dir") == 0)
      c->tls_dir = val;
    else if (strcmp(name, "--workers") == 0) {
      bad = parse_uint(val, 1024, &u) || u < 1;
      c->workers = (int)u;
    } else if (strcmp(name, "--access-log") == 0) {
      if (strcmp(val, "clf") == 0 || strcmp(val, "combined") == 0)
        c->access_log = HS_ALOG_CLF;
      else if (strcmp(val, "json") == 0)
        c->access_log = HS_ALOG_JSON;
      else if (strcmp(val, "off") == 0)
        c->access_log = HS_ALOG_OFF;
      else
        bad = 1;
    } else if (strcmp(name, "--log-file") == 0)
      c->log_file = val;
    else if (strcmp(name, "--max-uri") == 0)
      bad = hs__parse_size(val, &c->max_uri) || c->max_uri < 1;
    else if (strcmp(name, "--max-header-size") == 0)
      bad = hs__parse_size(val, &c->max_header_size) || c->max_header_size < 64;
    else if (strcmp(name, "--max-headers") == 0) {
      bad = parse_uint(val, 100000, &u) || u < 1;
      c->max_headers = u;
    } else if (strcmp(name, "--max-body") == 0)
      bad = hs__parse_size(val, &c->max_body);
    else if (strcmp(name, "--max-chunk-ext") == 0)
      bad = hs__parse_size(val, &c->max_chunk_ext);
    else if (strcmp(name, "--header-timeout") == 0)
      bad = hs__parse_duration(val, &c->header_timeout_ms) || !c->header_timeout_ms;
    else if (strcmp(name, "--body-timeout") == 0)
      bad = hs__parse_duration(val, &c->body_timeout_ms) || !c->body_timeout_ms;
    else if (strcmp(name, "--body-deadline") == 0)
      bad = hs__parse_duration(val, &c->body_deadline_ms) || !c->body_deadline_ms;
    else if (strcmp(name, "--idle-timeout") == 0)
      bad = hs__parse_duration(val, &c->idle_timeout_ms) || !c->idle_timeout_ms;
    else if (strcmp(name, "--drain-timeout") == 0)
      bad = hs__parse_duration(val, &c->drain_timeout_ms);
    else if (strcmp(name, "--linger") == 0)
      bad = hs__parse_duration(val, &c->linger_ms);
    else if (strcmp(name, "--max-connections") == 0) {
      bad = parse_uint(val, 10000000, &u) || u < 1;
      c->max_connections = (unsigned)u;
      c->max_connections_set = 1;
    } else if (strcmp(name, "--max-connections-per-ip") == 0) {
      bad = parse_uint(val, 10000000, &u);
      c->max_conns_per_ip = (unsigned)u;
    } else if (strcmp(name, "--retry-after") == 0) {
      bad = parse_uint(val, 100000000, &u);
      c->retry_after = (unsigned)u;
    } else if (strcmp(name, "--redirect-allow") == 0) {
      bad = hs__redirect_set_allowlist(val) != 0; /* copied; applies to every worker */
      c->redirect_allow = val;
    } else if (strcmp(name, "--max-delay") == 0) {
      bad = hs__parse_duration(val, &c->max_delay_ms) || c->max_delay_ms > 86400000;
    } else if (strcmp(name, "--json-max-depth") == 0) {
      bad = parse_uint(val, 2000, &u) || u < 1; /* jansson and jsonfmt stop at 2048 */
      c->json_max_depth = u;
    } else if (strcmp(name, "--json-max-expansion") == 0) {
      bad = parse_uint(val, 1000000, &u) || u < 1;
      c->json_max_expansion = u;
    } else if (strcmp(name, "--ws-max-message") == 0) {
      bad = hs__parse_size(val, &c->ws_max_message) || c->ws_max_message < 1 ||
            c->ws_max_message > (1u << 30);
    } else if (strcmp(name, "--ws-memory") == 0) {
      bad = hs__parse_size(val, &c->ws_memory);
    } else if (strcmp(name, "--ws-max-frame") == 0) {
      bad = hs__parse_size(val, &c->ws_max_frame) || c->ws_max_frame < 125;
    } else if (strcmp(name, "--ws-idle-timeout") == 0) {
      bad = hs__parse_duration(val, &c->ws_idle_ms);
    } else if (strcmp(name, "--ws-close-timeout") == 0) {
      bad = hs__parse_duration(val, &c->ws_close_wait_ms) || !c->ws_close_wait_ms;
    } else if (strcmp(name, "--max-websockets") == 0) {
      bad = parse_uint(val, 10000000, &u);
      c->max_websockets = (unsigned)u;
    } else if (strcmp(name, "--state") == 0) {
      bad = strcmp(val, "memory") != 0 && (strncmp(val, "sqlite:", 7) != 0 || !val[7]) &&
            (strncmp(val, "redis://", 8) != 0 || !strchr(val + 8, ':'));
      c->rest_state = val;
    } else if (strcmp(name, "--rest-max-items") == 0) {
      bad = parse_uint(val, 100000000, &u) || u < 1;
      c->rest_max_items = u;
    } else if (strcmp(name, "--rest-max-bytes") == 0) {
      bad = hs__parse_size(val, &c->rest_max_bytes) || c->rest_max_bytes < 1;
    } else if (strcmp(name, "--rest-max-collections") == 0) {
      bad = parse_uint(val, 100000, &u) || u < 1;
      c->rest_max_colls = u;
    } else if (strcmp(name, "--rest-max-namespaces") == 0) {
      bad = parse_uint(val, 10000000, &u) || u < 1;
      c->rest_max_namespaces = u;
    } else if (strcmp(name, "--rest-ttl") == 0) {
      bad = hs__parse_duration(val, &c->rest_ttl_ms) || c->rest_ttl_ms < 1000;
    } else if (strcmp(name, "--rest-tombstone-ttl") == 0) {
      bad = hs__parse_duration(val, &c->rest_tomb_ms) || c->rest_tomb_ms < 1000;
    } else if (strcmp(name, "--log-buffer") == 0) {
      bad = hs__parse_size(val, &c->log_buffer) || c->log_buffer < 65536;
    } else if (strcmp(name, "--max-output") == 0) {
      bad = hs__parse_size(val, &c->max_output) || c->max_output < 65536;
    } else if (strcmp(name, "--ws-message-timeout") == 0) {
      bad = hs__parse_duration(val, &c->ws_message_ms);
    } else if (strcmp(name, "--backlog") == 0) {
      bad = parse_uint(val, 65535, &u) || u < 1;
      c->backlog = (int)u;
    } else if ((bad = hs__gw_option(c, name, val, err)) >= 0) {
      /* a gateway option (gw_options.c) */
    } else {
      fprintf(err, "httpstatus serve: unknown option %s (see --help)\n", name);
      return 2;
    }
    if (bad) {
      fprintf(err, "httpstatus serve: invalid value '%s' for %s (see --help)\n", val, name);
      return 2;
    }
  }
  if (c->max_uri > c->max_header_size)
    c->max_uri = c->max_header_size;
  if (c->ntls && !c->tls_key[c->ntls - 1]) {
    fprintf(err, "httpstatus serve: --tls-cert %s needs its --tls-key\n", c->tls_cert[c->ntls - 1]);
    return 2;
  }
  if ((c->ntls || c->tls_dir) && !c->tls_on && !c->ftp.on) {
    fprintf(err, "httpstatus serve: --tls-cert, --tls-key and --tls-dir need --tls-listen\n");
    return 2;
  }
  return 0;
}
