/* `httpstatus check URL`: request a URL with libcurl, follow redirects one hop
 * at a time, and for each hop print the status line, the registry's meaning
 * of the code, timings, protocol, TLS version and certificate expiry, and the
 * lint findings. Exit: 0 clean, 1 findings at or above --fail-on, 2 usage or
 * network failure (refused, timeout, DNS, TLS named). */
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/companion.h"
#include "lint/read.h"

static const char usage[] =
    "Usage: httpstatus check [OPTIONS] URL\n"
    "\n"
    "Request URL and explain every hop: status line, what the code means, timing\n"
    "(DNS, connect, TLS, first byte, total), protocol, TLS version and certificate\n"
    "expiry, then the lint findings (see `httpstatus lint --rules`).\n"
    "\n"
    "Options:\n"
    "  -X, --request METHOD    request method (default GET, POST with -d)\n"
    "  -H, --header 'N: v'     add a request header field (repeatable)\n"
    "  -d, --data DATA         send DATA as the request body\n"
    "      --http1.1           use HTTP/1.1;  --http2  use HTTP/2 (h2 or h2c upgrade)\n"
    "      --http2-prior-knowledge  HTTP/2 without upgrade on http:// (h2c)\n"
    "      --cacert FILE       trust the CA certificates in FILE\n"
    "  -k, --insecure          do not verify the server's certificate\n"
    "  -L, --location          follow redirects (the default); --no-location: do not\n"
    "      --max-redirs N      follow at most N redirects (default 10)\n"
    "  -m, --max-time SECS     give up on a hop after SECS seconds (default 30)\n"
    "      --connect-timeout S give up connecting after S seconds (default 10)\n"
    "  -j, --json              JSON: {\"url\", \"hops\": [{\"url\", \"method\", \"status\",\n"
    "                          \"reason\", \"protocol\", \"meaning\", \"timing\", \"tls\",\n"
    "                          \"findings\"}], \"error\"} (docs/man/httpstatus.1)\n"
    "  -l, --lang en|zh        language of meanings and findings\n"
    "      --fail-on LEVEL     exit 1 on a finding of LEVEL or worse (error, warning, info;\n"
    "                          default error)\n"
    "      --severity LEVEL    show findings of LEVEL or worse (default info)\n"
    "  -h, --help              this help\n"
    "\n"
    "Exit status: 0 clean, 1 findings at or above --fail-on, 2 usage error or a\n"
    "network failure (connection refused, timeout, DNS, TLS).\n";

typedef struct buf_s {
  char *p;
  size_t n, cap, max;
  int over;
} buf_t;

static void buf_add(buf_t *b, const char *p, size_t n) {
  if (b->n + n > b->max) {
    b->over = 1;
    return;
  }
  if (b->n + n + 1 > b->cap) {
    size_t cap = (b->n + n + 1) * 2;
    char *np = realloc(b->p, cap);
    if (!np) {
      b->over = 1;
      return;
    }
    b->p = np;
    b->cap = cap;
  }
  memcpy(b->p + b->n, p, n);
  b->n += n;
  b->p[b->n] = '\0';
}

typedef struct hop_s {
  buf_t hdr, req;   /* response header sections; the request header as sent */
  char tls_ver[48]; /* "TLSv1.3" */
  int tls_seen;
  long long body;
} hop_t;

static size_t on_header(char *p, size_t size, size_t n, void *ud) {
  hop_t *h = ud;
  buf_add(&h->hdr, p, size * n);
  return size * n;
}

static size_t on_body(char *p, size_t size, size_t n, void *ud) {
  (void)p;
  ((hop_t *)ud)->body += (long long)(size * n);
  return size * n;
}

