/* TLS through memory BIOs (tls.h): the listener's certificates, SNI and ALPN
 * selection, and the protocol wrapper conn.c drives. */
#include "server/tls.h"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "server/http1/http1.h"
#include "server/http2/h2.h"
#include "server/switch.h"

#define READ_BLOCK 16384
#define MAX_BUFFERED_IN (256 * 1024) /* ciphertext kept while the protocol is busy */
#define REFUSE_HANDSHAKE_MS 2000     /* over the connection limit: the longest handshake */

typedef struct hs_tls_s {
  SSL *ssl;
  size_t in_off; /* rbuf[in_off, len) is ciphertext OpenSSL has not read yet */
  hs__ctx_t *ctx;
  const hs__tls_conf_t *conf;
  const hs__tls_identity_t *id; /* the certificate SNI chose */
  const hs__proto_ops_t *inner; /* NULL until the handshake is done */
  void *ip;
  hs__buf_t rbuf;
  hs__buf_t out;
  uint64_t start_ms;
  unsigned failed : 1;
  unsigned shut : 1;     /* close_notify sent */
  unsigned plain : 1;    /* plain HTTP on the TLS port: bytes pass as they are */
  unsigned refusing : 1; /* over the connection limit: the protocol refuses after the handshake */
  const char *peer;      /* the connection's (borrowed: it outlives us) */
  hs__h1_park_t *h1park; /* the worker's parked HTTP/1 states */
  hs__h1_slot_t h1;      /* ip when ALPN chose HTTP/1.1 */
} hs__tls_t;

/* ---- the BIO: OpenSSL reads ciphertext straight from rbuf and writes
 * records straight into out (no copies through memory BIOs) ---- */

static BIO_METHOD *bio_method;
static pthread_once_t bio_once = PTHREAD_ONCE_INIT;

/* Ciphertext that arrived, as far as there is: else "retry" (not EOF). */
static int bio_read(BIO *b, char *buf, int len) {
  hs__tls_t *t = BIO_get_data(b);
  size_t have = t->rbuf.len - t->in_off;
  BIO_clear_retry_flags(b);
  if (have == 0) {
    BIO_set_retry_read(b);
    return -1;
  }
  size_t n = have < (size_t)len ? have : (size_t)len;
  memcpy(buf, t->rbuf.base + t->in_off, n);
  t->in_off += n;
  return (int)n;
}

/* Records go to the output buffer conn.c writes. */
static int bio_write(BIO *b, const char *buf, int len) {
  hs__tls_t *t = BIO_get_data(b);
  BIO_clear_retry_flags(b);
  hs__buf_append(&t->out, buf, (size_t)len);
  return len;
}

static long bio_ctrl(BIO *b, int cmd, long num, void *ptr) {
  hs__tls_t *t = BIO_get_data(b);
  switch (cmd) {
  case BIO_CTRL_FLUSH:
    return 1;
  case BIO_CTRL_PENDING:
    return t ? (long)(t->rbuf.len - t->in_off) : 0;
  default:
    return 0;
  }
}

static int bio_create(BIO *b) {
  BIO_set_init(b, 1);
  return 1;
}

static void make_bio_method(void) {
  bio_method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "httpstatus");
  if (!bio_method)
    return;
  BIO_meth_set_read(bio_method, bio_read);
  BIO_meth_set_write(bio_method, bio_write);
  BIO_meth_set_ctrl(bio_method, bio_ctrl);
  BIO_meth_set_create(bio_method, bio_create);
}

/* ---- certificates, SNI, ALPN ---- */

/* RFC 6066 §3: picks the certificate that covers the requested name (the
 * first one otherwise) and remembers it for the 421 check. */
static int on_servername(SSL *ssl, int *alert, void *arg) {
  const hs__tls_conf_t *conf = arg;
  hs__tls_t *t = SSL_get_app_data(ssl);
  const char *name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
  if (!name || !t)
    return SSL_TLSEXT_ERR_OK;
  hs__str_t host = {name, strlen(name)};
  for (int i = 0; i < conf->n; i++)
    if (hs__tls_covers(&conf->ids[i], host)) {
      t->id = &conf->ids[i];
      if (i > 0)
        SSL_set_SSL_CTX(ssl, conf->ids[i].ctx);
      break;
    }
  return SSL_TLSEXT_ERR_OK;
}

/* RFC 7301: h2 when the client offers it, else http/1.1; a client that
 * offers neither gets no_application_protocol (§3.2). */
