/* The HTTP/2 connection (RFC 9113): an nghttp2 server session fed from
 * memory, its callbacks, the dispatch of complete requests after each read,
 * producers' timers, idle timeout and GOAWAY. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/b64.h"
#include "http/router.h"
#include "server/http2/h2_internal.h"
#include "server/http2/h2_mem.h"

#define MAX_CONCURRENT_STREAMS 100
#define READ_BLOCK 16384
#define CONN_WINDOW (1 << 20)     /* the connection's receive window (RFC 9113 §6.9.2) */
#define OUT_HIGH (128 * 1024)     /* frames buffered before nghttp2 must queue */
#define MAX_RESETS_PER_SECOND 200 /* CVE-2023-44487, rapid reset */
#define MAX_CONTINUATIONS 32      /* CVE-2024-27316, CONTINUATION flood */
#define MAX_OVERSIZED_BLOCKS 3    /* header blocks over the advertised list size */
#define REFUSE_MS 2000            /* over the connection limit: the longest wait for a request */
#define NOTICE_MS 1000            /* shutdown notice → final GOAWAY, if no PING answer */
#define NOTICE_PING "goaway\0\0"  /* the PING's opaque data that follows the notice */
#define REST_MS 250               /* without a stream this long: memory back (rest) */

/* The SETTINGS_MAX_HEADER_LIST_SIZE we advertise (RFC 9113 §6.5.2): room for
 * a header section of --max-header-size (answered 431 above it) counted the
 * HPACK way, 32 bytes per field (RFC 7541 §4.1). */
static uint32_t header_list_limit(const hs__config_t *cfg) {
  return (uint32_t)cfg->max_header_size * 2 + 1024;
}

/* ---- nghttp2 callbacks ---- */

#define OPENED_WINDOW 256 /* client stream ids remembered below the highest */
#define ID_WORD(id) (((id) >> 1) % OPENED_WINDOW / 64) /* id's bit in opened[], ended[] */
#define ID_BIT(id) (1ull << (((id) >> 1) % 64))

/* Records that the client opened stream `id` (odd). A new highest id
 * implicitly closes the idle streams it skipped (RFC 9113 §5.1.1): their bits
 * are cleared as the window moves over them. */
static void note_opened(hs__h2_t *h, int32_t id) {
  if (id > h->max_client_id) {
    int32_t from = h->max_client_id + 2, skipped = 0;
    for (int32_t i = from < 1 ? 1 : from; i <= id && skipped <= OPENED_WINDOW; i += 2, skipped++) {
      h->opened[ID_WORD(i)] &= ~ID_BIT(i);
      h->ended[ID_WORD(i)] &= ~ID_BIT(i); /* a bit left from id - 2 * OPENED_WINDOW */
    }
    h->max_client_id = id;
  }
  h->opened[ID_WORD(id)] |= ID_BIT(id);
}

/* Whether client stream `id` is one the window still covers. */
static int in_window(const hs__h2_t *h, int32_t id) {
  return (id & 1) && id > 0 && id <= h->max_client_id &&
         (h->max_client_id - id) / 2 < OPENED_WINDOW;
}

/* Records that the client ended stream `id`: END_STREAM or RST_STREAM. */
static void note_ended(hs__h2_t *h, int32_t id) {
  if (in_window(h, id))
    h->ended[ID_WORD(id)] |= ID_BIT(id);
}

/* Whether a frame other than PRIORITY, WINDOW_UPDATE and RST_STREAM on
 * client stream `id` is a connection error of type STREAM_CLOSED: the
 * client ended the stream already (RFC 9113 §5.1, half-closed (remote) and
 * closed). nghttp2 keeps no closed stream to tell (no_closed_streams in
 * hs__h2_new: each cost ~230 bytes, up to 100 a connection); a stream only
 * we reset may still receive what the client sent before it saw our
 * RST_STREAM, and is left to nghttp2, which ignores it, as is a stream older
 * than the window. */
static int ended_by_client(const hs__h2_t *h, int32_t id) {
  return in_window(h, id) && (h->ended[ID_WORD(id)] & ID_BIT(id));
}

/* Whether a HEADERS frame on client stream `id` opens a stream numerically
 * smaller than one already opened, one that the client never used: that
 * stream is closed, and the frame is a connection error of type
 * PROTOCOL_ERROR (RFC 9113 §5.1.1). nghttp2 forgets closed streams and lets
 * such frames pass; a stream the client did open (trailers after our reset,
 * say) is left to nghttp2, and so is anything older than the window. */
