/* One item of the REST playground: read (200/304/404/410), replace or
 * create (PUT: 200/201/204), patch (PATCH), delete (DELETE: 204, then 410),
 * and create in a collection (POST: 201/409), with the preconditions of RFC
 * 9110 §13 decided against what the store holds. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rest/patch.h"
#include "rest/rest_int.h"
#include "rest/schema.h"

#define PRE_OK 0

static int wants_minimal(const hs__rest_cx_t *cx) {
  hs__str_t p = cx->in->prefer;
  for (size_t i = 0; p.ptr && i + 14 <= p.len; i++)
    if (memcmp(p.ptr + i, "return=minimal", 14) == 0)
      return 1;
  return 0;
}

static int wants_representation(const hs__rest_cx_t *cx) {
  hs__str_t p = cx->in->prefer;
  for (size_t i = 0; p.ptr && i + 21 <= p.len; i++)
    if (memcmp(p.ptr + i, "return=representation", 21) == 0)
      return 1;
  return 0;
}

/* RFC 9110 §13.2.2: the preconditions in their order against the current
 * item `cur` (NULL when there is none). Returns PRE_OK, 304 or 412. */
static int preconditions(const hs__rest_cx_t *cx, const hs__rest_item_t *cur, int safe) {
  const hs__rest_in_t *in = cx->in;
  int64_t d;
  if (in->if_match.ptr) {
    if (!hs__rest_etag_match(in->if_match, cur ? cur->etag : NULL, 0))
      return 412;
  } else if (in->if_unmodified_since.ptr && cur &&
             hs__rest_parse_httpdate(in->if_unmodified_since, &d) == 0 && cur->mtime > d)
    return 412;
  if (in->if_none_match.ptr) {
    if (hs__rest_etag_match(in->if_none_match, cur ? cur->etag : NULL, 1))
      return safe ? 304 : 412;
  } else if (safe && in->if_modified_since.ptr && cur &&
             hs__rest_parse_httpdate(in->if_modified_since, &d) == 0 && cur->mtime <= d)
    return 304;
  return PRE_OK;
}

/* Answers a failed precondition (304 with the validators, or 412). */
static void pre_fail(hs__rest_cx_t *cx, int code, const hs__rest_item_t *cur) {
  if (code == 412) {
    hs__rest_store_error(cx, HS__REST_EPRECOND);
    if (cur)
      hs__fields_addz(&cx->out->fields, "ETag", cur->etag);
    return;
  }
  char date[32];
  hs__rest_httpdate(cur->mtime, date);
  cx->out->status = 304; /* RFC 9110 §15.4.5: the validators it would have sent */
  hs__fields_addz(&cx->out->fields, "ETag", cur->etag);
  hs__fields_addz(&cx->out->fields, "Last-Modified", date);
}

/* RFC 6585 §3: a collection that requires If-Match answers writes without
 * it with 428 (a PUT may instead create with If-None-Match: *). Returns 1
 * when it answered. */
static int need_if_match(hs__rest_cx_t *cx) {
  if (!json_is_true(json_object_get(cx->cfg, "require_if_match")) || cx->in->if_match.ptr ||
      (cx->in->method == HS__REST_PUT && cx->in->if_none_match.ptr))
    return 0;
  hs__rest_problem(cx->out, 428, "precondition-required", NULL,
                   "Collection %s requires If-Match on writes: GET the item for its ETag first.",
                   "集合 %s 的写操作需要 If-Match：请先 GET 该条目以取得 ETag。", cx->coll);
  return 1;
}

/* The document as stored: an object whose "id" is cx->id (added when
 * absent). Returns its text (malloc'd) or NULL with a 422 set. */
