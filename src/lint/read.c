/* Text captures for the lint engine: raw HTTP/1.x responses as on the wire or
 * as `curl -i` prints them (one or more in a row), and `curl -v` transcripts
 * ("> " request, "< " response, "* " notes, then the body unprefixed). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lint/read.h"

void hs__lread_opts_init(hs__lread_opts_t *o) {
  memset(o, 0, sizeof *o);
  o->max_line = 65536;
  o->max_fields = 1000;
  o->max_entry = 1 << 20;
}

/* One parsed response: fields and request fields are index ranges into the
 * reader's shared arrays until the callback sees them. */
typedef struct pmsg_s {
  hs__lmsg_t m;
  size_t f0, nf, r0, nr;
} pmsg_t;

typedef struct rd_s {
  const char *p, *end;
  const hs__lread_opts_t *o;
  size_t lineno;
  hs__lfield_t *f;
  size_t nf, capf;
  pmsg_t *msgs;
  size_t nmsgs, capm;
  char *err;
  size_t errlen;
} rd_t;

static int fail(rd_t *r, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = snprintf(r->err, r->errlen, "line %zu: ", r->lineno);
  if (n >= 0 && (size_t)n < r->errlen)
    vsnprintf(r->err + n, r->errlen - (size_t)n, fmt, ap);
  va_end(ap);
  return -1;
}

/* The next line (without CR LF) into *line; 0 at the end of input. */
static int next_line(rd_t *r, hs__lspan_t *line) {
  if (r->p >= r->end)
    return 0;
  const char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
  const char *e = nl ? nl : r->end;
  *line = (hs__lspan_t){r->p, (size_t)(e - r->p)};
  if (line->n && line->p[line->n - 1] == '\r')
    line->n--;
  r->p = nl ? nl + 1 : r->end;
  r->lineno++;
  return 1;
}

static int push_field(rd_t *r, hs__lspan_t name, hs__lspan_t value, uint32_t flags, size_t count) {
  if (count >= r->o->max_fields)
    return fail(r, "more than %zu header fields in one message", r->o->max_fields);
  if (r->nf == r->capf) {
    size_t cap = r->capf ? r->capf * 2 : 64;
    hs__lfield_t *nf = realloc(r->f, cap * sizeof *nf);
    if (!nf)
      return fail(r, "out of memory");
    r->f = nf;
    r->capf = cap;
  }
  r->f[r->nf++] = (hs__lfield_t){name, value, flags};
  return 0;
}

static pmsg_t *push_msg(rd_t *r) {
  if (r->nmsgs == r->capm) {
    size_t cap = r->capm ? r->capm * 2 : 8;
    pmsg_t *nm = realloc(r->msgs, cap * sizeof *nm);
    if (!nm)
      return NULL;
    r->msgs = nm;
    r->capm = cap;
  }
  pmsg_t *m = &r->msgs[r->nmsgs++];
  memset(m, 0, sizeof *m);
  m->m.tls = -1;
  m->m.body_len = -1;
  return m;
}

static int is_status_line(const char *p, size_t n) {
  return n >= 8 && memcmp(p, "HTTP/", 5) == 0 && p[5] >= '0' && p[5] <= '9';
}

/* RFC 9112 §4: "HTTP/" DIGIT "." DIGIT SP 3DIGIT SP reason; also accepts the
 * "HTTP/2 200" form curl and HAR viewers print. */
static void status_line(hs__lmsg_t *m, hs__lspan_t l) {
  m->status = -1;
  if (!is_status_line(l.p, l.n))
    return;
  size_t i = 5;
  m->vmaj = l.p[i++] - '0';
  if (i < l.n && l.p[i] == '.') {
    if (i + 1 >= l.n || l.p[i + 1] < '0' || l.p[i + 1] > '9')
      return;
    m->vmin = l.p[i + 1] - '0';
    i += 2;
  } else if (m->vmaj == 1) {
    return;
  }
  if (i + 4 > l.n || l.p[i] != ' ')
    return;
  i++;
  int s = 0;
  for (int k = 0; k < 3; k++) {
    char c = l.p[i + (size_t)k];
    if (c < '0' || c > '9')
      return;
    s = s * 10 + (c - '0');
  }
  i += 3;
  if (i < l.n && l.p[i] != ' ')
    return;
  m->status = s;
  m->line_ok = 1;
  if (i < l.n)
    m->reason = (hs__lspan_t){l.p + i + 1, l.n - i - 1};
}