static int on_alpn(SSL *ssl, const unsigned char **out, unsigned char *outlen,
                   const unsigned char *in, unsigned int inlen, void *arg) {
  static const unsigned char ours[] = "\x02h2\x08http/1.1";
  unsigned char *sel;
  if (SSL_select_next_proto(&sel, outlen, ours, sizeof(ours) - 1, in, inlen) !=
      OPENSSL_NPN_NEGOTIATED)
    return SSL_TLSEXT_ERR_ALERT_FATAL;
  *out = sel;
  return SSL_TLSEXT_ERR_OK;
}

/* Client certificates are checked per request (/client-cert), not by the
 * handshake: one that does not verify still lets the connection open, as
 * nginx's `ssl_verify_client optional` does, and the answer is its 495. */
static int accept_any(int ok, X509_STORE_CTX *store) { return 1; }

/* A context for one certificate/key pair: TLS 1.2 and 1.3, forward-secret
 * AEAD suites only for 1.2 (also what RFC 9113 §9.2.2 asks of HTTP/2), no
 * renegotiation, tickets for resumption. */
static SSL_CTX *new_ctx(const char *cert, const char *key, const hs__tls_conf_t *conf, FILE *err) {
  SSL_CTX *c = SSL_CTX_new(TLS_server_method());
  if (!c)
    return NULL;
  SSL_CTX_set_min_proto_version(c, TLS1_2_VERSION);
  SSL_CTX_set_cipher_list(c, "ECDHE+AESGCM:ECDHE+CHACHA20:!aNULL");
  SSL_CTX_set_options(c, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE |
                             SSL_OP_NO_COMPRESSION);
  SSL_CTX_set_session_id_context(c, (const unsigned char *)"httpstatus", 10);
  SSL_CTX_set_session_cache_mode(c, SSL_SESS_CACHE_SERVER);
  SSL_CTX_set_mode(c, SSL_MODE_RELEASE_BUFFERS);
  SSL_CTX_set_read_ahead(c, 1);
  SSL_CTX_set_tlsext_servername_callback(c, on_servername);
  SSL_CTX_set_tlsext_servername_arg(c, (void *)conf);
  SSL_CTX_set_alpn_select_cb(c, on_alpn, NULL);
  if (SSL_CTX_use_certificate_chain_file(c, cert) != 1 ||
      SSL_CTX_use_PrivateKey_file(c, key, SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_check_private_key(c) != 1) {
    char buf[256];
    ERR_error_string_n(ERR_get_error(), buf, sizeof(buf));
    fprintf(err, "httpstatus serve: cannot use certificate %s with key %s: %s\n", cert, key, buf);
    SSL_CTX_free(c);
    return NULL;
  }
  if (conf->client_ca) { /* --tls-client-ca: ask for a certificate signed by these */
    STACK_OF(X509_NAME) *names = SSL_load_client_CA_file(conf->client_ca);
    if (!names || SSL_CTX_load_verify_locations(c, conf->client_ca, NULL) != 1) {
      sk_X509_NAME_pop_free(names, X509_NAME_free);
      fprintf(err, "httpstatus serve: cannot read --tls-client-ca %s\n", conf->client_ca);
      SSL_CTX_free(c);
      return NULL;
    }
    SSL_CTX_set_client_CA_list(c, names);
    SSL_CTX_set_verify(c, SSL_VERIFY_PEER, accept_any);
  }
  return c;
}

/* The directory for the generated CA: --tls-dir, $XDG_STATE_HOME/httpstatus
 * or ~/.local/state/httpstatus. */
static void state_dir(const hs__config_t *cfg, char *out, size_t cap) {
  const char *x = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
  if (cfg->tls_dir)
    snprintf(out, cap, "%s", cfg->tls_dir);
  else if (x && *x)
    snprintf(out, cap, "%s/httpstatus", x);
  else
    snprintf(out, cap, "%s/.local/state/httpstatus", home && *home ? home : ".");
}

int hs__tls_conf_init(hs__tls_conf_t *t, const hs__config_t *cfg, FILE *err) {
  memset(t, 0, sizeof(*t));
  t->client_ca = cfg->tls_client_ca;
  char dir[1024], cert[1200], key[1200], ca[1200];
  const char *certs[HS_MAX_TLS_PAIRS], *keys[HS_MAX_TLS_PAIRS];
  int n = cfg->ntls;
  for (int i = 0; i < n; i++)
    certs[i] = cfg->tls_cert[i], keys[i] = cfg->tls_key[i];
  if (n == 0) { /* an embedded default that works on first run */
    state_dir(cfg, dir, sizeof(dir));
    if (hs__tls_local_ca(dir, cert, key, ca, sizeof(cert), err) != 0)
      return -1;
    certs[0] = cert, keys[0] = key, n = 1;
    snprintf(t->local_ca, sizeof(t->local_ca), "%s", ca);
  }
  for (int i = 0; i < n; i++) {
    hs__tls_identity_t *id = &t->ids[i];
    id->ctx = new_ctx(certs[i], keys[i], t, err);
    if (!id->ctx || hs__tls_identity_names(id, SSL_CTX_get0_certificate(id->ctx)) != 0) {
      hs__tls_conf_free(t);
      return -1;
    }
    t->n = i + 1;
  }
  return 0;
}

void hs__tls_conf_free(hs__tls_conf_t *t) {
  for (int i = 0; i < t->n; i++) {
    hs__tls_identity_t *id = &t->ids[i];
    SSL_CTX_free(id->ctx);
    for (size_t k = 0; k < id->ndns; k++)
      free(id->dns[k]);
    free(id->dns);
    free(id->ips);
    free(id->iplen);
  }
  t->n = 0;
}

/* RFC 3986 §3.2.2 IPv4address: four dec-octets ("0"-"255", no leading zero),
 * dots between. Writes the four bytes to ip; returns 1 if s[0..n) is one.
 * (Cheaper than inet_pton, and run on every request's Host: the 421 check.) */
static int parse_ipv4(const char *s, size_t n, unsigned char ip[4]) {
  const char *e = s + n;
  for (int i = 0; i < 4; i++) {
    if (i && (s == e || *s++ != '.'))
      return 0;
    unsigned v = 0, digits = 0;
    while (s < e && *s >= '0' && *s <= '9' && digits < 4)
      v = v * 10 + (unsigned)(*s++ - '0'), digits++;
    if (!digits || digits > 3 || v > 255 || (digits > 1 && s[-(int)digits] == '0'))
      return 0;
    ip[i] = (unsigned char)v;
  }
  return s == e;
}

int hs__tls_covers(const hs__tls_identity_t *id, hs__str_t authority) {
  char host[256];
  const char *s = authority.ptr, *e = authority.ptr + authority.len;
  int bracketed = s < e && *s == '[';
  if (bracketed) { /* IP-literal (RFC 3986 §3.2.2) */
    const char *rb = memchr(s, ']', (size_t)(e - s));
    if (!rb)
      return 0;
    s++, e = rb;
  } else {
    const char *colon = memchr(s, ':', (size_t)(e - s));
    if (colon)
      e = colon;
  }
  size_t n = (size_t)(e - s);
  if (n == 0 || n >= sizeof(host))
    return 0;
  if (s[n - 1] == '.' && !bracketed) /* an absolute name: the same host */
    n--;
  unsigned char ip[16];
  int iplen = 0;
  if (bracketed) {
    memcpy(host, s, n);
    host[n] = 0;
    if (inet_pton(AF_INET6, host, ip) != 1)
      return 0; /* IPvFuture: no certificate names one */
    iplen = 16;
  } else if (n && *s >= '0' && *s <= '9' && parse_ipv4(s, n, ip)) {
    iplen = 4;
  }
  if (iplen) {
    for (size_t i = 0; i < id->nips; i++)
      if (id->iplen[i] == iplen && memcmp(id->ips[i], ip, (size_t)iplen) == 0)
        return 1;
    return 0;
  }
  for (size_t i = 0; i < id->ndns; i++) {
    const char *d = id->dns[i];
    size_t dn = strlen(d);
    if (dn == n && strncasecmp(d, s, n) == 0)
      return 1;
    if (d[0] == '*' && d[1] == '.') { /* one leftmost label (RFC 6125 §6.4.3) */
      const char *dot = memchr(s, '.', n);
      if (dot && dot != s && (size_t)(s + n - dot - 1) == dn - 2 &&
          strncasecmp(dot + 1, d + 2, dn - 2) == 0)
        return 1;
    }
  }
  return 0;
}

/* ---- the connection ---- */

void *hs__tls_new(hs__ctx_t *ctx, const hs__tls_conf_t *conf, hs__h1_park_t *h1park,
                  const char *peer) {
  hs__tls_t *t = calloc(1, sizeof(*t));
  if (!t)
    return NULL;
  pthread_once(&bio_once, make_bio_method);
  t->ssl = SSL_new(conf->ids[0].ctx);
  BIO *bio = bio_method ? BIO_new(bio_method) : NULL;
  if (!t->ssl || !bio) {
    SSL_free(t->ssl);
    BIO_free(bio);
    free(t);
    return NULL;
  }
  BIO_set_data(bio, t);
  SSL_set_bio(t->ssl, bio, bio); /* one BIO both ways; SSL owns it */
  SSL_set_accept_state(t->ssl);
  SSL_set_app_data(t->ssl, t);
  t->ctx = ctx;
  t->conf = conf;
  t->id = &conf->ids[0];
  t->start_ms = ctx->now_ms;
  hs__buf_init(&t->rbuf, &ctx->opool); /* 16 KiB blocks, warm and without malloc */
  hs__buf_init(&t->out, &ctx->opool);
  t->peer = peer ? peer : "";
  t->h1park = h1park;
  return t;
}

/* The 421 check the inner protocols run on each request (RFC 9110 §15.5.20). */
static int covers_request(const void *arg, hs__str_t authority) {
  return hs__tls_covers(arg, authority);
}

/* The handshake is done: the protocol ALPN chose takes the plaintext. */
static int start_inner(hs__tls_t *t) {
  const unsigned char *alpn = NULL;
  unsigned len = 0;
  SSL_get0_alpn_selected(t->ssl, &alpn, &len);
  if (len == 2 && memcmp(alpn, "h2", 2) == 0) {
    hs__h2_t *h2 = hs__h2_new(t->ctx, t->peer, HS_STR("https"));
    if (!h2)
      return -1;
    hs__h2_set_authority_check(h2, covers_request, t->id);
    t->inner = &hs__h2_proto;
    t->ip = h2;
  } else {
    /* parked while idle, as over cleartext (h1_slot.c) */
    if (hs__h1_slot_init_tls(&t->h1, t->h1park, t->peer, covers_request, t->id) != 0)
      return -1;
    t->inner = &hs__h1_slot_proto;
    t->ip = &t->h1;
  }
  return 0;
}

/* Encrypts what the protocol wrote: the records land in t->out (bio_write). */
static void encrypt_out(hs__tls_t *t) {
  if (t->plain && t->inner) { /* nginx's 497 answer goes out in clear */
    hs__buf_t *o = t->inner->output(t->ip);
    hs__buf_append(&t->out, o->base, o->len);
    o->len = 0;
    return;
  }
  if (t->inner && !t->failed) {
    hs__buf_t *o = t->inner->output(t->ip);
    size_t off = 0;
    while (off < o->len) {
      int n =
          SSL_write(t->ssl, o->base + off, (int)(o->len - off > 1 << 30 ? 1 << 30 : o->len - off));
      if (n <= 0) {
        t->failed = 1;
        break;
      }
      off += (size_t)n;
    }
    o->len = 0;
  }
}

/* Says goodbye with close_notify (RFC 8446 §6.1) when the connection ends. */
static unsigned finish(hs__tls_t *t, unsigned flags) {
  if ((flags & (HS_PROTO_CLOSE | HS_PROTO_CLOSE_NOW)) && !t->shut && !t->failed && t->inner &&
      !t->plain) {
    encrypt_out(t);
    SSL_shutdown(t->ssl);
    t->shut = 1;
  }
  encrypt_out(t);
  return t->failed ? (flags | HS_PROTO_CLOSE) : flags;
}

/* Moves plaintext from OpenSSL into the protocol while it can take some:
 * the handshake first, then records, as far as the protocol is not busy. */
/* A TLS connection starts with a handshake record (0x16); an upper-case
 * letter is an HTTP method: plain HTTP sent to the HTTPS port. Like nginx, it
 * gets an HTTP/1.1 answer in clear: 400, logged 497 (http1.c). */
static int start_plain(hs__tls_t *t) {
  hs__h1_t *h1 = hs__h1_new(t->ctx, t->peer);
  if (!h1)
    return -1;
  h1->plain_on_tls = 1;
  t->plain = 1;
  hs__metric_inc(&t->ctx->metrics, HS_MV_TLS_FAILURES); /* no handshake: a failed one */
  t->inner = &hs__h1_proto;
  t->ip = h1;
  return 0;
}

/* Plain mode: the bytes go to HTTP/1 as they are. */
static unsigned pump_plain(hs__tls_t *t) {
  unsigned flags = 0;
  while (!(flags & (HS_PROTO_CLOSE | HS_PROTO_CLOSE_NOW)) && !t->inner->busy(t->ip) &&
         t->in_off < t->rbuf.len) {
    size_t avail;
    char *p = t->inner->rbuf(t->ip, &avail);
    size_t n = t->rbuf.len - t->in_off;
    if (!avail)
      break;
    if (n > avail)
      n = avail;
    memcpy(p, t->rbuf.base + t->in_off, n);
    t->in_off += n;
    flags |= t->inner->feed(t->ip, n);
  }
  return finish(t, flags & ~(unsigned)HS_PROTO_SWITCH);
}

static unsigned pump(hs__tls_t *t) {
  unsigned flags = 0;
  if (!t->inner && t->in_off == 0 && t->rbuf.len && t->rbuf.base[0] >= 'A' &&
      t->rbuf.base[0] <= 'Z' && start_plain(t) != 0)
    return HS_PROTO_CLOSE_NOW;
  if (t->plain)
    return pump_plain(t);
  if (!t->inner) {
    int r = SSL_do_handshake(t->ssl);
    if (r != 1) {
      int e = SSL_get_error(t->ssl, r);
      if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
        return finish(t, 0);
      t->failed = 1; /* the alert, if any, is in out */
      hs__metric_inc(&t->ctx->metrics, HS_MV_TLS_FAILURES);
      ERR_clear_error();
      encrypt_out(t);
      return HS_PROTO_CLOSE;
    }
    hs__metric_inc(&t->ctx->metrics, HS_MV_TLS_HANDSHAKES);
    if (start_inner(t) != 0)
      return HS_PROTO_CLOSE_NOW;
    if (t->refusing) /* HTTP/1: 503 + Retry-After; h2: 503 and GOAWAY */
      flags |= t->inner->refuse(t->ip);
  }
  while (!(flags & (HS_PROTO_CLOSE | HS_PROTO_CLOSE_NOW)) && !t->inner->busy(t->ip)) {
    size_t avail;
    char *p = t->inner->rbuf(t->ip, &avail);
    if (!avail)
      break;
    /* every record that is here, in one piece: the protocol then sees what
     * arrived together at once (HTTP/2 checks all frames before answering) */
    size_t got = 0;
    int n = 0, e = SSL_ERROR_NONE;
    if (avail > 1 << 30)
      avail = 1 << 30;
    while (got < avail && (n = SSL_read(t->ssl, p + got, (int)(avail - got))) > 0) {
      got += (size_t)n;
      if (t->in_off == t->rbuf.len && !SSL_has_pending(t->ssl)) {
        n = -1; /* every record read: another SSL_read could only want more */
        e = SSL_ERROR_WANT_READ;
        break;
      }
    }
    if (n <= 0 && e == SSL_ERROR_NONE)
      e = SSL_get_error(t->ssl, n);
    if (got)
      flags |= t->inner->feed(t->ip, got);
    if (n <= 0) {
      if (e == SSL_ERROR_ZERO_RETURN && !(flags & (HS_PROTO_CLOSE | HS_PROTO_CLOSE_NOW)))
        flags |= t->inner->eof(t->ip); /* close_notify: the peer is done */
      else if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE &&
               e != SSL_ERROR_ZERO_RETURN) {
        t->failed = 1;
        ERR_clear_error();
        flags |= HS_PROTO_CLOSE;
      }
    }
    if (flags & HS_PROTO_SWITCH) { /* HTTP/1.1 over TLS may still switch to HTTP/2 */
      encrypt_out(t);
      flags = hs__proto_switch(t->ctx, t->peer, HS_STR("https"), &t->inner, &t->ip);
    }
    if (n <= 0)
      break;
  }
  return finish(t, flags);
}