static char *finish_doc(hs__rest_cx_t *cx, json_t *doc, size_t *len) {
  if (!json_is_object(doc)) {
    hs__rest_problem(cx->out, 422, "invalid-document", NULL, "A document is a JSON object.",
                     "文档必须是 JSON 对象。");
    return NULL;
  }
  json_t *id = json_object_get(doc, "id");
  if (id) {
    char buf[32];
    const char *s = json_string_value(id);
    if (json_is_integer(id)) {
      snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT, json_integer_value(id));
      s = buf;
    }
    if (!s || strcmp(s, cx->id) != 0) {
      hs__rest_problem(cx->out, 422, "invalid-document", NULL,
                       "The document's \"id\" differs from the id in the URL (%s).",
                       "文档中的“id”与 URL 中的 id（%s）不同。", cx->id);
      return NULL;
    }
  } else
    json_object_set_new(doc, "id", json_string(cx->id));
  if (hs__rest_validate(cx, doc) < 0)
    return NULL;
  char *text = hs__rest_dump(doc, len);
  if (!text)
    hs__rest_store_error(cx, HS__REST_ENOMEM);
  return text;
}

/* Location of the current item. */
static void add_location(hs__rest_cx_t *cx) {
  char loc[300];
  snprintf(loc, sizeof loc, "/rest/%s/%s", cx->coll, cx->id);
  hs__fields_addz(&cx->out->fields, "Location", loc);
}

/* Answers a successful write of `text`. */
static void written(hs__rest_cx_t *cx, int status, char *text, size_t len, const char *etag) {
  hs__rest_item_t it = {.doc = text, .len = len, .mtime = cx->in->now};
  snprintf(it.etag, sizeof it.etag, "%s", etag);
  if (status == 201)
    add_location(cx);
  if (wants_minimal(cx)) { /* RFC 7240 §4.2 */
    hs__fields_addz(&cx->out->fields, "Preference-Applied", "return=minimal");
    hs__rest_send_item(cx, status == 200 ? 204 : status, &it);
    cx->out->body.len = 0;
    cx->out->ctype = NULL;
  } else {
    if (wants_representation(cx))
      hs__fields_addz(&cx->out->fields, "Preference-Applied", "return=representation");
    hs__rest_send_item(cx, status, &it);
  }
  free(text);
}

/* Records the job of an asynchronous create (its document in the hidden
 * collection _jobs says when the item becomes readable) and answers 202
 * (RFC 9110 §15.3.3) with the job's Location and Retry-After. */
static void accepted(hs__rest_cx_t *cx, int64_t delay) {
  uint64_t z = cx->in->random + 0x9e3779b97f4a7c15ULL; /* splitmix64: another id */
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  char jid[24], job[300], loc[300];
  snprintf(jid, sizeof jid, "j%016" PRIx64, z ^ (z >> 31));
  snprintf(loc, sizeof loc, "/rest/%s/%s", cx->coll, cx->id);
  snprintf(job, sizeof job, "/rest/_jobs/%s", jid);
  json_t *j = json_pack("{s:s,s:I}", "location", loc, "due", (json_int_t)(cx->in->now + delay));
  size_t len;
  char *text = j ? hs__rest_dump(j, &len) : NULL;
  json_decref(j);
  char etag[24];
  hs__rest_key_t k = {cx->ns, "_jobs", jid};
  int created, rc = HS__REST_ENOMEM;
  if (text) {
    hs__rest_etag(text, len, etag);
    rc = cx->st->ops->put(cx->st, &k, text, len, etag, cx->in->now, cx->in->now, HS__REST_IF_ANY,
                          NULL, &created);
  }
  free(text);
  if (rc) {
    hs__rest_store_error(cx, rc);
    return;
  }
  hs__rest_out_t *o = cx->out;
  char ra[24];
  snprintf(ra, sizeof ra, "%" PRId64, delay);
  o->status = 202;
  hs__fields_addz(&o->fields, "Location", job);
  hs__fields_addz(&o->fields, "Retry-After", ra);
  o->ctype = "application/json";
  hs__sbuf_adds(&o->body, "{\"status\":\"running\",\"job\":\"");
  hs__sbuf_adds(&o->body, job);
  hs__sbuf_adds(&o->body, "\"}");
}