/* A header line "Name: value" (prefix already removed) into the fields. */
static int header_line(rd_t *r, hs__lspan_t l, size_t *count, size_t first) {
  if (l.n > r->o->max_line)
    return fail(r, "header line of %zu bytes is longer than the limit of %zu", l.n, r->o->max_line);
  if (memchr(l.p, '\0', l.n))
    return fail(r, "binary data (a NUL byte) in the header section");
  if ((l.p[0] == ' ' || l.p[0] == '\t') && r->nf > first) {
    r->f[r->nf - 1].flags |= HS__LF_FOLDED;
    return 0;
  }
  const char *colon = memchr(l.p, ':', l.n);
  if (!colon || colon == l.p)
    return fail(r, "header line without a field name and colon: \"%.*s\"",
                (int)(l.n < 40 ? l.n : 40), l.p);
  hs__lspan_t name = {l.p, (size_t)(colon - l.p)};
  uint32_t flags = 0;
  if (name.p[name.n - 1] == ' ' || name.p[name.n - 1] == '\t') {
    flags |= HS__LF_SPACE_COLON;
    while (name.n && (name.p[name.n - 1] == ' ' || name.p[name.n - 1] == '\t'))
      name.n--;
  }
  hs__lspan_t v = {colon + 1, (size_t)(l.p + l.n - colon - 1)};
  while (v.n && (v.p[0] == ' ' || v.p[0] == '\t'))
    v.p++, v.n--;
  while (v.n && (v.p[v.n - 1] == ' ' || v.p[v.n - 1] == '\t'))
    v.n--;
  if (push_field(r, name, v, flags, *count) < 0)
    return -1;
  (*count)++;
  return 0;
}

static int only_space(const char *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
      return 0;
  return 1;
}

/* Where the next response's status line starts (a line beginning "HTTP/"), or end. */
static const char *next_status(const char *p, const char *end) {
  const char *q = p;
  while (q < end) {
    if ((q == p || q[-1] == '\n') && is_status_line(q, (size_t)(end - q)))
      return q;
    const char *nl = memchr(q, '\n', (size_t)(end - q));
    if (!nl)
      break;
    q = nl + 1;
  }
  return end;
}

/* A chunked body at r->p (RFC 9112 §7.1); returns its decoded size and moves
 * past it, or -1 (and does not move) when it is not chunked on the wire. */
static int64_t chunked(rd_t *r) {
  const char *p = r->p;
  int64_t total = 0;
  for (;;) {
    const char *nl = memchr(p, '\n', (size_t)(r->end - p));
    if (!nl)
      return -1;
    int64_t size = 0;
    const char *q = p;
    int digits = 0;
    for (; q < nl && digits < 15; q++, digits++) {
      char c = *q;
      int v = c >= '0' && c <= '9'   ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                     : -1;
      if (v < 0)
        break;
      size = size * 16 + v;
    }
    if (!digits || (q < nl && *q != ';' && *q != '\r'))
      return -1;
    p = nl + 1;
    if (size == 0)
      break;
    if (r->end - p < size + 1)
      return -1;
    p += size;
    if (*p == '\r')
      p++;
    if (p >= r->end || *p != '\n')
      return -1;
    p++;
    total += size;
  }
  for (;;) { /* trailer section up to an empty line */
    const char *nl = memchr(p, '\n', (size_t)(r->end - p));
    if (!nl) {
      p = r->end;
      break;
    }
    size_t len = (size_t)(nl - p);
    p = nl + 1;
    if (len == 0 || (len == 1 && p[-2] == '\r'))
      break;
  }
  for (const char *q = r->p; q < p; q++)
    r->lineno += *q == '\n';
  r->p = p;
  return total;
}

/* The body of a raw response (RFC 9112 §6.3, with curl -i's decoded chunks
 * and pasted trailing newlines in mind). */