static int reuses_skipped_id(hs__h2_t *h, int32_t id) {
  if (!in_window(h, id) || id == h->max_client_id)
    return 0;
  return !(h->opened[ID_WORD(id)] & ID_BIT(id));
}

static int on_begin_headers(nghttp2_session *ses, const nghttp2_frame *frame, void *user) {
  hs__h2_t *h = user;
  if (frame->hd.type != NGHTTP2_HEADERS || frame->headers.cat != NGHTTP2_HCAT_REQUEST)
    return 0;
  hs__h2_stream_t *s = hs__h2_stream_new(h, frame->hd.stream_id);
  if (!s)
    return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE; /* nghttp2 resets the stream */
  nghttp2_session_set_stream_user_data(ses, frame->hd.stream_id, s);
  return 0;
}

/* A decoded field. A header block (request or trailers) that decodes to more
 * than the list size we advertised is an HPACK bomb or close to one: the
 * stream is reset at once and nghttp2 skips the rest of the block without
 * calling us (it only keeps its HPACK table in step), so a 16 KB frame costs
 * microseconds, not the tens of milliseconds of checking 64 MB of fields.
 * A client that keeps sending such blocks loses the connection with
 * ENHANCE_YOUR_CALM (RFC 9113 §10.5.1, RFC 7541 §7.3). */
static int on_header(nghttp2_session *ses, const nghttp2_frame *frame, const uint8_t *name,
                     size_t nlen, const uint8_t *value, size_t vlen, uint8_t flags, void *user) {
  hs__h2_t *h = user;
  h->block_bytes += nlen + vlen + 32;
  if (h->block_bytes > header_list_limit(h->ctx->cfg)) {
    if (++h->oversized_blocks >= MAX_OVERSIZED_BLOCKS) {
      nghttp2_session_terminate_session(ses, NGHTTP2_ENHANCE_YOUR_CALM);
      return NGHTTP2_ERR_CALLBACK_FAILURE;
    }
    nghttp2_submit_rst_stream(ses, NGHTTP2_FLAG_NONE, frame->hd.stream_id,
                              NGHTTP2_ENHANCE_YOUR_CALM);
    return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE; /* reset, rest of the block ignored */
  }
  hs__h2_stream_t *s = nghttp2_session_get_stream_user_data(ses, frame->hd.stream_id);
  if (s)
    hs__h2_stream_header(s, name, nlen, value, vlen);
  return 0;
}

static int on_data_chunk(nghttp2_session *ses, uint8_t flags, int32_t id, const uint8_t *data,
                         size_t len, void *user) {
  hs__h2_stream_t *s = nghttp2_session_get_stream_user_data(ses, id);
  if (s && s->body_stream) { /* the window opens as the exchange takes it */
    hs__h2_stream_data(s, data, len);
    return 0;
  }
  if (s && s->tunnel)
    hs__h2_tunnel_feed(s, data, len);
  else if (s && !s->dispatched)
    hs__h2_stream_data(s, data, len);
  nghttp2_session_consume(ses, id, len); /* taken at once (RFC 9113 §5.2) */
  return 0;
}

/* A request is complete when its stream ends (END_STREAM on HEADERS, DATA or
 * trailers); with Expect: 100-continue the client waits for a 100 first. */