void hs__rest_job(hs__rest_cx_t *cx) {
  if (cx->in->method != HS__REST_GET && cx->in->method != HS__REST_HEAD) {
    hs__rest_problem(cx->out, 405, "method-not-allowed", NULL, "Allowed here: %s.",
                     "此处允许的方法：%s。", "GET, HEAD, OPTIONS");
    hs__fields_addz(&cx->out->fields, "Allow", "GET, HEAD, OPTIONS");
    return;
  }
  hs__rest_key_t k = {cx->ns, "_jobs", cx->id};
  hs__rest_item_t it = {0};
  int rc = cx->st->ops->get(cx->st, &k, cx->in->now, &it);
  json_t *j = rc ? NULL : json_loadb(it.doc, it.len, 0, NULL);
  hs__rest_item_free(&it);
  if (!j) {
    snprintf(cx->coll, sizeof cx->coll, "_jobs");
    hs__rest_store_error(cx, rc ? rc : HS__REST_ENOMEM);
    return;
  }
  int64_t due = json_integer_value(json_object_get(j, "due"));
  hs__rest_out_t *o = cx->out;
  o->ctype = "application/json";
  if (cx->in->now < due) { /* still running */
    char ra[24];
    snprintf(ra, sizeof ra, "%" PRId64, due - cx->in->now);
    o->status = 200;
    hs__fields_addz(&o->fields, "Retry-After", ra);
    hs__sbuf_adds(&o->body, "{\"status\":\"running\"}");
  } else { /* RFC 9110 §15.4.4: done, see the created resource */
    const char *loc = json_string_value(json_object_get(j, "location"));
    o->status = 303;
    hs__fields_addz(&o->fields, "Location", loc ? loc : "/rest/");
    hs__sbuf_adds(&o->body, "{\"status\":\"done\"}");
  }
  json_decref(j);
}

/* POST /rest/{c}: creates an item, its id from the document or a fresh one.
 * 201 + Location, or 409 naming the existing resource; with `delay` > 0
 * the item becomes readable that many seconds later and the answer is 202
 * with a job to poll. */
void hs__rest_create(hs__rest_cx_t *cx, json_t *doc, int64_t delay) {
  json_t *id = json_object_get(doc, "id");
  if (id) {
    char buf[32];
    const char *s = json_string_value(id);
    if (json_is_integer(id)) {
      snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT, json_integer_value(id));
      s = buf;
    }
    if (!s || !hs__rest_name_ok(s, strlen(s))) {
      hs__rest_problem(cx->out, 422, "invalid-document", NULL,
                       "\"id\" must be a string or integer of 1 to 128 of A-Z a-z 0-9 . _ ~ -.",
                       "“id”必须是由 1 到 128 个 A-Z a-z 0-9 . _ ~ - 组成的字符串或整数。");
      return;
    }
    snprintf(cx->id, sizeof cx->id, "%s", s);
  } else
    snprintf(cx->id, sizeof cx->id, "%012" PRIx64, cx->in->random >> 16);
  size_t len;
  char *text = finish_doc(cx, doc, &len);
  if (!text)
    return;
  char etag[24];
  hs__rest_etag(text, len, etag);
  hs__rest_key_t k = {cx->ns, cx->coll, cx->id};
  int created = 0;
  int64_t from = cx->in->now + delay;
  int rc = cx->st->ops->put(cx->st, &k, text, len, etag, cx->in->now, from, HS__REST_IF_ABSENT,
                            NULL, &created);
  if (rc == HS__REST_EPRECOND) {
    free(text);
    char loc[300];
    snprintf(loc, sizeof loc, "/rest/%s/%s", cx->coll, cx->id);
    hs__rest_problem(cx->out, 409, "exists", json_pack("{s:s}", "conflict", loc),
                     "%s already exists: PUT replaces it, or POST without an id.",
                     "%s 已存在：用 PUT 替换，或 POST 时不带 id。", loc);
    return;
  }
  if (rc) {
    free(text);
    hs__rest_store_error(cx, rc);
    return;
  }
  if (delay > 0) {
    free(text);
    accepted(cx, delay);
    return;
  }
  written(cx, 201, text, len, etag);
}