int hs__tls_client_cert(void *p, char *subj, size_t cap, const char **why) {
  hs__tls_t *t = p;
  *why = "";
  if (!t->conf->client_ca || t->plain || !t->inner)
    return -2;
  X509 *x = SSL_get0_peer_certificate(t->ssl);
  if (!x)
    return 0;
  BIO *b = BIO_new(BIO_s_mem());
  if (b && cap) {
    X509_NAME_print_ex(b, X509_get_subject_name(x), 0, XN_FLAG_RFC2253);
    int n = BIO_read(b, subj, (int)cap - 1);
    subj[n > 0 ? n : 0] = 0;
  }
  BIO_free(b);
  long v = SSL_get_verify_result(t->ssl);
  if (v == X509_V_OK)
    return 1;
  *why = X509_verify_cert_error_string(v);
  return -1;
}

/* ---- the wrapper as conn.c sees it ---- */

static char *p_rbuf(void *p, size_t *avail) {
  hs__tls_t *t = p;
  *avail = 0;
  size_t kept = t->rbuf.len - t->in_off;
  if (t->inner && t->inner->busy(t->ip) && kept > MAX_BUFFERED_IN)
    return t->rbuf.base; /* enough kept for a busy protocol: stop reading */
  if (kept && t->in_off) /* what OpenSSL has not read moves to the front */
    memmove(t->rbuf.base, t->rbuf.base + t->in_off, kept);
  t->rbuf.len = kept;
  t->in_off = 0;
  char *b = hs__buf_reserve(&t->rbuf, READ_BLOCK);
  *avail = t->rbuf.cap - t->rbuf.len;
  return b;
}