static int on_frame_recv(nghttp2_session *ses, const nghttp2_frame *frame, void *user) {
  if (frame->hd.type == NGHTTP2_RST_STREAM ||
      ((frame->hd.type == NGHTTP2_HEADERS || frame->hd.type == NGHTTP2_DATA) &&
       (frame->hd.flags & NGHTTP2_FLAG_END_STREAM)))
    note_ended(user, frame->hd.stream_id);
  if (frame->hd.type == NGHTTP2_SETTINGS && (frame->hd.flags & NGHTTP2_FLAG_ACK))
    ((hs__h2_t *)user)->settings_acked = 1;
  if (frame->hd.type == NGHTTP2_PING && (frame->hd.flags & NGHTTP2_FLAG_ACK) &&
      memcmp(frame->ping.opaque_data, NOTICE_PING, 8) == 0)
    ((hs__h2_t *)user)->notice_acked = 1; /* every stream sent before it has arrived */
  hs__h2_stream_t *s = nghttp2_session_get_stream_user_data(ses, frame->hd.stream_id);
  if (!s)
    return 0;
  if (frame->hd.type == NGHTTP2_HEADERS && !s->headers_done) {
    int has_content = !(frame->hd.flags & NGHTTP2_FLAG_END_STREAM);
    if (hs__h2_stream_headers_done(s, has_content) != 0) {
      nghttp2_submit_rst_stream(ses, NGHTTP2_FLAG_NONE, s->id, NGHTTP2_INTERNAL_ERROR);
      return 0;
    }
    if (has_content) {                          /* a 100 was sent if owed (admission) */
      if (s->answer_now || s->req.protocol.len) /* refused, or a tunnel (RFC 8441) */
        hs__h2_ready(s);
      else if (hs__route_streams(((hs__h2_t *)user)->ctx, &s->req)) {
        s->body_stream = 1; /* the gateway: its exchange runs now, the content streams */
        hs__h2_ready(s);
      }
      return 0;
    }
  }
  if ((frame->hd.type == NGHTTP2_HEADERS || frame->hd.type == NGHTTP2_DATA) &&
      (frame->hd.flags & NGHTTP2_FLAG_END_STREAM)) {
    s->remote_ended = 1;
    hs__h2_tunnel_eof(s); /* RFC 8441 §5: the peer's end of the tunnel */
    hs__h2_stream_body_end(s);
    hs__h2_ready(s);
  }
  return 0;
}

/* Guards nghttp2 leaves to the application: a client that resets streams
 * faster than any real one (rapid reset), or a header block made of endless
 * CONTINUATION frames, loses its connection with ENHANCE_YOUR_CALM (RFC 9113
 * §5.4.1, §7); HEADERS on a stream id the client skipped, PROTOCOL_ERROR. */
static int on_begin_frame(nghttp2_session *ses, const nghttp2_frame_hd *hd, void *user) {
  hs__h2_t *h = user;
  if (hd->type == NGHTTP2_HEADERS) {
    h->continuations = 0;
    h->block_bytes = 0;
    if (reuses_skipped_id(h, hd->stream_id)) {
      nghttp2_session_terminate_session(ses, NGHTTP2_PROTOCOL_ERROR);
      return NGHTTP2_ERR_CALLBACK_FAILURE;
    }
    if (ended_by_client(h, hd->stream_id)) {
      nghttp2_session_terminate_session(ses, NGHTTP2_STREAM_CLOSED);
      return NGHTTP2_ERR_CALLBACK_FAILURE;
    }
    if (hd->stream_id & 1)
      note_opened(h, hd->stream_id);
  } else if (hd->type == NGHTTP2_CONTINUATION && ++h->continuations > MAX_CONTINUATIONS) {
    nghttp2_session_terminate_session(ses, NGHTTP2_ENHANCE_YOUR_CALM);
    return NGHTTP2_ERR_CALLBACK_FAILURE;
  } else if (hd->type == NGHTTP2_RST_STREAM) {
    uint64_t now = h->ctx->now_ms;
    if (now >= h->rst_window_ms + 1000) {
      h->rst_window_ms = now;
      h->rst_count = 0;
    }
    if (++h->rst_count > MAX_RESETS_PER_SECOND) {
      nghttp2_session_terminate_session(ses, NGHTTP2_ENHANCE_YOUR_CALM);
      return NGHTTP2_ERR_CALLBACK_FAILURE;
    }
  }
  return 0;
}

/* A response that ended before its request did (413, 431, an early answer):
 * once its last frame is out, RST_STREAM with NO_ERROR tells the client to
 * stop sending the rest (RFC 9113 §8.1). Not to a client that waits for a
 * 100 before it sends anything (RFC 9110 §10.1.1): it has nothing to stop,
 * and some (curl) then drop the answer they were given. */
