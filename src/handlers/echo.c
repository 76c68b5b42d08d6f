/* httpbin-compatible echo endpoints (issue 4; docs/httpbin-compat.md §3 and
 * §4): /anything[/...], /get, /post, /put, /patch, /delete, /headers, /ip,
 * /user-agent, /uuid, /response-headers, and go-httpbin's /head, /hostname,
 * /upload, /env, /dump/request. */
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "base/utf8.h"
#include "handlers/hb_request.h"
#include "handlers/hb_send.h"
#include "handlers/routes.h"
#include "http/ctx.h"
#include "httpbin/dump.h"
#include "httpbin/form.h"
#include "httpbin/jsonfmt.h"
#include "httpbin/random.h"

/* What httpbin's get_dict() shows for each endpoint. */
#define M_GET (HS_HB_ARGS | HS_HB_HEADERS | HS_HB_ORIGIN | HS_HB_URL)
#define M_BODY (M_GET | HS_HB_BODY)
#define M_ANYTHING (M_BODY | HS_HB_METHOD)

/* GET /get: args, headers, origin, url. */
static void get_handler(hs__exchange_t *x) { hs__hb_send_dict(x, M_GET, NULL); }

/* POST /post, PUT /put, PATCH /patch, DELETE /delete: the request with its body. */
static void body_handler(hs__exchange_t *x) { hs__hb_send_dict(x, M_BODY, NULL); }

/* /anything and /anything/{path}: any method, everything including "method".
 * Werkzeug's <path:> needs at least one character, so "/anything/" is 404. */
static void anything_handler(hs__exchange_t *x) {
  if (x->req->path.len > 9 && x->tail.len == 0) {
    hs__resp_error(x, 404, "No such endpoint; GET /api lists them.", NULL);
    return;
  }
  hs__hb_send_dict(x, M_ANYTHING, NULL);
}

/* Sends {key: v} (v stolen; NULL means out of memory). */
static void send_one(hs__exchange_t *x, const char *key, json_t *v) {
  json_t *o = v ? json_object() : NULL;
  if (o && json_object_set_new_nocheck(o, key, v)) {
    json_decref(o);
    o = NULL;
  } else if (!o) {
    json_decref(v);
  }
  hs__hb_send_json(x, 200, o, NULL); /* NULL → 500 */
  json_decref(o);
}

/* GET /headers: {"headers": {...}}. */
static void headers_handler(hs__exchange_t *x) {
  const hs__req_t *req = x->req;
  send_one(x, "headers",
           hs__hb_headers(req, req->query.len && hs__hb_query_has(req->query, "show_env")));
}

/* GET /ip: {"origin": X-Forwarded-For or the peer address}. */
static void ip_handler(hs__exchange_t *x) { send_one(x, "origin", hs__hb_origin(x->req)); }

/* GET /user-agent: {"user-agent": the header as the headers object shows it, or null}. */
static void user_agent_handler(hs__exchange_t *x) {
  json_t *h = hs__hb_headers(x->req, 1);
  json_t *ua = NULL;
  if (h) {
    ua = json_object_get(h, "User-Agent");
    ua = ua ? json_incref(ua) : json_null();
    json_decref(h);
  }
  send_one(x, "user-agent", ua);
}

/* 16 random bytes: the kernel's CSPRNG, or the worker's generator if that fails. */
static void random16(hs__exchange_t *x, uint8_t out[16]) {
  if (getrandom(out, 16, GRND_NONBLOCK) == 16)
    return;
  for (int i = 0; i < 16; i++)
    out[i] = (uint8_t)(hs__ctx_random(x->ctx) * 256.0);
}

/* GET /uuid: {"uuid": a random version-4 UUID} (RFC 9562 §5.4). */
static void uuid_handler(hs__exchange_t *x) {
  uint8_t rnd[16];
  char s[37];
  random16(x, rnd);
  hb_uuid4(rnd, s);
  send_one(x, "uuid", json_string(s));
}

/* GET /hostname (go-httpbin): its default answer does not expose the host's
 * real name, and neither do we. */
static void hostname_handler(hs__exchange_t *x) {
  send_one(x, "hostname", json_string("httpstatus"));
}

/* HEAD /head (go-httpbin): the /get response without its content. */
static void head_handler(hs__exchange_t *x) { hs__hb_send_dict(x, M_GET, NULL); }

/* POST/PUT/PATCH /upload (go-httpbin): the body is read and counted, not echoed. */
static void upload_handler(hs__exchange_t *x) {
  int st;
  json_t *d = hs__hb_request_dict_st(x, M_GET | HS_HB_METHOD, &st);
  if (d && json_object_set_new_nocheck(d, "bytes_received",
                                       json_integer((json_int_t)x->req->body_len))) {
    json_decref(d);
    d = NULL;
  }
  hs__hb_send_json(x, 200, d, NULL);
  json_decref(d);
}

