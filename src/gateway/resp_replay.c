/* Transcripts of the upstream response reader (resp_replay.h). */
#include "gateway/resp_replay.h"

#include <stdio.h>
#include <string.h>

/* 0 if every field of p is safe to pass on, else -1. */
static int check_fields(const hs__up_parser_t *p, hs__buf_t *out) {
  for (size_t i = 0; i < p->nfields; i++) {
    hs__hdr_t h = p->fields[i];
    if (!h.name.len)
      return -1;
    for (size_t k = 0; k < h.name.len; k++)
      if (!hs__is_tchar((unsigned char)h.name.ptr[k]))
        return -1;
    for (size_t k = 0; k < h.value.len; k++)
      if (h.value.ptr[k] == '\r' || h.value.ptr[k] == '\n' || h.value.ptr[k] == 0)
        return -1;
    hs__buf_append(out, h.name.ptr, h.name.len);
    hs__buf_lit(out, ":");
    hs__buf_append(out, h.value.ptr, h.value.len);
    hs__buf_lit(out, "|");
  }
  return 0;
}

int hs__up_replay(const char *in, size_t n, size_t piece, int head_request, int eof,
                  hs__buf_t *out) {
  hs__up_parser_t p;
  if (hs__up_init(&p, 1024, 16, head_request) != 0)
    return -1;
  int last = HS_UP_NEED_MORE, bad = 0;
  uint64_t body = 0;
  size_t off = 0;
  if (!piece)
    piece = n ? n : 1;
  while (off < n && last != HS_UP_END && last != HS_UP_ERROR && !bad) {
    size_t len = n - off < piece ? n - off : piece;
    size_t pos = 0;
    do { /* NEED_MORE comes with everything given used */
      size_t used;
      hs__str_t d;
      last = hs__up_parse(&p, in + off + pos, len - pos, &used, &d);
      if (used > len - pos) {
        bad = 1;
        break;
      }
      pos += used;
      switch (last) {
      case HS_UP_HEAD:
        hs__buf_printf(out, "H%d/%d/%d/", p.status, p.framing, p.keep_alive);
        bad |= check_fields(&p, out);
        break;
      case HS_UP_DATA:
        /* content is one stream whatever the split: no marker per piece */
        hs__buf_append(out, d.ptr, d.len);
        body += d.len;
        break;
      case HS_UP_TRAILERS:
        hs__buf_lit(out, "T");
        bad |= check_fields(&p, out);
        break;
      case HS_UP_END:
        hs__buf_lit(out, "E");
        break;
      case HS_UP_ERROR:
        hs__buf_printf(out, "X%d", p.error);
        break;
      default:
        if (pos != len)
          bad = 1;
        break;
      }
    } while (pos < len && last != HS_UP_END && last != HS_UP_ERROR && !bad);
    off += len;
  }
  if (last != HS_UP_END && last != HS_UP_ERROR)
    last = HS_UP_NEED_MORE; /* the input ran out after a head, content or trailers */
  if (!bad && last == HS_UP_NEED_MORE && hs__up_done(&p)) {
    last = HS_UP_END; /* a head without content needs no more bytes */
    hs__buf_lit(out, "E");
  }
  if (!bad && eof && last == HS_UP_NEED_MORE) {
    last = hs__up_eof(&p);
    if (last == HS_UP_END)
      hs__buf_lit(out, "E");
    else
      hs__buf_printf(out, "X%d", p.error);
  }
  if (last == HS_UP_END && p.framing == HS_UP_LENGTH && body != p.length)
    bad = 1;
  hs__up_free(&p);
  return bad ? -1 : last;
}
