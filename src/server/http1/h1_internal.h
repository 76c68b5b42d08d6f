/* What the HTTP/1 adapter's files share (http1.c, h1_parse.c): not for use
 * outside src/server/http1. */
#ifndef HS_SERVER_HTTP1_H1_INTERNAL_H
#define HS_SERVER_HTTP1_H1_INTERNAL_H

#include "server/http1/http1.h"

#define MS(h) (&(h)->m)

/* llhttp's callbacks (h1_parse.c): they fill h->req as the head arrives,
 * enforce the request limits, and pause llhttp at the end of each message. */
extern const llhttp_settings_t hs__h1_settings;

/* (Re)starts llhttp for a new request on `h`, with the settings above. */
void hs__h1_parser_init(hs__h1_t *h);

/* Records a refusal found while parsing; the feed loop answers it and closes.
 * Returns HPE_USER (what a callback returns to stop llhttp). */
int hs__h1_fail(hs__h1_t *h, int status, const char *msg);

/* hs__h1_fail with a refusal of the table (http/admission.h). */
/* Cold: only on the way to an error answer (kept out of the callbacks). */
__attribute__((cold, noinline)) int hs__h1_refuse(hs__h1_t *h, hs__refusal_t r);

/* A method token llhttp does not know (RFC 9110 §9.1): M_CONTINUE after
 * restarting llhttp past it (the router answers 501), M_NEED_MORE when the
 * token is not complete yet, M_ERROR (refusal recorded) when malformed. */
enum { M_ERROR, M_NEED_MORE, M_CONTINUE };
int hs__h1_unknown_method(hs__h1_t *h, const char **pp, const char *end);

/* A chunk-size line is due (h->m.chunk_line_due: llhttp paused before it):
 * reads it from *pp (h1_chunk.c; RFC 9112 §7.1.1: extensions are checked,
 * counted and ignored) and hands llhttp the bare size. Returns 1 when the
 * line is done (parsing goes on at *pp), 0 when more input is needed or the
 * request was refused (*pp == end either way). */
int hs__h1_chunk_line(hs__h1_t *h, const char **pp, const char *end);

/* llhttp rejected a Content-Length or Transfer-Encoding value: llhttp takes
 * only SP as the optional whitespace around them, but OWS is SP or HTAB (RFC
 * 9110 §5.5, RFC 9112 §5). The HTAB of those fields' leading and trailing OWS
 * in the head (rbuf from msg_start to `end`) is rewritten as SP, the same OWS;
 * returns 1 if a byte changed (the caller parses the message again from
 * msg_start), 0 when the error is real. */
int hs__h1_ows_retry(hs__h1_t *h, const char *end);

/* Answers an llhttp error `e` (or a refusal recorded by a callback) with the
 * precise status (400, 505, 413, 431, ...) and closes. */
void hs__h1_protocol_error(hs__h1_t *h, llhttp_errno_t e, const char *end);

/* An error response for a request that cannot be parsed further; closes
 * (http1.c). Counted as an answered request. */
void hs__h1_answer_error(hs__h1_t *h, int status, const char *msg);

#endif