static void raw_body(rd_t *r, pmsg_t *pm) {
  hs__lmsg_t *m = &pm->m;
  const hs__lfield_t *f = r->f ? r->f + pm->f0 : NULL;
  int64_t cl = -1, ncl = 0;
  int te_chunked = 0, te = 0;
  for (size_t i = 0; i < pm->nf; i++) {
    if (f[i].name.n == 14 && !strncasecmp(f[i].name.p, "Content-Length", 14)) {
      char b[24];
      size_t n = f[i].value.n < sizeof b - 1 ? f[i].value.n : sizeof b - 1;
      memcpy(b, f[i].value.p, n);
      b[n] = '\0';
      char *e;
      long long v = strtoll(b, &e, 10);
      long long val = (*e || !n || v < 0) ? -2 : v;
      cl = ncl && cl != val ? -2 : val; /* copies that agree frame the body alike */
      ncl = 1;
    }
    if (f[i].name.n == 17 && !strncasecmp(f[i].name.p, "Transfer-Encoding", 17)) {
      te = 1;
      hs__lspan_t v = f[i].value;
      te_chunked = v.n >= 7 && !strncasecmp(v.p + v.n - 7, "chunked", 7);
    }
  }
  int s = m->status;
  int nobody = (s >= 100 && s < 200) || s == 204 || s == 205 || s == 304 ||
               (m->method.n == 4 && !memcmp(m->method.p, "HEAD", 4));
  const char *start = r->p;
  if (!nobody && te_chunked) {
    int64_t n = chunked(r);
    if (n >= 0) {
      m->body_len = n;
      m->body_seen = n > 0;
      return;
    }
  }
  if (!nobody && !te && ncl == 1 && cl >= 0) {
    size_t avail = (size_t)(r->end - r->p);
    size_t take = (size_t)cl < avail ? (size_t)cl : avail;
    const char *inner = next_status(r->p, r->p + take);
    if (inner < r->p + take) {
      /* curl -i -L prints no body for the hops it follows: the next status
       * line comes first. An empty gap says nothing about the body. */
      size_t gap = (size_t)(inner - r->p);
      m->body_len = only_space(r->p, gap) ? -1 : (int64_t)gap;
      m->body_seen = !only_space(r->p, gap);
      r->p = inner;
      for (const char *q = start; q < r->p; q++)
        r->lineno += *q == '\n';
      return;
    }
    r->p += take;
    const char *nx = next_status(r->p, r->end);
    size_t extra = only_space(r->p, (size_t)(nx - r->p)) ? 0 : (size_t)(nx - r->p);
    m->body_len = (int64_t)(take + extra);
    m->body_seen = m->body_len > 0;
    r->p = nx;
  } else {
    const char *nx = next_status(r->p, r->end);
    size_t n = only_space(r->p, (size_t)(nx - r->p)) ? 0 : (size_t)(nx - r->p);
    m->body_len = te ? -1 : (int64_t)n;
    m->body_seen = n > 0;
    r->p = nx;
  }
  for (const char *q = start; q < r->p; q++)
    r->lineno += *q == '\n';
}

static int read_raw(rd_t *r, const hs__lmsg_t *ctx) {
  hs__lspan_t l;
  while (r->p < r->end) {
    const char *save = r->p;
    if (!next_line(r, &l))
      break;
    if (!l.n)
      continue;
    if (!is_status_line(l.p, l.n)) {
      r->p = save;
      return fail(r, "expected a status line such as \"HTTP/1.1 200 OK\"%s",
                  r->nmsgs ? "" : ": this does not look like an HTTP response");
    }
    if (l.n > r->o->max_line)
      return fail(r, "status line longer than %zu bytes", r->o->max_line);
    pmsg_t *pm = push_msg(r);
    if (!pm)
      return fail(r, "out of memory");
    pm->m.method = ctx->method;
    pm->m.target = ctx->target;
    pm->m.tls = ctx->tls;
    status_line(&pm->m, l);
    pm->f0 = r->nf;
    size_t count = 0, hdr = l.n + 2;
    int ended = 0;
    while (next_line(r, &l)) {
      if (!l.n) {
        ended = 1;
        break;
      }
      hdr += l.n + 2;
      if (r->p == r->end && r->p[-1] != '\n')
        break; /* a last line cut short */
      if (header_line(r, l, &count, pm->f0) < 0)
        return -1;
    }
    pm->nf = count;
    pm->m.header_bytes = hdr;
    if (!ended)
      return fail(r, "the input ends inside the header section (truncated?)");
    raw_body(r, pm);
  }
  if (!r->nmsgs)
    return fail(r, "no HTTP response in the input");
  return 0;
}

/* curl -v: a line's prefix kind: '>', '<', '*', '{', '}' or 0 for body text. */
static char vkind(hs__lspan_t l, hs__lspan_t *rest) {
  if (l.n >= 1 && strchr("<>*{}", l.p[0]) && (l.n == 1 || l.p[1] == ' ')) {
    *rest = l.n > 2 ? (hs__lspan_t){l.p + 2, l.n - 2} : (hs__lspan_t){l.p + l.n, 0};
    return l.p[0];
  }
  *rest = l;
  return 0;
}