static int on_frame_send(nghttp2_session *ses, const nghttp2_frame *frame, void *user) {
  hs__h2_t *h = user;
  if (frame->hd.type == NGHTTP2_GOAWAY && h->notice_sent && !h->goaway_sent &&
      frame->goaway.last_stream_id == INT32_MAX) {
    /* the PING after the notice, in that order on the wire (nghttp2 would send
     * a PING submitted with it first): a stream the client opens before it
     * reads the notice reaches us before the PING's answer */
    nghttp2_submit_ping(ses, NGHTTP2_FLAG_NONE, (const uint8_t *)NOTICE_PING);
    h->notice_ms = h->ctx->now_ms;
    return 0;
  }
  if ((frame->hd.type != NGHTTP2_HEADERS && frame->hd.type != NGHTTP2_DATA) ||
      !(frame->hd.flags & NGHTTP2_FLAG_END_STREAM))
    return 0;
  hs__h2_stream_t *s = nghttp2_session_get_stream_user_data(ses, frame->hd.stream_id);
  if (s && !s->remote_ended && !s->closed && !s->awaits_100)
    nghttp2_submit_rst_stream(ses, NGHTTP2_FLAG_NONE, s->id, NGHTTP2_NO_ERROR);
  return 0;
}

static int on_stream_close(nghttp2_session *ses, int32_t id, uint32_t error, void *user) {
  hs__h2_stream_t *s = nghttp2_session_get_stream_user_data(ses, id);
  if (s) {
    s->closed = 1;
    nghttp2_session_set_stream_user_data(ses, id, NULL);
    hs__h2_stream_free(s);
  }
  return 0;
}

void hs__h2_ready(hs__h2_stream_t *s) {
  if (s->ready || s->dispatched)
    return;
  hs__h2_t *h = s->h2;
  s->ready = 1;
  s->ready_next = NULL;
  if (h->ready_tail)
    h->ready_tail->ready_next = s;
  else
    h->ready_head = s;
  h->ready_tail = s;
}

/* ---- the connection ---- */

hs__h2_t *hs__h2_new(hs__ctx_t *ctx, const char *peer, hs__str_t scheme) {
  hs__h2_t *h = calloc(1, sizeof(*h));
  if (!h)
    return NULL;
  h->ctx = ctx;
  h->scheme = scheme;
  hs__buf_init(&h->rbuf, &ctx->opool); /* READ_BLOCK: one pooled block */
  hs__buf_init(&h->out, &ctx->opool);
  size_t n = strlen(peer ? peer : "");
  if (n >= sizeof(h->peer))
    n = sizeof(h->peer) - 1;
  memcpy(h->peer, peer ? peer : "", n);
  nghttp2_session_callbacks *cb;
  if (nghttp2_session_callbacks_new(&cb) != 0) {
    free(h);
    return NULL;
  }
  nghttp2_session_callbacks_set_on_begin_headers_callback(cb, on_begin_headers);
  nghttp2_session_callbacks_set_on_header_callback(cb, on_header);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cb, on_data_chunk);
  nghttp2_session_callbacks_set_on_frame_recv_callback(cb, on_frame_recv);
  nghttp2_session_callbacks_set_on_stream_close_callback(cb, on_stream_close);
  nghttp2_session_callbacks_set_on_frame_send_callback(cb, on_frame_send);
  nghttp2_session_callbacks_set_on_begin_frame_callback(cb, on_begin_frame);
  /* flow control by hand: a streamed request's content opens the client's
   * window only as the exchange takes it (hs__h2_stream_consume) */
  hs__h2_mem_init(&h->mem);
  hs__h2_scan_init(&h->scan);
  nghttp2_option *opt = NULL;
  int rv = nghttp2_option_new(&opt);
  if (rv == 0) {
    nghttp2_option_set_no_auto_window_update(opt, 1);
    nghttp2_option_set_no_closed_streams(opt, 1); /* freed at close (ended_by_client) */
    rv = nghttp2_session_server_new3(&h->session, cb, h, opt, &h->mem.mem);
    nghttp2_option_del(opt);
  }
  nghttp2_session_callbacks_del(cb);
  if (rv != 0) {
    free(h);
    return NULL;
  }
  nghttp2_settings_entry iv[] = {
      {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, MAX_CONCURRENT_STREAMS},
      {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, header_list_limit(ctx->cfg)},
      {NGHTTP2_SETTINGS_ENABLE_CONNECT_PROTOCOL, 1}}; /* RFC 8441 §3: WebSocket streams */
  nghttp2_submit_settings(h->session, NGHTTP2_FLAG_NONE, iv, sizeof(iv) / sizeof(iv[0]));
  /* each stream's window stays 64 KiB; the connection's is larger, so that
   * one streamed upload waiting for its upstream does not stall the others */
  nghttp2_session_set_local_window_size(h->session, NGHTTP2_FLAG_NONE, 0, CONN_WINDOW);
  h->last_activity_ms = h->settings_sent_ms = ctx->now_ms;
  hs__mc_add(&ctx->metrics.h2_open[scheme.len == 5], 1); /* "https" */
  return h;
}

