/* Access log formatting and buffered output. */
#include "server/log.h"

#include <string.h>

#include "http/render.h"

void hs__log_init(hs__log_t *log, int fd, hs__alog_t fmt) {
  log->fd = fd;
  log->fmt = fmt;
  hs__buf_init(&log->buf, NULL);
}

/* Whole lines go to the sink (log_sink.c), which never blocks this worker. */
void hs__log_flush(hs__log_t *log) {
  if (!log->buf.len)
    return;
  hs__log_sink_put(log->fd, log->buf.base, log->buf.len);
  log->buf.len = 0;
}

void hs__log_free(hs__log_t *log) {
  hs__log_flush(log);
  hs__buf_release(&log->buf);
}

/* CLF quoting as Apache/nginx do: '"', '\\' and non-printable bytes → \xHH. */
static void clf_quoted(hs__buf_t *b, const char *s, size_t n) {
  static const char hex[] = "0123456789ABCDEF";
  if (!s || !n) {
    hs__buf_lit(b, "-");
    return;
  }
  char *d = hs__buf_reserve(b, n * 4);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
      *d++ = '\\';
      *d++ = 'x';
      *d++ = hex[c >> 4];
      *d++ = hex[c & 15];
    } else {
      *d++ = (char)c;
    }
  }
  b->len = (size_t)(d - b->base);
}

static void json_field(hs__buf_t *b, const char *key, const char *s, size_t n, int comma) {
  hs__buf_str(b, comma ? ",\"" : "\"");
  hs__buf_str(b, key);
  hs__buf_lit(b, "\":\"");
  /* request bytes may be any octets: escape to keep each line valid JSON */
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x80) {
      hs__buf_printf(b, "\\u%04x", c);
    } else {
      hs__json_escape(b, (const char *)&s[i], 1);
    }
  }
  hs__buf_lit(b, "\"");
}

static void emit(hs__ctx_t *ctx, const char *peer, hs__str_t scheme, hs__str_t method,
                 hs__str_t target, int major, int minor, int status, uint64_t bytes,
                 hs__str_t referer, hs__str_t ua) {
  hs__log_t *log = ctx->log;
  hs__buf_t *b = &log->buf;
  char proto[16] = "-";
  if (major >= 0) {
    memcpy(proto, "HTTP/1.1", 9);
    proto[5] = (char)('0' + major % 10);
    proto[7] = (char)('0' + minor % 10);
  }
  if (log->fmt == HS_ALOG_JSON) {
    hs__buf_lit(b, "{");
    json_field(b, "time", ctx->iso_time, strlen(ctx->iso_time), 0);
    json_field(b, "remote", peer, strlen(peer), 1);
    json_field(b, "method", method.ptr ? method.ptr : "", method.len, 1);
    json_field(b, "target", target.ptr ? target.ptr : "", target.len, 1);
    json_field(b, "proto", proto, strlen(proto), 1);
    json_field(b, "scheme", scheme.ptr ? scheme.ptr : "", scheme.len, 1);
    hs__buf_lit(b, ",\"status\":");
    hs__buf_u64(b, (uint64_t)status);
    hs__buf_lit(b, ",\"bytes\":");
    hs__buf_u64(b, bytes);
    json_field(b, "referer", referer.ptr ? referer.ptr : "", referer.len, 1);
    json_field(b, "user_agent", ua.ptr ? ua.ptr : "", ua.len, 1);
    hs__buf_lit(b, "}\n");
  } else {
    /* Combined Log Format: host ident authuser [date] "request" status bytes "referer" "agent" */
    hs__buf_str(b, peer[0] ? peer : "-");
    hs__buf_lit(b, " - - [");
    hs__buf_str(b, ctx->clf_time);
    hs__buf_lit(b, "] \"");
    if (method.len || target.len) {
      clf_quoted(b, method.ptr, method.len);
      hs__buf_lit(b, " ");
      clf_quoted(b, target.ptr, target.len);
      if (major >= 0) {
        hs__buf_lit(b, " ");
        hs__buf_str(b, proto);
      }
    } else {
      hs__buf_lit(b, "-");
    }
    hs__buf_lit(b, "\" ");
    hs__buf_u64(b, (uint64_t)status);
    hs__buf_lit(b, " ");
    if (bytes)
      hs__buf_u64(b, bytes);
    else
      hs__buf_lit(b, "-");
    hs__buf_lit(b, " \"");
    clf_quoted(b, referer.ptr, referer.len);
    hs__buf_lit(b, "\" \"");
    clf_quoted(b, ua.ptr, ua.len);
    hs__buf_lit(b, "\"\n");
  }
}