static int read_verbose(rd_t *r, const hs__lmsg_t *ctx) {
  hs__lspan_t l, x;
  hs__lmsg_t req = *ctx;
  int conn_tls = ctx->tls;
  size_t r0 = 0, nr = 0, count = 0;
  int in_req = 0, req_known = 0;
  pmsg_t *cur = NULL;
  int in_hdr = 0;
  while (next_line(r, &l)) {
    char k = vkind(l, &x);
    if (k == '*') {
      if (memmem(x.p, x.n, "Connected to", 12))
        conn_tls = 0;
      if (memmem(x.p, x.n, "SSL connection using", 20) || memmem(x.p, x.n, "TLSv1.", 6))
        conn_tls = 1;
      continue;
    }
    if (k == '>') {
      in_hdr = 0;
      cur = NULL;
      if (!in_req) {
        in_req = 1;
        req_known = 1;
        r0 = r->nf;
        nr = 0;
        const char *sp = memchr(x.p, ' ', x.n);
        const char *sp2 = sp ? memchr(sp + 1, ' ', (size_t)(x.p + x.n - sp - 1)) : NULL;
        req.method = (hs__lspan_t){x.p, sp ? (size_t)(sp - x.p) : x.n};
        req.target =
            sp ? (hs__lspan_t){sp + 1, sp2 ? (size_t)(sp2 - sp - 1) : (size_t)(x.p + x.n - sp - 1)}
               : (hs__lspan_t){NULL, 0};
        req.tls = conn_tls;
        if (req.target.n > 7 && !strncasecmp(req.target.p, "http://", 7))
          req.tls = 0;
        if (req.target.n > 8 && !strncasecmp(req.target.p, "https://", 8))
          req.tls = 1;
      } else if (x.n) {
        if (header_line(r, x, &nr, r0) < 0)
          return -1;
      }
      continue;
    }
    if (k == '<') {
      in_req = 0;
      if (!in_hdr) {
        if (!x.n)
          continue;
        if (!is_status_line(x.p, x.n))
          return fail(r, "expected a status line after \"< \"");
        cur = push_msg(r);
        if (!cur)
          return fail(r, "out of memory");
        cur->m.method = req.method;
        cur->m.target = req.target;
        cur->m.tls = req.tls;
        cur->m.req_known = req_known;
        cur->r0 = r0;
        cur->nr = nr;
        status_line(&cur->m, x);
        cur->f0 = r->nf;
        cur->m.header_bytes = x.n + 2;
        count = 0;
        in_hdr = 1;
      } else if (!x.n) {
        in_hdr = 0;
        cur->nf = count;
      } else {
        cur->m.header_bytes += x.n + 2;
        if (header_line(r, x, &count, cur->f0) < 0)
          return -1;
        cur->nf = count;
      }
      continue;
    }
    if (k == 0 && cur && !in_hdr && !only_space(x.p, x.n))
      cur->m.body_seen = 1;
  }
  if (!r->nmsgs)
    return fail(r, "no response (\"< HTTP/...\" lines) in the curl -v transcript");
  if (in_hdr)
    return fail(r, "the transcript ends inside a response's header section (truncated?)");
  return 0;
}

int hs__lread_text(const char *buf, size_t len, const hs__lread_opts_t *o, hs__lmsg_cb cb, void *ud,
                   char *err, size_t errlen) {
  rd_t r;
  memset(&r, 0, sizeof r);
  r.p = buf;
  r.end = buf + len;
  r.o = o;
  r.err = err;
  r.errlen = errlen;
  hs__lmsg_t ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.tls = -1;
  if (o->method)
    ctx.method = (hs__lspan_t){o->method, strlen(o->method)};
  if (o->url) {
    ctx.target = (hs__lspan_t){o->url, strlen(o->url)};
    ctx.tls = !strncasecmp(o->url, "https:", 6) ? 1 : !strncasecmp(o->url, "http:", 5) ? 0 : -1;
  }
  const char *q = buf;
  while (q < r.end && (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n'))
    q++;
  hs__lspan_t first = {q, (size_t)(r.end - q)}, x;
  int rc = vkind(first, &x) ? read_verbose(&r, &ctx) : read_raw(&r, &ctx);
  for (size_t i = 0; rc == 0 && i < r.nmsgs; i++) {
    pmsg_t *pm = &r.msgs[i];
    pm->m.fields = r.f ? r.f + pm->f0 : NULL;
    pm->m.nfields = pm->nf;
    pm->m.req_fields = r.f ? r.f + pm->r0 : NULL;
    pm->m.nreq = pm->nr;
    pm->m.final_follows = i + 1 < r.nmsgs;
    rc = cb(ud, &pm->m, i);
  }
  free(r.f);
  free(r.msgs);
  return rc;
}