static void get(hs__rest_cx_t *cx) {
  hs__rest_key_t k = {cx->ns, cx->coll, cx->id};
  hs__rest_item_t it = {0};
  int rc = cx->st->ops->get(cx->st, &k, cx->in->now, &it);
  if (rc) {
    hs__rest_store_error(cx, rc);
    return;
  }
  int pre = preconditions(cx, &it, 1);
  if (pre)
    pre_fail(cx, pre, &it);
  else
    hs__rest_send_item(cx, 200, &it);
  hs__rest_item_free(&it);
}

static void put(hs__rest_cx_t *cx) {
  static const char *const ct[] = {"application/json", NULL};
  if (need_if_match(cx))
    return;
  json_t *doc = hs__rest_body(cx, ct, "Accept-Put");
  if (!doc)
    return;
  size_t len;
  char *text = finish_doc(cx, doc, &len);
  json_decref(doc);
  if (!text)
    return;
  hs__rest_key_t k = {cx->ns, cx->coll, cx->id};
  hs__rest_item_t cur = {0};
  int rc = cx->st->ops->get(cx->st, &k, cx->in->now, &cur);
  if (rc && rc != HS__REST_ENOENT && rc != HS__REST_EGONE) {
    free(text);
    hs__rest_store_error(cx, rc);
    return;
  }
  int pre = preconditions(cx, rc ? NULL : &cur, 0);
  hs__rest_cond_t cond = rc ? HS__REST_IF_ABSENT : HS__REST_IF_ETAG;
  if (!cx->in->if_match.ptr && !cx->in->if_none_match.ptr && !cx->in->if_unmodified_since.ptr)
    cond = HS__REST_IF_ANY;
  char etag[24];
  hs__rest_etag(text, len, etag);
  int created = 0;
  if (!pre)
    rc = cx->st->ops->put(cx->st, &k, text, len, etag, cx->in->now, cx->in->now, cond, cur.etag,
                          &created);
  if (pre || rc) {
    free(text);
    if (pre)
      pre_fail(cx, 412, rc ? NULL : &cur);
    else
      hs__rest_store_error(cx, rc);
  } else
    written(cx, created ? 201 : 200, text, len, etag);
  hs__rest_item_free(&cur);
}

/* Applies the request's patch document to `doc` (RFC 7396 or RFC 6902 by
 * Content-Type). Returns the patched document, or NULL with the problem set
 * (400 unreadable patch, 409 a failed test or a missing path). */
static json_t *apply(hs__rest_cx_t *cx, json_t *doc) {
  static const char *const ct[] = {"application/merge-patch+json", "application/json-patch+json",
                                   NULL};
  json_t *patch = hs__rest_body(cx, ct, "Accept-Patch");
  if (!patch) {
    json_decref(doc);
    return NULL;
  }
  int json_patch =
      cx->in->content_type.len >= 27 &&
      hs__str_ieq((hs__str_t){cx->in->content_type.ptr, 27}, "application/json-patch+json", 27);
  if (!json_patch) {
    doc = hs__rest_merge_patch(doc, patch);
    json_decref(patch);
    return doc;
  }
  char err[256];
  int rc = hs__rest_json_patch(&doc, patch, err, sizeof err);
  json_decref(patch);
  if (rc == 0)
    return doc;
  json_decref(doc);
  if (rc == HS__PATCH_ETEST)
    hs__rest_problem(cx->out, 409, "patch-test-failed", NULL, "%s.", "%s。", err);
  else if (rc == HS__PATCH_ECONFLICT)
    hs__rest_problem(cx->out, 409, "patch-failed", NULL, "%s.", "%s。", err);
  else
    hs__rest_problem(cx->out, 400, "patch-failed", NULL, "Invalid JSON Patch: %s.",
                     "JSON Patch 无效：%s。", err);
  return NULL;
}