/* Writes the buffer out once it holds enough lines. */
static void maybe_flush(hs__log_t *log) {
  if (log->buf.len >= HS_LOG_FLUSH_AT)
    hs__log_flush(log);
}

/* A gateway exchange's line ends with its upstream (nginx's $upstream_addr,
 * $upstream_status, $upstream_connect_time, $upstream_header_time,
 * $upstream_response_time, in ms) and the failure cause, if any. */
static void gateway_fields(hs__log_t *log, const hs__xgw_t *g) {
  hs__buf_t *b = &log->buf;
  b->len -= log->fmt == HS_ALOG_JSON ? 2 : 1; /* reopen the line: "}\n" or "\n" */
  const char *up = g->upstream[0] ? g->upstream : "-";
  const char *cause = g->cause ? g->cause : "-";
  if (log->fmt == HS_ALOG_JSON) {
    json_field(b, "upstream", up, strlen(up), 1);
    hs__buf_printf(b, ",\"upstream_status\":%d", g->status);
    json_field(b, "upstream_cause", cause, strlen(cause), 1);
    hs__buf_printf(b,
                   ",\"upstream_connect_ms\":%d,\"upstream_header_ms\":%d,"
                   "\"upstream_total_ms\":%d",
                   (int)g->connect_ms, (int)g->head_ms, (int)g->total_ms);
    if (g->toxics[0])
      json_field(b, "upstream_toxics", g->toxics, strlen(g->toxics), 1);
    hs__buf_lit(b, "}\n");
  } else {
    hs__buf_printf(b,
                   " upstream=%s upstream_status=%d cause=%s connect_ms=%d header_ms=%d "
                   "total_ms=%d",
                   up, g->status, cause, (int)g->connect_ms, (int)g->head_ms, (int)g->total_ms);
    if (g->toxics[0])
      hs__buf_printf(b, " toxics=%s", g->toxics);
    hs__buf_lit(b, "\n");
  }
}

void hs__log_access(hs__ctx_t *ctx, const hs__exchange_t *x) {
  if (!ctx->log)
    return;
  const hs__req_t *r = x->req;
  size_t before = ctx->log->buf.len;
  emit(ctx, r->peer ? r->peer : "", r->scheme, r->method_name, r->target, r->major, r->minor,
       x->log_status ? x->log_status : x->status, x->body_bytes, r->referer, r->user_agent);
  if ((x->gw.upstream[0] || x->gw.cause) && ctx->log->buf.len > before)
    gateway_fields(ctx->log, &x->gw);
  maybe_flush(ctx->log);
}

void hs__log_error(hs__ctx_t *ctx, const hs__exchange_t *x, const char *peer,
                   const hs__req_t *partial) {
  if (!ctx->log)
    return;
  hs__str_t none = {NULL, 0};
  hs__str_t method = partial && partial->method_name.ptr ? partial->method_name : none;
  hs__str_t target = partial && partial->target.ptr ? partial->target : none;
  int major = partial && partial->major ? partial->major : -1;
  hs__str_t scheme = partial && partial->scheme.ptr ? partial->scheme : none;
  emit(ctx, peer ? peer : "", scheme, method, target, major, partial ? partial->minor : 0,
       x->status, x->body_bytes, none, none);
  maybe_flush(ctx->log);
}
