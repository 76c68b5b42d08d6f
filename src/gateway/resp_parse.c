/* The upstream response reader (resp_parse.h): RFC 9112 §4 (status line), §5
 * (fields), §6.3 (message length), §7.1 (chunked). */
#include "gateway/resp_parse.h"

#include <stdlib.h>
#include <string.h>

enum {
  S_HEAD = 0,    /* reading a head into p->head */
  S_LEN,         /* Content-Length content */
  S_CHUNK_SIZE,  /* hex digits of a chunk size */
  S_CHUNK_EXT,   /* chunk extension, up to the end of the line */
  S_CHUNK_LF,    /* after CR of the size line */
  S_CHUNK_DATA,  /* chunk content */
  S_CHUNK_CR,    /* CRLF after chunk content */
  S_CHUNK_DLF,   /* LF after that CR */
  S_TRAILERS,    /* trailer section into p->head */
  S_END_NEXT,    /* trailers returned: END comes next */
  S_UNTIL_CLOSE, /* content until the connection closes */
  S_DONE,
  S_ERROR
};

#define MAX_CHUNK_EXT 4096 /* bytes of extensions on one size line */

int hs__up_init(hs__up_parser_t *p, size_t max_head, size_t max_fields, int head_request) {
  memset(p, 0, sizeof(*p));
  p->max_head = max_head < 64 ? 64 : max_head;
  p->max_fields = max_fields < 1 ? 1 : max_fields;
  p->head_request = head_request;
  p->head = malloc(p->max_head);
  p->fields = malloc(p->max_fields * sizeof(*p->fields));
  if (!p->head || !p->fields) {
    hs__up_free(p);
    return -1;
  }
  return 0;
}

void hs__up_free(hs__up_parser_t *p) {
  free(p->head);
  free(p->fields);
  p->head = NULL;
  p->fields = NULL;
}

int hs__up_started(const hs__up_parser_t *p) {
  return p->status != 0 || p->head_len != 0 || p->state != S_HEAD;
}

int hs__up_done(const hs__up_parser_t *p) { return p->state == S_DONE || p->state == S_END_NEXT; }

static hs__up_ev_t fail(hs__up_parser_t *p, hs__gw_cause_t cause) {
  p->state = S_ERROR;
  p->error = cause;
  return HS_UP_ERROR;
}

/* Field value bytes (RFC 9110 §5.5): VCHAR, SP, HTAB, obs-text. */
static int value_ok(unsigned char c) { return c == '\t' || (c >= 0x20 && c != 0x7f); }

/* Splits lines [s, e) of a field section into p->fields; 0 or -1. */
static int parse_fields(hs__up_parser_t *p, const char *s, const char *e) {
  p->nfields = 0;
  while (s < e) {
    const char *nl = memchr(s, '\n', (size_t)(e - s));
    const char *le = nl ? nl : e;
    if (le > s && le[-1] == '\r')
      le--;
    if (le == s)
      break; /* the empty line ending the section */
    if (*s == ' ' || *s == '\t')
      return -1; /* obs-fold (RFC 9112 §5.2): refused */
    const char *colon = memchr(s, ':', (size_t)(le - s));
    if (!colon || colon == s)
      return -1;
    for (const char *q = s; q < colon; q++)
      if (!hs__is_tchar((unsigned char)*q))
        return -1; /* no whitespace before the colon either (§5.1) */
    const char *v = colon + 1, *ve = le;
    for (const char *q = v; q < ve; q++)
      if (!value_ok((unsigned char)*q))
        return -1;
    while (v < ve && (*v == ' ' || *v == '\t'))
      v++;
    while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
      ve--;
    if (p->nfields == p->max_fields)
      return -1;
    p->fields[p->nfields].name = (hs__str_t){s, (size_t)(colon - s)};
    p->fields[p->nfields].value = (hs__str_t){v, (size_t)(ve - v)};
    p->nfields++;
    s = nl ? nl + 1 : e;
  }
  return 0;
}