static unsigned p_feed(void *p, size_t n) {
  hs__tls_t *t = p;
  t->rbuf.len += n;
  return pump(t);
}

static unsigned p_eof(void *p) {
  hs__tls_t *t = p;
  return finish(t, t->inner ? t->inner->eof(t->ip) : HS_PROTO_CLOSE);
}

static uint64_t p_deadline(void *p, uint64_t now, int writing, uint64_t idle_ms) {
  hs__tls_t *t = p;
  uint64_t hs_ms = t->ctx->cfg->header_timeout_ms;
  if (t->refusing && hs_ms > REFUSE_HANDSHAKE_MS)
    hs_ms = REFUSE_HANDSHAKE_MS; /* a refused connection is not kept long */
  if (!t->inner)                 /* the handshake is under the header timeout */
    return t->start_ms + hs_ms;
  return t->inner->deadline(t->ip, now, writing, idle_ms);
}

static unsigned p_on_timer(void *p) {
  hs__tls_t *t = p;
  if (!t->inner)
    return HS_PROTO_CLOSE_NOW; /* no handshake in time */
  unsigned flags = t->inner->on_timer(t->ip);
  if (flags & (HS_PROTO_CLOSE | HS_PROTO_CLOSE_NOW))
    return finish(t, flags);
  return finish(t, flags | pump(t)); /* records that waited for a busy protocol */
}