static void patch(hs__rest_cx_t *cx) {
  if (need_if_match(cx))
    return;
  hs__rest_key_t k = {cx->ns, cx->coll, cx->id};
  for (int attempt = 0; attempt < 5; attempt++) {
    hs__rest_item_t cur = {0};
    int rc = cx->st->ops->get(cx->st, &k, cx->in->now, &cur);
    if (rc) {
      hs__rest_store_error(cx, rc);
      return;
    }
    int pre = preconditions(cx, &cur, 0);
    if (pre) {
      pre_fail(cx, pre, &cur);
      hs__rest_item_free(&cur);
      return;
    }
    json_t *doc = json_loadb(cur.doc, cur.len, JSON_ALLOW_NUL, NULL);
    doc = doc ? apply(cx, doc) : NULL;
    size_t len = 0;
    char *text = doc ? finish_doc(cx, doc, &len) : NULL;
    json_decref(doc);
    if (!text) {
      if (!cx->out->status)
        hs__rest_store_error(cx, HS__REST_ENOMEM);
      hs__rest_item_free(&cur);
      return;
    }
    char etag[24];
    hs__rest_etag(text, len, etag);
    int created = 0;
    rc = cx->st->ops->put(cx->st, &k, text, len, etag, cx->in->now, cx->in->now, HS__REST_IF_ETAG,
                          cur.etag, &created);
    hs__rest_item_free(&cur);
    if (rc == 0) {
      written(cx, 200, text, len, etag);
      return;
    }
    free(text);
    if (rc != HS__REST_EPRECOND || cx->in->if_match.ptr) {
      hs__rest_store_error(cx, rc);
      return;
    }
    hs__fields_clear(&cx->out->fields, 0); /* changed meanwhile: patch the new version */
  }
  hs__rest_store_error(cx, HS__REST_EPRECOND);
}

static void del(hs__rest_cx_t *cx) {
  if (need_if_match(cx))
    return;
  hs__rest_key_t k = {cx->ns, cx->coll, cx->id};
  hs__rest_item_t cur = {0};
  int rc = cx->st->ops->get(cx->st, &k, cx->in->now, &cur);
  if (rc) {
    hs__rest_store_error(cx, rc);
    return;
  }
  int pre = preconditions(cx, &cur, 0);
  if (pre)
    pre_fail(cx, 412, &cur);
  else if ((rc = cx->st->ops->del(cx->st, &k, cx->in->now,
                                  cx->in->if_match.ptr ? HS__REST_IF_ETAG : HS__REST_IF_ANY,
                                  cur.etag)))
    hs__rest_store_error(cx, rc);
  else
    cx->out->status = 204;
  hs__rest_item_free(&cur);
}

void hs__rest_item(hs__rest_cx_t *cx) {
  switch (cx->in->method) {
  case HS__REST_GET:
  case HS__REST_HEAD:
    get(cx);
    break;
  case HS__REST_PUT:
    put(cx);
    break;
  case HS__REST_PATCH:
    patch(cx);
    break;
  case HS__REST_DELETE:
    del(cx);
    break;
  default:
    hs__rest_problem(cx->out, 405, "method-not-allowed", NULL, "Allowed here: %s.",
                     "此处允许的方法：%s。", "GET, HEAD, PUT, PATCH, DELETE, OPTIONS");
    hs__fields_addz(&cx->out->fields, "Allow", "GET, HEAD, PUT, PATCH, DELETE, OPTIONS");
  }
}