extern char **environ;

/* GET /env (go-httpbin): {"env": {...}} with the environment variables whose
 * names start with HTTPBIN_ENV_ (nothing else of the environment leaks). */
static void env_handler(hs__exchange_t *x) {
  static const char prefix[] = "HTTPBIN_ENV_";
  json_t *env = json_object();
  for (char **e = environ; env && e && *e; e++) {
    if (strncmp(*e, prefix, sizeof prefix - 1))
      continue;
    const char *eq = strchr(*e, '=');
    if (!eq)
      continue;
    size_t kl = (size_t)(eq - *e), vl = strlen(eq + 1);
    char *k = hs__utf8_sanitize(*e, kl, &kl);
    char *v = hs__utf8_sanitize(eq + 1, vl, &vl);
    json_t *js = v ? json_stringn_nocheck(v, vl) : NULL;
    /* json_object_setn_new_nocheck takes js even when it fails */
    if (!k || !js || json_object_setn_new_nocheck(env, k, kl, js)) {
      if (!k)
        json_decref(js);
      json_decref(env);
      env = NULL;
    }
    free(k);
    free(v);
  }
  send_one(x, "env", env);
}

/* ---- /response-headers -------------------------------------------------- */

/* Header names /response-headers refuses: they would break the message
 * framing or the connection (RFC 9112 §6, RFC 9110 §7.6.1). */
static int framing_header(const char *k, size_t n) {
  static const char *const names[] = {"Content-Length", "Transfer-Encoding", "Connection",
                                      "Keep-Alive",     "Upgrade",           "Trailer"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (hs__str_ieq((hs__str_t){k, n}, names[i], strlen(names[i])))
      return 1;
  return 0;
}

/* 1 if v can be a field value: no control characters but HTAB (RFC 9110 §5.5). */
static int field_value_ok(const char *v, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)v[i];
    if ((c < 0x20 && c != '\t') || c == 0x7f)
      return 0;
  }
  return 1;
}

/* Checks one query parameter of /response-headers. Returns NULL, or why it
 * cannot become a header field. */
static const char *check_param(const char *k, size_t kl, json_t *val) {
  if (!kl)
    return "A query parameter without a name cannot become a header field.";
  for (size_t i = 0; i < kl; i++)
    if (!hs__is_tchar((unsigned char)k[i]))
      return "Header field names must be tokens (RFC 9110 §5.1): letters, digits and "
             "!#$%&'*+-.^_`|~.";
  if (framing_header(k, kl))
    return "Content-Length, Transfer-Encoding, Connection, Keep-Alive, Upgrade and Trailer "
           "cannot be set: the server frames the message itself.";
  int is_ctype = hs__str_ieq((hs__str_t){k, kl}, "Content-Type", 12);
  size_t n = json_is_array(val) ? json_array_size(val) : 1;
  for (size_t i = 0; i < n; i++) {
    json_t *s = json_is_array(val) ? json_array_get(val, i) : val;
    if (!field_value_ok(json_string_value(s), json_string_length(s)))
      return "Header field values must not contain control characters (RFC 9110 §5.5).";
    if (is_ctype && !json_string_length(s))
      return "Content-Type needs a media type such as text/plain (RFC 9110 §8.3).";
  }
  return NULL;
}

/* GET/POST /response-headers: each query parameter becomes a response header
 * (a repeated key: one field line per value, in order); the body is the JSON
 * object of these headers plus Content-Type and Content-Length, the latter
 * being the body's own length (computed until it is stable, as httpbin does).
 * ?Content-Type= replaces the Content-Type (difference 16). */