static int p_busy(const void *p) {
  const hs__tls_t *t = p;
  return t->inner && t->inner->busy(t->ip);
}

static unsigned p_going_away(void *p) {
  hs__tls_t *t = p;
  return finish(t, t->inner ? t->inner->going_away(t->ip) : HS_PROTO_CLOSE_NOW);
}

/* Over the connection limit: the handshake is completed (within
 * REFUSE_HANDSHAKE_MS) so that the protocol ALPN chose can answer 503 with
 * Retry-After (RFC 9110 §15.6.4) instead of a reset. */
static unsigned p_refuse(void *p) {
  hs__tls_t *t = p;
  t->refusing = 1;
  return 0;
}

static void p_discard(void *p) {
  hs__tls_t *t = p;
  if (t->inner)
    t->inner->discard(t->ip);
}

static void p_release_idle(void *p) {
  hs__tls_t *t = p;
  if (t->inner)
    t->inner->release_idle(t->ip);
  if (t->out.len == 0)
    hs__buf_release(&t->out);
  if (t->in_off == t->rbuf.len) {
    hs__buf_release(&t->rbuf);
    t->in_off = 0;
  }
}

static hs__buf_t *p_output(void *p) { return &((hs__tls_t *)p)->out; }
static void p_handover(void *p, hs__handover_t *out) { memset(out, 0, sizeof(*out)); }

static void p_free(void *p) {
  hs__tls_t *t = p;
  if (t->inner)
    t->inner->free(t->ip);
  SSL_free(t->ssl); /* and its BIOs */
  hs__buf_release(&t->rbuf);
  hs__buf_release(&t->out);
  free(t);
}

const hs__proto_ops_t hs__tls_proto = {"tls",          p_rbuf,   p_feed,       p_eof,    p_deadline,
                                       p_on_timer,     p_busy,   p_going_away, p_refuse, p_discard,
                                       p_release_idle, p_output, p_handover,   p_free};