/* Does comma-separated list `v` contain `tok` (case-insensitive)? */
static int has_token(hs__str_t v, const char *tok) {
  size_t tl = strlen(tok);
  const char *s = v.ptr, *e = v.ptr + v.len;
  while (s < e) {
    const char *c = memchr(s, ',', (size_t)(e - s));
    const char *me = c ? c : e;
    while (s < me && (*s == ' ' || *s == '\t'))
      s++;
    const char *te = me;
    while (te > s && (te[-1] == ' ' || te[-1] == '\t'))
      te--;
    if (hs__str_ieq((hs__str_t){s, (size_t)(te - s)}, tok, tl))
      return 1;
    s = c ? c + 1 : e;
  }
  return 0;
}

/* Content-Length (RFC 9110 §8.6): a list of identical decimal values is one
 * value; anything else is an error. Accumulates into *len (UINT64_MAX: none
 * yet). Returns 0 or -1. */
static int add_length(hs__str_t v, uint64_t *len) {
  const char *s = v.ptr, *e = v.ptr + v.len;
  do {
    while (s < e && (*s == ' ' || *s == '\t' || *s == ','))
      s++;
    if (s == e)
      return *len == UINT64_MAX ? -1 : 0;
    uint64_t n = 0;
    int digits = 0;
    while (s < e && *s >= '0' && *s <= '9') {
      if (n > (UINT64_MAX - 10) / 10)
        return -1;
      n = n * 10 + (uint64_t)(*s++ - '0');
      digits++;
    }
    while (s < e && (*s == ' ' || *s == '\t'))
      s++;
    if (!digits || (s < e && *s != ','))
      return -1;
    if (*len != UINT64_MAX && *len != n)
      return -1;
    *len = n;
  } while (s < e);
  return 0;
}

/* The head in p->head[0..head_len) is complete: status line, fields, and the
 * framing of what follows. Returns HS_UP_HEAD or HS_UP_ERROR. */
static hs__up_ev_t finish_head(hs__up_parser_t *p) {
  const char *s = p->head, *e = p->head + p->head_len;
  const char *nl = memchr(s, '\n', p->head_len);
  const char *le = nl;
  if (le > s && le[-1] == '\r')
    le--;
  /* RFC 9112 §4: HTTP/1.x SP 3DIGIT SP [reason] (the last SP may be missing) */
  if (le - s < 12 || memcmp(s, "HTTP/1.", 7) != 0 || s[7] < '0' || s[7] > '9' || s[8] != ' ')
    return fail(p, HS_GW_MALFORMED);
  for (int i = 9; i < 12; i++)
    if (s[i] < '0' || s[i] > '9')
      return fail(p, HS_GW_MALFORMED);
  int status = (s[9] - '0') * 100 + (s[10] - '0') * 10 + (s[11] - '0');
  if (status < 100 || status > 599 || (le - s > 12 && s[12] != ' '))
    return fail(p, HS_GW_MALFORMED);
  const char *r = le - s > 12 ? s + 13 : le;
  for (const char *q = r; q < le; q++)
    if (!value_ok((unsigned char)*q))
      return fail(p, HS_GW_MALFORMED);
  p->status = status;
  p->minor = s[7] - '0';
  p->reason = (hs__str_t){r, (size_t)(le - r)};
  if (parse_fields(p, nl + 1, e) != 0)
    return fail(p, HS_GW_MALFORMED);
  uint64_t len = UINT64_MAX;
  int te = 0, chunked = 0, close = p->minor == 0;
  for (size_t i = 0; i < p->nfields; i++) {
    hs__hdr_t *h = &p->fields[i];
    if (hs__str_ieq(h->name, "content-length", 14)) {
      if (add_length(h->value, &len) != 0)
        return fail(p, HS_GW_MALFORMED);
    } else if (hs__str_ieq(h->name, "transfer-encoding", 17)) {
      te++;
      chunked = te == 1 && hs__str_ieq(h->value, "chunked", 7);
    } else if (hs__str_ieq(h->name, "connection", 10)) {
      if (has_token(h->value, "close"))
        close = 1;
      else if (p->minor == 0 && has_token(h->value, "keep-alive"))
        close = 0;
    }
  }
  /* RFC 9112 §6.3: both framings at once, or a coding we cannot end, are
   * errors here (nginx: "upstream sent ... at the same time" → 502) */
  if (te && (len != UINT64_MAX || !chunked || p->minor == 0))
    return fail(p, HS_GW_MALFORMED);
  p->keep_alive = !close;
  if (status < 200) {
    if (status == 101 || len != UINT64_MAX || te)
      return fail(p, HS_GW_MALFORMED); /* we asked for no upgrade; 1xx has no content */
    p->head_len = 0;                   /* the final head comes next into the same buffer */
    p->state = S_HEAD;
    return HS_UP_HEAD;
  }
  if (p->head_request || status == 204 || status == 304) {
    p->framing = HS_UP_NO_BODY;
    p->length = len == UINT64_MAX ? 0 : len;
    p->state = S_DONE;
  } else if (chunked) {
    p->framing = HS_UP_CHUNKED;
    p->state = S_CHUNK_SIZE;
  } else if (len != UINT64_MAX) {
    p->framing = HS_UP_LENGTH;
    p->length = p->left = len;
    p->state = len ? S_LEN : S_DONE;
  } else {
    p->framing = HS_UP_UNTIL_CLOSE;
    p->keep_alive = 0;
    p->state = S_UNTIL_CLOSE;
  }
  return HS_UP_HEAD;
}

