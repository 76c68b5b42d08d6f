/* Reads a whole upstream response the way the proxy does, in pieces of a
 * given size, and records what the parser said (events, heads, content,
 * trailers) as one transcript: the unit tests and the fuzz harness compare
 * transcripts of different splits of the same bytes, which must be equal. */
#ifndef HS_GATEWAY_RESP_REPLAY_H
#define HS_GATEWAY_RESP_REPLAY_H

#include <stddef.h>

#include "base/buf.h"
#include "gateway/resp_parse.h"

/* Parses in[0..n) in pieces of `piece` bytes (0: all at once), then the
 * end of the connection if `eof`. Appends the transcript to `out`. Returns
 * the last event (HS_UP_END, HS_UP_ERROR or HS_UP_NEED_MORE). Checks the
 * parser's promises and returns -1 if one is broken: field names are tokens,
 * values have no CR, LF or NUL, a Content-Length body has that length. */
int hs__up_replay(const char *in, size_t n, size_t piece, int head_request, int eof,
                  hs__buf_t *out);

#endif