static void response_headers_handler(hs__exchange_t *x) {
  json_t *args = hb_form_args(x->req->query);
  json_t *body = json_object();
  char *text = NULL;
  const char *ctype = "application/json";
  if (!args || !body)
    goto oom;
  const char *key;
  size_t klen;
  json_t *val;
  json_object_keylen_foreach(args, key, klen, val) {
    const char *why = check_param(key, klen, val);
    if (why) {
      json_decref(args);
      json_decref(body);
      hs__resp_error(x, 400, why, NULL);
      return;
    }
    if (hs__str_ieq((hs__str_t){key, klen}, "Content-Type", 12)) {
      json_t *last = json_is_array(val) ? json_array_get(val, json_array_size(val) - 1) : val;
      ctype = json_string_value(last);
      if (json_object_set_nocheck(body, "Content-Type", last))
        goto oom;
    } else if (json_object_setn_nocheck(body, key, klen, val)) {
      goto oom;
    }
  }
  if (!json_object_get(body, "Content-Type") &&
      json_object_set_new_nocheck(body, "Content-Type", json_string(ctype)))
    goto oom;
  /* Content-Length: the body's own length, which depends on its digits */
  size_t len = 0, prev = (size_t)-1;
  for (int round = 0; round < 8 && len != prev; round++) {
    char num[24];
    num[hs__u64toa(num, len)] = 0;
    if (json_object_set_new_nocheck(body, "Content-Length", json_string(num)))
      goto oom;
    free(text);
    prev = len;
    text = hb_json_dumps(body, HB_JSON_FLASK_PRETTY, &len);
    if (!text)
      goto oom;
  }
  hs__resp_t r;
  hs__resp_begin(&r, x, 200);
  json_object_keylen_foreach(args, key, klen, val) {
    if (hs__str_ieq((hs__str_t){key, klen}, "Content-Type", 12))
      continue;
    size_t n = json_is_array(val) ? json_array_size(val) : 1;
    for (size_t i = 0; i < n; i++) {
      json_t *s = json_is_array(val) ? json_array_get(val, i) : val;
      hs__resp_field_n(&r, key, klen, json_string_value(s), json_string_length(s));
    }
  }
  hs__resp_end(&r, ctype, text, len);
  free(text);
  json_decref(args);
  json_decref(body);
  return;
oom:
  free(text);
  json_decref(args);
  json_decref(body);
  hs__resp_error(x, 500, "The response could not be produced (out of memory).", NULL);
}

/* ---- /dump/request ---------------------------------------------------- */

/* Any method /dump/request (go-httpbin, httputil.DumpRequest): the request as
 * HTTP/1.1 text (httpbin/dump.c), text/plain; charset=utf-8. */
static void dump_request_handler(hs__exchange_t *x) {
  const hs__req_t *req = x->req;
  hb_dump_req_t d = {req->method_name, req->target,  req->major,    req->minor, req->authority,
                     req->chunked,     req->headers, req->nheaders, req->body,  req->body_len};
  hs__buf_t *b = &x->ctx->scratch;
  b->len = 0;
  if (hb_dump_request(&d, b) != 0) {
    hs__resp_error(x, 500, "The response could not be produced (out of memory).", NULL);
    return;
  }
  hs__resp_t r;
  hs__resp_begin(&r, x, 200);
  hs__resp_end(&r, "text/plain; charset=utf-8", b->base, b->len);
}

const hs__route_t hs__routes_echo[] = {
    HS_GET_ROUTE("/get", get_handler, "/get", "echoes a GET request: args, headers, origin, url"),
    HS_ROUTE("/anything", 0, HS_M_ANY, anything_handler, "/anything[/{path}]",
             "echoes any request: method, args, headers, origin, url, body"),
    HS_ROUTE("/anything/", 1, HS_M_ANY, anything_handler, NULL, NULL),
    HS_ROUTE("/post", 0, HS_MBIT(HS_M_POST), body_handler, "/post",
             "echoes a POST request, its body parsed as httpbin does"),
    HS_ROUTE("/put", 0, HS_MBIT(HS_M_PUT), body_handler, "/put", "echoes a PUT request"),
    HS_ROUTE("/patch", 0, HS_MBIT(HS_M_PATCH), body_handler, "/patch", "echoes a PATCH request"),
    HS_ROUTE("/delete", 0, HS_MBIT(HS_M_DELETE), body_handler, "/delete",
             "echoes a DELETE request"),
    HS_GET_ROUTE("/headers", headers_handler, "/headers", "the request's headers"),
    HS_GET_ROUTE("/ip", ip_handler, "/ip", "the client address"),
    HS_GET_ROUTE("/user-agent", user_agent_handler, "/user-agent", "the request's User-Agent"),
    HS_GET_ROUTE("/uuid", uuid_handler, "/uuid", "a random UUID4"),
    HS_GET_ROUTE("/hostname", hostname_handler, "/hostname", "the server's name"),
    HS_GET_ROUTE("/env", env_handler, "/env", "the server's HTTPBIN_ENV_* variables"),
    HS_ROUTE("/head", 0, HS_MBIT(HS_M_HEAD), head_handler, "/head",
             "HEAD only: headers of an echo"),
    HS_ROUTE("/upload", 0, HS_MBIT(HS_M_POST) | HS_MBIT(HS_M_PUT) | HS_MBIT(HS_M_PATCH),
             upload_handler, "/upload", "echoes an uploaded body (POST, PUT, PATCH)"),
    HS_ROUTE("/response-headers", 0, HS_M_GET_HEAD | HS_MBIT(HS_M_POST), response_headers_handler,
             "/response-headers?K=V", "answers with the query's pairs as headers (GET and POST)"),
    HS_ROUTE("/dump/request", 0, HS_M_ANY, dump_request_handler, "/dump/request",
             "the request as received, as text"),
    HS_ROUTE_END,
};