/* Moves what nghttp2 wants to send into h->out, up to OUT_HIGH: beyond it
 * frames wait inside nghttp2, which bounds what a peer that does not read can
 * make us hold (answers to PING and SETTINGS floods included: nghttp2 ends
 * the session when too many wait). */
static void flush_upto(hs__h2_t *h, size_t high) {
  while (h->out.len < high) {
    const uint8_t *data;
    ssize_t n = nghttp2_session_mem_send(h->session, &data);
    if (n < 0) {
      h->failed = 1;
      return;
    }
    if (n == 0)
      return;
    hs__buf_append(&h->out, data, (size_t)n);
    h->last_activity_ms = h->ctx->now_ms;
  }
}

static void flush(hs__h2_t *h) { flush_upto(h, OUT_HIGH); }

/* Before closing: everything nghttp2 still holds, GOAWAY last (what it holds
 * is bounded by its flood limits). */
static void flush_all(hs__h2_t *h) { flush_upto(h, SIZE_MAX); }

/* Dispatches the requests that completed during the last input, in order
 * (only after the whole input was read, so that stream-order errors are
 * found before anything is answered: RFC 9113 §5.1.1). */
static void dispatch_ready(hs__h2_t *h) {
  while (h->ready_head && !hs__h2_output_full(h)) { /* back-pressure: the rest wait */
    hs__h2_stream_t *s = h->ready_head;
    h->ready_head = s->ready_next;
    if (!h->ready_head)
      h->ready_tail = NULL;
    s->ready = 0;
    hs__h2_stream_run(s);
  }
}

/* After every event: answer, write, and say whether the connection is done. */
static unsigned settle(hs__h2_t *h) {
  dispatch_ready(h);
  flush(h);
  if (h->ready_head && !hs__h2_output_full(h)) { /* the flush made room */
    dispatch_ready(h);
    flush(h);
  }
  if (h->refusing && !h->goaway_sent && h->max_client_id > 0) {
    h->goaway_sent = 1; /* the 503s are queued: no stream after them */
    nghttp2_submit_goaway(h->session, NGHTTP2_FLAG_NONE, h->max_client_id, NGHTTP2_NO_ERROR, NULL,
                          0);
    flush(h);
  }
  if (h->refusing && h->goaway_sent && !h->nstreams) {
    flush_all(h);
    return HS_PROTO_CLOSE;
  }
  if (h->failed)
    return HS_PROTO_CLOSE;
  if (!nghttp2_session_want_read(h->session) && !nghttp2_session_want_write(h->session))
    return HS_PROTO_CLOSE;
  return 0;
}

/* nghttp2 takes n bytes. A connection error (RFC 9113 §5.4.1) returns -1,
 * its GOAWAY queued. */
static int receive(hs__h2_t *h, const uint8_t *p, size_t n) {
  ssize_t rv = nghttp2_session_mem_recv(h->session, p, n);
  if (rv >= 0)
    return 0;
  if (rv == NGHTTP2_ERR_BAD_CLIENT_MAGIC) /* nghttp2 queues none for a bad preface */
    nghttp2_session_terminate_session(h->session, NGHTTP2_PROTOCOL_ERROR);
  else if (rv == NGHTTP2_ERR_FLOODED || rv == NGHTTP2_ERR_TOO_MANY_CONTINUATIONS)
    nghttp2_session_terminate_session(h->session, NGHTTP2_ENHANCE_YOUR_CALM); /* floods */
  return -1;
}

/* What the client sent, to nghttp2. Each DATA frame's header is judged
 * before nghttp2 reads its last byte, with everything before it received:
 * DATA on a stream the client ended is STREAM_CLOSED (ended_by_client). */