static int on_debug(CURL *c, curl_infotype t, char *p, size_t n, void *ud) {
  (void)c;
  hop_t *h = ud;
  if (t == CURLINFO_HEADER_OUT) {
    h->req.n = 0; /* the last request sent on this hop */
    buf_add(&h->req, p, n);
  } else if (t == CURLINFO_TEXT) {
    const char *s = memmem(p, n, "SSL connection using ", 21);
    if (s) {
      s += 21;
      size_t k = 0;
      while (s + k < p + n && s[k] != ' ' && s[k] != '\n' && k + 1 < sizeof h->tls_ver)
        k++;
      memcpy(h->tls_ver, s, k);
      h->tls_ver[k] = '\0';
      h->tls_seen = 1;
    }
  }
  return 0;
}

/* The failure named for people: refused, timeout, DNS, TLS, or curl's words. */
static const char *failure_kind(CURLcode rc) {
  switch (rc) {
  case CURLE_COULDNT_CONNECT:
    return "connection refused or unreachable";
  case CURLE_OPERATION_TIMEDOUT:
    return "timeout";
  case CURLE_COULDNT_RESOLVE_HOST:
  case CURLE_COULDNT_RESOLVE_PROXY:
    return "DNS: host name not resolved";
  case CURLE_SSL_CONNECT_ERROR:
  case CURLE_PEER_FAILED_VERIFICATION:
  case CURLE_SSL_CACERT_BADFILE:
  case CURLE_SSL_CERTPROBLEM:
  case CURLE_SSL_CIPHER:
  case CURLE_SSL_ISSUER_ERROR:
  case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
  case CURLE_SSL_INVALIDCERTSTATUS:
    return "TLS";
  case CURLE_URL_MALFORMAT:
  case CURLE_UNSUPPORTED_PROTOCOL:
    return "bad URL";
  case CURLE_GOT_NOTHING:
  case CURLE_RECV_ERROR:
  case CURLE_SEND_ERROR:
    return "connection closed";
  case CURLE_WEIRD_SERVER_REPLY:
  case CURLE_HTTP2:
  case CURLE_HTTP2_STREAM:
    return "malformed response";
  default:
    return "network";
  }
}

typedef struct opts_s {
  hs__out_t o;
  const char *method, *data, *cacert, *url;
  struct curl_slist *headers;
  int http, insecure, follow;
  long max_redirs, max_time, connect_timeout;
} opts_t;

typedef struct view_s {
  opts_t *op;
  hop_t *hop;
  const hs__lmsg_t *last;
  hs__lresult_t res;
  hs__lmsg_t copy;
  int status;
  char reason[128];
  size_t n;
  int interim[8]; /* 1xx statuses before the final one */
  size_t ninterim;
} view_t;

/* Lint each response of the hop (interim ones too); keep the final one's
 * findings for printing. The body count belongs to the final response. */
static int on_msg(void *ud, const hs__lmsg_t *m, size_t index) {
  view_t *v = ud;
  hs__lmsg_t c = *m;
  if (!m->final_follows) {
    c.body_len = v->hop->body;
    c.body_seen = v->hop->body > 0;
  } else {
    c.body_len = 0;
    c.body_seen = 0;
  }
  hs__lresult_t r;
  hs__lint_message(&c, &r);
  /* merge: interim findings first, each rule once */
  for (size_t i = 0; i < r.n; i++) {
    hs__lint_id_t id = r.v[i].rule;
    if ((v->res.seen[id / 64] >> (id % 64)) & 1u || v->res.n >= HS__LINT_MAX_FINDINGS)
      continue;
    v->res.seen[id / 64] |= (uint64_t)1 << (id % 64);
    v->res.v[v->res.n++] = r.v[i];
  }
  if (m->final_follows && v->ninterim < 8)
    v->interim[v->ninterim++] = m->status;
  v->status = m->status;
  size_t k = m->reason.n < sizeof v->reason - 1 ? m->reason.n : sizeof v->reason - 1;
  memcpy(v->reason, m->reason.p ? m->reason.p : "", k);
  v->reason[k] = '\0';
  v->n = index + 1;
  return 0;
}

