/* What the connection layer (conn.c) needs from a protocol: bytes in, bytes
 * out, time. One table per protocol (HTTP/1, HTTP/2, and TLS wrapping either),
 * chosen per connection, so that conn.c never knows which protocol it carries. */
#ifndef HS_SERVER_PROTO_H
#define HS_SERVER_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "http/request.h"

/* Under TLS: does this connection's certificate cover a request's authority?
 * Requests it does not cover get 421 (RFC 9110 §15.5.20, RFC 9113 §9.1.1;
 * admission decides, http/admission.c). Set on HTTP/1 and HTTP/2 connections
 * by tls.c. */
typedef int (*hs_authority_check_fn)(const void *arg, hs__str_t authority);

/* Flags returned by feed, eof, on_timer, going_away and busy. */
#define HS_PROTO_CLOSE 0x1u     /* write the output, then close (lingering, RFC 9112 §9.6) */
#define HS_PROTO_CLOSE_NOW 0x2u /* close at once: nothing is owed to the peer */
#define HS_PROTO_SWITCH 0x4u    /* write the output, then hand over (handover below) */

/* What a protocol hands to the next one when the connection switches:
 * HTTP/1 to HTTP/2 on the client preface (prior knowledge, RFC 9113 §3.3) or
 * after a 101 to Upgrade: h2c (RFC 7540 §3.2). Views into the old protocol's
 * memory, valid until it is freed. */
typedef struct hs_handover_s {
  enum { HS_HANDOVER_NONE = 0, HS_HANDOVER_H2_PRIOR, HS_HANDOVER_H2C } kind;
  const hs__req_t *req; /* H2C: the request that asked, served as stream 1 */
  hs__str_t settings;   /* H2C: its HTTP2-Settings value */
  hs__str_t rest;       /* bytes read after it (the preface onwards) */
  int refuse;           /* over the connection limit: HTTP/2 answers 503 and goes away */
} hs__handover_t;

typedef struct hs_proto_ops_s {
  const char *name; /* "http/1.1" */
  /* Space to read into (*avail bytes); 0 means "stop reading for now". */
  char *(*rbuf)(void *p, size_t *avail);
  /* n bytes were read into that space. */
  unsigned (*feed)(void *p, size_t n);
  /* The peer has closed its sending side. */
  unsigned (*eof)(void *p);
  /* When on_timer should run (ms on the loop clock): `writing` says output is
   * waiting for the peer to read, `idle_ms` is the keep-alive timeout now. */
  uint64_t (*deadline)(void *p, uint64_t now, int writing, uint64_t idle_ms);
  /* The deadline was reached: run a producer, time out (408), or close. */
  unsigned (*on_timer)(void *p);
  /* Does an exchange hold the read buffer (reading may stop until it ends)? */
  int (*busy)(const void *p);
  /* The server is shutting down: say goodbye where the protocol can. */
  unsigned (*going_away)(void *p);
  /* Too many connections: refuse this one (503). */
  unsigned (*refuse)(void *p);
  /* Drop what was read (lingering before close). */
  void (*discard)(void *p);
  /* Give pooled memory back if nothing is pending (idle connection). */
  void (*release_idle)(void *p);
  /* The bytes waiting to be written. */
  hs__buf_t *(*output)(void *p);
  /* After HS_PROTO_SWITCH: what the next protocol takes over. */
  void (*handover)(void *p, hs__handover_t *out);
  /* Free everything (an exchange in progress is abandoned). */
  void (*free)(void *p);
} hs__proto_ops_t;

#endif