/* Copies bytes into p->head until a section ends (an empty line). Sets
 * *used; returns 1 when it is complete, 0 for more, -1 when too big. A
 * trailer section may be empty from its first line. */
static int collect(hs__up_parser_t *p, const char *in, size_t n, size_t *used) {
  size_t start = p->head_len;
  size_t room = p->max_head - p->head_len;
  size_t take = n < room ? n : room;
  memcpy(p->head + p->head_len, in, take);
  p->head_len += take;
  size_t from = start > 3 ? start - 3 : 0;
  for (size_t i = from; i < p->head_len; i++) {
    if (p->head[i] != '\n')
      continue;
    /* an empty line: at the start (trailers), or LF [CR] LF */
    int empty = (i == 0) || (i >= 1 && p->head[i - 1] == '\n') || (i == 1 && p->head[0] == '\r') ||
                (i >= 2 && p->head[i - 1] == '\r' && p->head[i - 2] == '\n');
    if (empty) {
      *used = i + 1 - start;
      p->head_len = i + 1;
      return 1;
    }
  }
  *used = take;
  return p->head_len == p->max_head ? -1 : 0;
}

hs__up_ev_t hs__up_parse(hs__up_parser_t *p, const char *in, size_t n, size_t *used,
                         hs__str_t *data) {
  size_t i = 0;
  *used = 0;
  while (i < n || p->state == S_END_NEXT || p->state == S_DONE) {
    switch (p->state) {
    case S_HEAD: {
      if (p->head_len == 0 && in[i] != 'H')
        return fail(p, HS_GW_MALFORMED); /* not even the start of "HTTP/" */
      size_t u;
      int r = collect(p, in + i, n - i, &u);
      i += u;
      *used = i;
      if (r < 0)
        return fail(p, p->head_len >= 5 && memcmp(p->head, "HTTP/", 5) == 0 ? HS_GW_HEAD_TOO_BIG
                                                                            : HS_GW_MALFORMED);
      if (r == 0)
        return HS_UP_NEED_MORE;
      return finish_head(p);
    }
    case S_LEN:
    case S_CHUNK_DATA:
    case S_UNTIL_CLOSE: {
      size_t take = n - i;
      if (p->state != S_UNTIL_CLOSE && take > p->left)
        take = (size_t)p->left;
      *data = (hs__str_t){in + i, take};
      i += take;
      *used = i;
      p->total += take;
      if (p->state != S_UNTIL_CLOSE) {
        p->left -= take;
        if (!p->left)
          p->state = p->state == S_LEN ? S_DONE : S_CHUNK_CR;
      }
      return HS_UP_DATA;
    }
    case S_CHUNK_SIZE: {
      int v = hs__hexval((unsigned char)in[i]);
      if (v >= 0) {
        if (p->left > (UINT64_MAX >> 4))
          return fail(p, HS_GW_BODY_MALFORMED);
        p->left = (p->left << 4) | (uint64_t)v;
        p->digits++;
        i++;
      } else if (!p->digits) {
        return fail(p, HS_GW_BODY_MALFORMED);
      } else if (in[i] == ';' || in[i] == ' ' || in[i] == '\t') {
        p->state = S_CHUNK_EXT;
        p->ext_len = 0;
      } else if (in[i] == '\r') {
        p->state = S_CHUNK_LF;
        i++;
      } else if (in[i] == '\n') {
        i++;
        goto size_line_done;
      } else {
        return fail(p, HS_GW_BODY_MALFORMED);
      }
      break;
    }
    case S_CHUNK_EXT:
      if (in[i] == '\r') {
        p->state = S_CHUNK_LF;
      } else if (in[i] == '\n') {
        i++;
        goto size_line_done;
      } else if (!value_ok((unsigned char)in[i]) || ++p->ext_len > MAX_CHUNK_EXT) {
        return fail(p, HS_GW_BODY_MALFORMED);
      }
      i++;
      break;
    case S_CHUNK_LF:
      if (in[i++] != '\n')
        return fail(p, HS_GW_BODY_MALFORMED);
    size_line_done:
      p->digits = 0;
      if (p->left == 0) {
        p->state = S_TRAILERS;
        p->head_len = 0;
      } else {
        p->state = S_CHUNK_DATA;
      }
      break;
    case S_CHUNK_CR:
      if (in[i] == '\r') {
        p->state = S_CHUNK_DLF;
        i++;
        break;
      }
      /* a bare LF ends the chunk too */
      __attribute__((fallthrough));
    case S_CHUNK_DLF:
      if (in[i++] != '\n')
        return fail(p, HS_GW_BODY_MALFORMED);
      p->state = S_CHUNK_SIZE;
      p->left = 0;
      break;
    case S_TRAILERS: {
      size_t u;
      int r = collect(p, in + i, n - i, &u);
      i += u;
      *used = i;
      if (r < 0)
        return fail(p, HS_GW_BODY_MALFORMED);
      if (r == 0)
        return HS_UP_NEED_MORE;
      if (parse_fields(p, p->head, p->head + p->head_len) != 0)
        return fail(p, HS_GW_BODY_MALFORMED);
      p->state = S_END_NEXT;
      if (p->nfields)
        return HS_UP_TRAILERS;
      break;
    }
    case S_END_NEXT:
      p->state = S_DONE;
      *used = i;
      return HS_UP_END;
    case S_DONE:
      /* bytes after a complete response: the upstream is not to be trusted
       * with this connection again */
      *used = i;
      if (i < n)
        p->keep_alive = 0;
      return HS_UP_END;
    default:
      *used = i;
      return HS_UP_ERROR;
    }
  }
  *used = i;
  return HS_UP_NEED_MORE;
}

hs__up_ev_t hs__up_eof(hs__up_parser_t *p) {
  switch (p->state) {
  case S_DONE:
  case S_END_NEXT:
    p->keep_alive = 0;
    p->state = S_DONE;
    return HS_UP_END;
  case S_UNTIL_CLOSE:
    p->state = S_DONE;
    return HS_UP_END;
  case S_HEAD:
    return fail(p, p->status == 0 && p->head_len == 0 ? HS_GW_EMPTY : HS_GW_MALFORMED);
  case S_ERROR:
    return HS_UP_ERROR;
  default:
    return fail(p, HS_GW_BODY_CLOSED);
  }
}