unsigned hs__h2_feed_bytes(hs__h2_t *h, const char *p, size_t n) {
  hs__ctx_tick(h->ctx);
  h->last_activity_ms = h->ctx->now_ms;
  const uint8_t *b = (const uint8_t *)p;
  size_t fed = 0, at = 0;
  int failed = 0;
  while (at < n && !failed) {
    hs__h2_frame_hd_t hd;
    int found;
    at += hs__h2_scan(&h->scan, b + at, n - at, &hd, &found);
    if (!found || hd.type != NGHTTP2_DATA)
      continue;
    failed = receive(h, b + fed, at - 1 - fed) != 0;
    fed = at - 1;
    if (!failed && ended_by_client(h, hd.stream_id)) {
      nghttp2_session_terminate_session(h->session, NGHTTP2_STREAM_CLOSED);
      failed = 1;
    }
  }
  if (failed || receive(h, b + fed, n - fed) != 0) { /* a connection error: GOAWAY, close */
    flush_all(h);
    return HS_PROTO_CLOSE;
  }
  return settle(h);
}

int hs__h2_upgrade(hs__h2_t *h, hs__str_t settings, const hs__req_t *req) {
  uint8_t raw[256];
  if (settings.len > hs__b64_decoded_max(sizeof(raw)))
    return -1;
  long n = hs__b64_decode(settings.ptr, settings.len, raw, HS_B64_URL | HS_B64_NOPAD);
  if (n < 0)
    return -1;
  int head = req->method == HS_M_HEAD;
  if (nghttp2_session_upgrade2(h->session, raw, (size_t)n, head, NULL) != 0)
    return -1;
  hs__h2_stream_t *s = hs__h2_stream_new(h, 1);
  if (!s)
    return -1;
  nghttp2_session_set_stream_user_data(h->session, 1, s);
  note_opened(h, 1); /* the upgraded request's stream (RFC 7540 §3.2), */
  note_ended(h, 1);  /* complete */
  /* stream 1 carries the request that asked for the upgrade (RFC 7540 §3.2) */
  hs__h2_stream_header(s, (const uint8_t *)":method", 7, (const uint8_t *)req->method_name.ptr,
                       req->method_name.len);
  hs__h2_stream_header(s, (const uint8_t *)":path", 5, (const uint8_t *)req->target.ptr,
                       req->target.len);
  if (req->authority.len)
    hs__h2_stream_header(s, (const uint8_t *)":authority", 10, (const uint8_t *)req->authority.ptr,
                         req->authority.len);
  for (size_t i = 0; i < req->nheaders; i++) {
    const hs__hdr_t *f = &req->headers[i];
    if (hs__str_ieq(f->name, "host", 4) || hs__str_ieq(f->name, "connection", 10) ||
        hs__str_ieq(f->name, "upgrade", 7) || hs__str_ieq(f->name, "http2-settings", 14))
      continue;
    hs__h2_stream_header(s, (const uint8_t *)f->name.ptr, f->name.len,
                         (const uint8_t *)f->value.ptr, f->value.len);
  }
  if (hs__h2_stream_headers_done(s, 0) != 0)
    return -1;
  hs__h2_stream_data(s, (const uint8_t *)req->body, req->body_len);
  s->remote_ended = 1; /* the upgraded request is complete */
  hs__h2_ready(s);
  return 0;
}

void hs__h2_set_authority_check(hs__h2_t *h, hs_authority_check_fn check, const void *arg) {
  h->authority_check = check;
  h->authority_arg = arg;
}

/* ---- the adapter as conn.c sees it ---- */

static char *p_rbuf(void *p, size_t *avail) {
  hs__h2_t *h = p;
  h->rbuf.len = 0;
  char *b = hs__buf_reserve(&h->rbuf, READ_BLOCK);
  *avail = h->rbuf.cap;
  return b;
}

static unsigned p_feed(void *p, size_t n) {
  hs__h2_t *h = p;
  return hs__h2_feed_bytes(h, h->rbuf.base, n);
}

/* The peer is gone: every exchange in progress is abandoned (by free). */
static unsigned p_eof(void *p) { return HS_PROTO_CLOSE; }

/* Is a stream suspended by its handler (a delay, a paced body)? Then
 * silence is expected, not a stall. */
static int waiting_producer(const hs__h2_t *h) {
  for (const hs__h2_stream_t *s = h->streams; s; s = s->next)
    if (s->suspended || s->tunnel) /* a tunnel keeps its own idle timer */
      return 1;
  return 0;
}