static const char *proto_name(long v) {
  switch (v) {
  case CURL_HTTP_VERSION_1_0:
    return "HTTP/1.0";
  case CURL_HTTP_VERSION_1_1:
    return "HTTP/1.1";
  case CURL_HTTP_VERSION_2_0:
    return "HTTP/2";
  case CURL_HTTP_VERSION_3:
    return "HTTP/3";
  default:
    return "?";
  }
}

/* The leaf certificate's "Expire date" from CURLINFO_CERTINFO, or "". */
static void cert_expiry(CURL *c, char *out, size_t cap) {
  struct curl_certinfo *ci = NULL;
  out[0] = '\0';
  if (curl_easy_getinfo(c, CURLINFO_CERTINFO, &ci) != CURLE_OK || !ci || ci->num_of_certs < 1)
    return;
  for (struct curl_slist *s = ci->certinfo[0]; s; s = s->next)
    if (!strncmp(s->data, "Expire date:", 12)) {
      snprintf(out, cap, "%s", s->data + 12);
      return;
    }
}

static double ms(curl_off_t us) { return (double)us / 1000.0; }

/* One hop: returns the curl code; *next gets the redirect target (malloc'd) or NULL. */
static CURLcode one_hop(CURL *c, opts_t *op, const char *url, const char *method, int send_data,
                        int index, char **next) {
  hop_t hop;
  memset(&hop, 0, sizeof hop);
  hop.hdr.max = 1u << 20;
  hop.req.max = 1u << 20;
  *next = NULL;
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &hop);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &hop);
  curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, on_debug);
  curl_easy_setopt(c, CURLOPT_DEBUGDATA, &hop);
  curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);
  int head = !strcmp(method, "HEAD");
  curl_easy_setopt(c, CURLOPT_NOBODY, head ? 1L : 0L);
  if (send_data && op->data) {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, op->data);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(op->data));
  } else if (!head) {
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  }
  curl_easy_setopt(
      c, CURLOPT_CUSTOMREQUEST,
      head || !strcmp(method, "GET") || (send_data && !strcmp(method, "POST")) ? NULL : method);
  CURLcode rc = curl_easy_perform(c);
  hs__out_t *o = &op->o;
  int li = o->lang == HS_LANG_ZH;
  if (rc != CURLE_OK && !hop.hdr.n) {
    free(hop.hdr.p);
    free(hop.req.p);
    return rc;
  }
  long httpv = 0;
  curl_off_t t_dns = 0, t_conn = 0, t_tls = 0, t_first = 0, t_total = 0;
  curl_easy_getinfo(c, CURLINFO_HTTP_VERSION, &httpv);
  curl_easy_getinfo(c, CURLINFO_NAMELOOKUP_TIME_T, &t_dns);
  curl_easy_getinfo(c, CURLINFO_CONNECT_TIME_T, &t_conn);
  curl_easy_getinfo(c, CURLINFO_APPCONNECT_TIME_T, &t_tls);
  curl_easy_getinfo(c, CURLINFO_STARTTRANSFER_TIME_T, &t_first);
  curl_easy_getinfo(c, CURLINFO_TOTAL_TIME_T, &t_total);
  char expiry[64];
  cert_expiry(c, expiry, sizeof expiry);
  int https = !strncasecmp(url, "https:", 6);
  /* the request as sent: "> " lines of a curl -v transcript give the reader the
   * method, target and fields; then the response header sections */
  buf_t text = {NULL, 0, 0, 4u << 20, 0};
  if (https)
    buf_add(&text, "* SSL connection using TLS\r\n", 28);
  else
    buf_add(&text, "* Connected to host\r\n", 21);
  const char *p = hop.req.p, *e = hop.req.p + hop.req.n;
  while (p && p < e) {
    const char *nl = memchr(p, '\n', (size_t)(e - p));
    const char *le = nl ? nl : e;
    size_t l = (size_t)(le - p);
    if (l && p[l - 1] == '\r')
      l--;
    buf_add(&text, l ? "> " : ">", l ? 2 : 1);
    buf_add(&text, p, l);
    buf_add(&text, "\r\n", 2);
    p = nl ? nl + 1 : e;
  }
  p = hop.hdr.p;
  e = hop.hdr.p + hop.hdr.n;
  while (p && p < e) {
    const char *nl = memchr(p, '\n', (size_t)(e - p));
    const char *le = nl ? nl : e;
    size_t l = (size_t)(le - p);
    if (l && p[l - 1] == '\r')
      l--;
    buf_add(&text, l ? "< " : "<", l ? 2 : 1);
    buf_add(&text, p, l);
    buf_add(&text, "\r\n", 2);
    p = nl ? nl + 1 : e;
  }
  view_t v;
  memset(&v, 0, sizeof v);
  v.op = op;
  v.hop = &hop;
  v.status = -1;
  hs__lread_opts_t ro;
  hs__lread_opts_init(&ro);
  char err[256] = "";
  int lrc = text.over ? -1 : hs__lread_text(text.p, text.n, &ro, on_msg, &v, err, sizeof err);
  if (text.over)
    snprintf(err, sizeof err, "response header section larger than 1 MiB");
  char *redirect = NULL;
  curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &redirect);
  const char *meaning = v.status >= 0 ? hs__code_meaning(v.status, o->lang) : NULL;
  FILE *out = stdout;
  if (o->json) {
    fprintf(out, "%s\n    {\"url\": ", index ? "," : "");
    hs__json_str(out, url);
    fputs(", \"method\": ", out);
    hs__json_str(out, method);
    fprintf(out, ", \"status\": %d, \"reason\": ", v.status);
    hs__json_str(out, v.reason);
    fprintf(out, ", \"protocol\": \"%s\", \"meaning\": ", proto_name(httpv));
    hs__json_str(out, meaning);
    fprintf(out,
            ",\n     \"timing\": {\"dns_ms\": %.3f, \"connect_ms\": %.3f, \"tls_ms\": %.3f, "
            "\"first_byte_ms\": %.3f, \"total_ms\": %.3f},\n     \"tls\": ",
            ms(t_dns), ms(t_conn), ms(t_tls), ms(t_first), ms(t_total));
    if (https) {
      fputs("{\"version\": ", out);
      hs__json_str(out, hop.tls_seen ? hop.tls_ver : NULL);
      fputs(", \"cert_expires\": ", out);
      hs__json_str(out, expiry[0] ? expiry : NULL);
      fputc('}', out);
    } else {
      fputs("null", out);
    }
    fputs(", \"interim\": [", out);
    for (size_t i = 0; i < v.ninterim; i++)
      fprintf(out, "%s%d", i ? ", " : "", v.interim[i]);
    fprintf(out, "], \"body_bytes\": %lld, \"redirect\": ", hop.body);
    hs__json_str(out, redirect);
    fputs(",\n     \"findings\": ", out);
    if (lrc == 0)
      hs__print_findings(out, o, &v.res);
    else
      fputs("[]", out);
    fputc('}', out);
  } else {
    fprintf(out, "%s%s %s\n", index ? "\n" : "", method, url);
    for (size_t i = 0; i < v.ninterim; i++)
      fprintf(out, "  %s %d (%s)\n", proto_name(httpv), v.interim[i], li ? "临时响应" : "interim");
    fprintf(out, "  %s %d%s%s\n", proto_name(httpv), v.status, v.reason[0] ? " " : "", v.reason);
    if (meaning)
      fprintf(out, "  %s\n", meaning);
    fprintf(out,
            li ? "  耗时: DNS %.1f ms, 连接 %.1f ms, TLS %.1f ms, 首字节 %.1f ms, 总计 %.1f ms\n"
               : "  time: DNS %.1f ms, connect %.1f ms, TLS %.1f ms, first byte %.1f ms, "
                 "total %.1f ms\n",
            ms(t_dns), ms(t_conn), ms(t_tls), ms(t_first), ms(t_total));
    if (https)
      fprintf(out, "  TLS: %s%s%s\n", hop.tls_seen ? hop.tls_ver : "(reused connection)",
              expiry[0] ? (li ? ", 证书到期 " : ", certificate expires ") : "", expiry);
    if (lrc == 0)
      hs__print_findings(out, o, &v.res);
    else
      fprintf(out, "  (not linted: %s)\n", err);
  }
  if (redirect && v.status >= 300 && v.status < 400)
    *next = strdup(redirect);
  free(text.p);
  free(hop.hdr.p);
  free(hop.req.p);
  return rc;
}