/* While draining, when this connection gets the shutdown notice: once it has
 * no stream and has been idle for idle_ms (the drain's short idle time), and
 * at the latest at the time conn.c chose (goaway_delay: at once on shutdown,
 * near the end of the drain on a restart). */
static uint64_t notice_due(const hs__h2_t *h) {
  uint64_t due = h->ctx->goaway_by_ms;
  if (!h->nstreams && h->last_activity_ms + h->idle_ms < due)
    due = h->last_activity_ms + h->idle_ms;
  return due;
}

/* The earliest of: a suspended stream's wake time (once its output has
 * drained), GOAWAY when the server drains, the idle timeout without streams. */
static uint64_t p_deadline(void *p, uint64_t now, int writing, uint64_t idle_ms) {
  hs__h2_t *h = p;
  h->idle_ms = idle_ms;
  if (h->refusing)
    return h->refuse_by_ms;
  if (h->ctx->draining && !h->notice_sent && notice_due(h) <= now)
    return now;
  if (h->notice_sent && !h->goaway_sent)
    return h->notice_acked ? now : h->notice_ms + NOTICE_MS;
  if (writing)
    return now + h->ctx->cfg->idle_timeout_ms; /* a client that does not read */
  if (h->out.len == 0 && nghttp2_session_want_write(h->session))
    return now; /* frames wait in nghttp2 (flush stopped at OUT_HIGH) */
  if (h->ready_head && !hs__h2_output_full(h))
    return now; /* requests held back by --max-output: there is room again */
  /* without streams: the idle timeout; with streams that cannot move (no
   * window, no content coming): the same, from the last byte that moved */
  uint64_t d = h->last_activity_ms + (h->nstreams ? h->ctx->cfg->idle_timeout_ms : idle_ms);
  if (h->nstreams && d <= now && waiting_producer(h))
    d = UINT64_MAX; /* past it (p_on_timer has acted): their own timers, below */
  if (!h->nstreams && h->rested_at_ms != h->last_activity_ms && h->last_activity_ms + REST_MS < d)
    d = h->last_activity_ms + REST_MS; /* rest() */
  if (!h->settings_acked && h->settings_sent_ms + h->ctx->cfg->header_timeout_ms < d)
    d = h->settings_sent_ms + h->ctx->cfg->header_timeout_ms;
  for (hs__h2_stream_t *s = h->streams; s; s = s->next) {
    if (hs__h2_stream_wants_run(s) && s->x.wake_ms < d)
      d = s->x.wake_ms;
    if (s->tunnel && hs__h2_tunnel_deadline(s) < d)
      d = hs__h2_tunnel_deadline(s);
  }
  if (h->ctx->draining && !h->notice_sent && notice_due(h) < d)
    d = notice_due(h);
  return d;
}

/* Graceful GOAWAY in two steps (RFC 9113 §6.8): first a shutdown notice
 * (GOAWAY with the largest stream id, so streams already on their way are
 * still served), then a PING; once its answer comes back, every stream the
 * client opened before it has arrived, and the final GOAWAY names the last
 * one processed. Without an answer, the final GOAWAY goes after NOTICE_MS. */
static void goaway_step(hs__h2_t *h) {
  if (h->goaway_sent)
    return;
  if (!h->notice_sent) {
    h->notice_sent = 1;
    h->notice_ms = h->ctx->now_ms;
    for (hs__h2_stream_t *s = h->streams; s; s = s->next)
      hs__h2_tunnel_going_away(s); /* WebSocket streams: Close 1001 (RFC 6455 §7.4.1) */
    nghttp2_submit_shutdown_notice(h->session); /* the PING follows it: on_frame_send */
    return;
  }
  if (!h->notice_acked && h->ctx->now_ms < h->notice_ms + NOTICE_MS)
    return;
  h->goaway_sent = 1;
  nghttp2_submit_goaway(h->session, NGHTTP2_FLAG_NONE,
                        nghttp2_session_get_last_proc_stream_id(h->session), NGHTTP2_NO_ERROR, NULL,
                        0);
}

/* A connection without streams, quiet for REST_MS, gives back what it
 * keeps to be quick (the recycled streams and their storage, the resident
 * pages of nghttp2's frame buffer): a client that paused is likely to stay
 * idle a while, and 10,000 such connections would hold megabytes. Once per
 * quiet period (rested_at_ms); the next request allocates again. */
static void rest(hs__h2_t *h) {
  h->rested_at_ms = h->last_activity_ms; /* tried once, done or not */
  if (h->nstreams || h->out.len || nghttp2_session_want_write(h->session))
    return;
  hs__h2_spares_free(h);
  hs__h2_mem_trim(&h->mem);
  hs__buf_release(&h->out);
  hs__buf_release(&h->rbuf);
}

static unsigned p_on_timer(void *p) {
  hs__h2_t *h = p;
  uint64_t now = h->ctx->now_ms;
  if (h->refusing && now >= h->refuse_by_ms) { /* refused, and no request came */
    nghttp2_session_terminate_session(h->session, NGHTTP2_REFUSED_STREAM);
    flush_all(h);
    return HS_PROTO_CLOSE;
  }
  if (h->ctx->draining && (h->notice_sent || notice_due(h) <= now))
    goaway_step(h);
  if (!h->settings_acked && now >= h->settings_sent_ms + h->ctx->cfg->header_timeout_ms) {
    /* RFC 9113 §6.5.3: our SETTINGS were not acknowledged in time */
    nghttp2_session_terminate_session(h->session, NGHTTP2_SETTINGS_TIMEOUT);
    flush_all(h);
    return HS_PROTO_CLOSE;
  }
  for (hs__h2_stream_t *s = h->streams, *next; s; s = next) {
    next = s->next;
    if (hs__h2_stream_wants_run(s) && s->x.wake_ms <= now)
      hs__h2_stream_run(s);
    else if (s->tunnel && hs__h2_tunnel_deadline(s) <= now)
      hs__h2_tunnel_wake(s);
  }
  if (!h->nstreams &&
      (h->goaway_sent || (!h->notice_sent && now >= h->last_activity_ms + h->idle_ms))) {
    if (!h->goaway_sent)
      nghttp2_session_terminate_session(h->session, NGHTTP2_NO_ERROR);
    flush_all(h);
    return HS_PROTO_CLOSE;
  }
  if (!h->nstreams && h->rested_at_ms != h->last_activity_ms &&
      now >= h->last_activity_ms + REST_MS)
    rest(h);
  if (h->nstreams && now >= h->last_activity_ms + h->ctx->cfg->idle_timeout_ms) {
    if (!waiting_producer(h)) { /* stalled (zero window, or a request never finished) */
      nghttp2_session_terminate_session(h->session, NGHTTP2_NO_ERROR);
      flush_all(h);
      return HS_PROTO_CLOSE;
    }
    for (hs__h2_stream_t *s = h->streams; s; s = s->next)
      hs__h2_tunnel_going_away(s); /* idle WebSocket: Close 1001, as over HTTP/1.1 */
  }
  return settle(h);
}

static int p_busy(const void *p) { return 0; }

static unsigned p_going_away(void *p) {
  hs__h2_t *h = p;
  goaway_step(h);
  return settle(h);
}

void hs__h2_refuse(hs__h2_t *h) {
  h->refusing = 1;
  h->refuse_by_ms = h->ctx->now_ms + REFUSE_MS;
}

static unsigned p_refuse(void *p) {
  hs__h2_refuse(p);
  return settle(p);
}
static void p_discard(void *p) {}

static void p_release_idle(void *p) {
  hs__h2_t *h = p;
  if (h->out.len == 0)
    hs__buf_release(&h->out);
  if (!h->nstreams)
    hs__buf_release(&h->rbuf);
}

static hs__buf_t *p_output(void *p) { return &((hs__h2_t *)p)->out; }

static void p_free(void *p) {
  hs__h2_t *h = p;
  hs__mc_add(&h->ctx->metrics.h2_closed[h->scheme.len == 5], 1);
  while (h->streams)
    hs__h2_stream_free(h->streams);
  hs__h2_spares_free(h);
  nghttp2_session_del(h->session);
  hs__buf_release(&h->rbuf);
  hs__buf_release(&h->out);
  free(h);
}

/* HTTP/2 never hands the connection to another protocol. */
static void p_handover(void *p, hs__handover_t *out) { memset(out, 0, sizeof(*out)); }

const hs__proto_ops_t hs__h2_proto = {"h2",           p_rbuf,   p_feed,       p_eof,    p_deadline,
                                      p_on_timer,     p_busy,   p_going_away, p_refuse, p_discard,
                                      p_release_idle, p_output, p_handover,   p_free};