static int bad(const char *msg, const char *arg) {
  fprintf(stderr, "httpstatus check: %s%s\nTry 'httpstatus check --help'.\n", msg, arg ? arg : "");
  return HS_EXIT_FAILURE;
}

static int parse_args(opts_t *op, int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      fputs(usage, stdout);
      return 1;
    }
#define VAL(name)                                                                                  \
  if (!v)                                                                                          \
    return bad("needs a value: ", a) * -1;                                                         \
  i++;
    if (!strcmp(a, "-X") || !strcmp(a, "--request")) {
      VAL(a);
      op->method = v;
    } else if (!strcmp(a, "-H") || !strcmp(a, "--header")) {
      VAL(a);
      if (!strchr(v, ':') && !strchr(v, ';'))
        return -bad("a header is 'Name: value', not ", v);
      op->headers = curl_slist_append(op->headers, v);
    } else if (!strcmp(a, "-d") || !strcmp(a, "--data")) {
      VAL(a);
      op->data = v;
    } else if (!strcmp(a, "--http1.1")) {
      op->http = 1;
    } else if (!strcmp(a, "--http2")) {
      op->http = 2;
    } else if (!strcmp(a, "--http2-prior-knowledge")) {
      op->http = 3;
    } else if (!strcmp(a, "--cacert")) {
      VAL(a);
      op->cacert = v;
    } else if (!strcmp(a, "-k") || !strcmp(a, "--insecure")) {
      op->insecure = 1;
    } else if (!strcmp(a, "-L") || !strcmp(a, "--location")) {
      op->follow = 1;
    } else if (!strcmp(a, "--no-location")) {
      op->follow = 0;
    } else if (!strcmp(a, "--max-redirs") || !strcmp(a, "-m") || !strcmp(a, "--max-time") ||
               !strcmp(a, "--connect-timeout")) {
      VAL(a);
      char *e;
      long n = strtol(v, &e, 10);
      if (*e || n < 0 || n > 100000)
        return -bad("needs a whole number: ", a);
      if (!strcmp(a, "--max-redirs"))
        op->max_redirs = n;
      else if (!strcmp(a, "--connect-timeout"))
        op->connect_timeout = n;
      else
        op->max_time = n;
    } else if (!strcmp(a, "-j") || !strcmp(a, "--json")) {
      op->o.json = 1;
    } else if (!strcmp(a, "-l") || !strcmp(a, "--lang")) {
      VAL(a);
      if (strcmp(v, "en") && strcmp(v, "zh"))
        return -bad("--lang takes en or zh, not ", v);
      op->o.lang = !strcmp(v, "zh") ? HS_LANG_ZH : HS_LANG_EN;
    } else if (!strcmp(a, "--fail-on") || !strcmp(a, "--severity")) {
      VAL(a);
      int s = hs__sev_parse(v);
      if (s < 0)
        return -bad("takes error, warning or info: ", a);
      *(a[2] == 'f' ? &op->o.fail_on : &op->o.min_show) = s;
    } else if (a[0] == '-') {
      return -bad("unknown option ", a);
    } else if (op->url) {
      return -bad("one URL at a time; extra argument ", a);
    } else {
      op->url = a;
    }
#undef VAL
  }
  if (!op->url)
    return -bad("needs a URL, e.g. httpstatus check https://example.com/", NULL);
  return 0;
}

int hs__cmd_check(int argc, char **argv) {
  opts_t op;
  memset(&op, 0, sizeof op);
  const char *lv = getenv("LANG");
  op.o.lang = lv && !strncmp(lv, "zh", 2) ? HS_LANG_ZH : HS_LANG_EN;
  op.o.min_show = HS__LSEV_INFO;
  op.o.fail_on = HS__LSEV_ERROR;
  op.o.worst = -1;
  op.follow = 1;
  op.max_redirs = 10;
  op.max_time = 30;
  op.connect_timeout = 10;
  int pr = parse_args(&op, argc, argv);
  if (pr != 0) {
    curl_slist_free_all(op.headers);
    return pr > 0 ? HS_EXIT_CLEAN : HS_EXIT_FAILURE;
  }
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
    return bad("cannot initialise libcurl", NULL);
  CURL *c = curl_easy_init();
  if (!c)
    return bad("cannot initialise libcurl", NULL);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, op.headers);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_CERTINFO, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, op.max_time);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, op.connect_timeout);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "httpstatus-check/" HS_VERSION_STRING);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  if (op.http == 1)
    curl_easy_setopt(c, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
  else if (op.http == 2)
    curl_easy_setopt(c, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2_0);
  else if (op.http == 3)
    curl_easy_setopt(c, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE);
  if (op.cacert)
    curl_easy_setopt(c, CURLOPT_CAINFO, op.cacert);
  if (op.insecure) {
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  char *url = strdup(op.url);
  char method[32];
  snprintf(method, sizeof method, "%s", op.method ? op.method : op.data ? "POST" : "GET");
  int send_data = op.data != NULL;
  if (op.o.json) {
    fputs("{\"url\": ", stdout);
    hs__json_str(stdout, op.url);
    fputs(", \"hops\": [", stdout);
  }
  CURLcode rc = CURLE_OK;
  int hops = 0;
  const char *stop = NULL;
  for (;;) {
    char *next = NULL;
    rc = one_hop(c, &op, url, method, send_data, hops, &next);
    hops++;
    if (rc != CURLE_OK || !next || !op.follow) {
      free(next);
      break;
    }
    if (hops > op.max_redirs) {
      stop = "too many redirects (see --max-redirs)";
      free(next);
      break;
    }
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    /* RFC 9110 §15.4: 303 makes the next request GET (HEAD stays HEAD); user
     * agents do the same for a POST answered with 301 or 302. */
    if ((status == 303 && strcmp(method, "HEAD")) ||
        ((status == 301 || status == 302) && !strcmp(method, "POST"))) {
      snprintf(method, sizeof method, "GET");
      send_data = 0;
    }
    free(url);
    url = next;
  }
  char cerr[256] = "";
  if (rc != CURLE_OK)
    snprintf(cerr, sizeof cerr, "%s: %s", failure_kind(rc), curl_easy_strerror(rc));
  else if (stop)
    snprintf(cerr, sizeof cerr, "%s", stop);
  if (op.o.json) {
    fputs(hops && (rc == CURLE_OK || hops > 1) ? "\n  ],\n  \"error\": " : "],\n  \"error\": ",
          stdout);
    hs__json_str(stdout, cerr[0] ? cerr : NULL);
    fprintf(stdout, ",\n  \"summary\": {\"error\": %zu, \"warning\": %zu, \"info\": %zu}\n}\n",
            op.o.counts[0], op.o.counts[1], op.o.counts[2]);
  }
  if (cerr[0])
    fprintf(stderr, "httpstatus check: %s: %s\n", url, cerr);
  free(url);
  curl_easy_cleanup(c);
  curl_slist_free_all(op.headers);
  curl_global_cleanup();
  if (cerr[0])
    return HS_EXIT_FAILURE;
  return op.o.worst >= 0 && op.o.worst <= op.o.fail_on ? HS_EXIT_FINDINGS : HS_EXIT_CLEAN;
}
