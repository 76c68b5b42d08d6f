/* Helpers of the REST state machine: names, request content, HTTP dates,
 * entity-tag comparison, store errors and item answers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rest/rest_int.h"
#include "rest/schema.h"

int hs__rest_name_ok(const char *s, size_t n) {
  if (n == 0 || n > HS__REST_NAME_MAX || (n == 1 && s[0] == '.') ||
      (n == 2 && s[0] == '.' && s[1] == '.'))
    return 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
          c == '_' || c == '~' || c == '-'))
      return 0;
  }
  return 1;
}

/* The media type of a Content-Type value, lower-cased, without parameters
 * (RFC 9110 §8.3.1), into buf[cap]. */
static void media_type(hs__str_t v, char *buf, size_t cap) {
  size_t k = 0;
  for (size_t i = 0; v.ptr && i < v.len && v.ptr[i] != ';' && k + 1 < cap; i++) {
    char c = v.ptr[i];
    if (c == ' ' || c == '\t')
      continue;
    buf[k++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
  }
  buf[k] = '\0';
}

/* The deepest nesting of arrays and objects in JSON text (strings skipped),
 * stopping early once past `limit`: checked before parsing so that the
 * parser never recurses further than we allow. */
static size_t depth_of(const char *p, size_t n, size_t limit) {
  size_t d = 0, max = 0;
  int in_str = 0;
  for (size_t i = 0; i < n && max <= limit; i++) {
    char c = p[i];
    if (in_str) {
      if (c == '\\')
        i++;
      else if (c == '"')
        in_str = 0;
    } else if (c == '"')
      in_str = 1;
    else if (c == '[' || c == '{') {
      if (++d > max)
        max = d;
    } else if ((c == ']' || c == '}') && d)
      d--;
  }
  return max;
}

json_t *hs__rest_body(hs__rest_cx_t *cx, const char *const *ctypes, const char *accept_field) {
  const hs__rest_in_t *in = cx->in;
  char mt[128];
  media_type(in->content_type, mt, sizeof mt);
  int ok = 0;
  for (size_t i = 0; ctypes[i]; i++)
    ok |= strcmp(mt, ctypes[i]) == 0;
  if (!ok) {
    /* RFC 9110 §15.5.16; Accept-Post (W3C LDP) / Accept-Patch (RFC 5789 §3.1) */
    char accept[256] = "";
    for (size_t i = 0; ctypes[i]; i++)
      snprintf(accept + strlen(accept), sizeof accept - strlen(accept), "%s%s", i ? ", " : "",
               ctypes[i]);
    hs__rest_problem(cx->out, 415, "unsupported-media-type", NULL,
                     "The content must be %s, not \"%s\".", "内容类型必须是 %s，而不是“%s”。",
                     accept, mt[0] ? mt : "(none)");
    hs__fields_addz(&cx->out->fields, accept_field, accept);
    return NULL;
  }
  size_t limit = in->max_depth;
  if (depth_of(in->body, in->body_len, limit) > limit) {
    hs__rest_problem(cx->out, 400, "malformed-json", NULL,
                     "The JSON document nests deeper than %zu levels.",
                     "JSON 文档的嵌套超过 %zu 层。", limit);
    return NULL;
  }
  json_error_t e;
  json_t *doc = json_loadb(in->body ? in->body : "", in->body_len,
                           JSON_REJECT_DUPLICATES | JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
  if (!doc) {
    json_t *ext = json_pack("{s:i,s:i}", "line", e.line, "column", e.column);
    hs__rest_problem(cx->out, 400, "malformed-json", ext,
                     "Malformed JSON at line %d, column %d: %s.",
                     "JSON 格式错误，位于第 %d 行第 %d 列：%s。", e.line, e.column, e.text);
  }
  return doc;
}

static const char *const wday[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

void hs__rest_httpdate(int64_t t, char buf[32]) {
  time_t tt = (time_t)t;
  struct tm tm;
  gmtime_r(&tt, &tm);
  snprintf(buf, 32, "%s, %02d %s %04d %02d:%02d:%02d GMT", wday[tm.tm_wday], tm.tm_mday,
           mon[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

int hs__rest_parse_httpdate(hs__str_t v, int64_t *t) {
  char s[40], wd[4], mo[4];
  if (!v.ptr || v.len >= sizeof s)
    return -1;
  memcpy(s, v.ptr, v.len);
  s[v.len] = '\0';
  struct tm tm = {0};
  int n = 0;
  if (sscanf(s, "%3s, %d %3s %d %d:%d:%d GMT%n", wd, &tm.tm_mday, mo, &tm.tm_year, &tm.tm_hour,
             &tm.tm_min, &tm.tm_sec, &n) != 7 ||
      n != (int)v.len)
    return -1;
  tm.tm_mon = -1;
  for (int i = 0; i < 12; i++)
    if (strcmp(mo, mon[i]) == 0)
      tm.tm_mon = i;
  if (tm.tm_mon < 0 || tm.tm_year < 1900)
    return -1;
  tm.tm_year -= 1900;
  *t = (int64_t)timegm(&tm);
  return 0;
}

int hs__rest_etag_match(hs__str_t f, const char *etag, int weak) {
  size_t i = 0;
  while (i < f.len) {
    while (i < f.len && (f.ptr[i] == ' ' || f.ptr[i] == '\t' || f.ptr[i] == ','))
      i++;
    if (i >= f.len)
      break;
    if (f.ptr[i] == '*')
      return etag != NULL;
    int is_weak = 0;
    if (f.len - i > 2 && f.ptr[i] == 'W' && f.ptr[i + 1] == '/') {
      is_weak = 1;
      i += 2;
    }
    size_t start = i;
    if (i < f.len && f.ptr[i] == '"') {
      i++;
      while (i < f.len && f.ptr[i] != '"')
        i++;
      i++;
    } else
      while (i < f.len && f.ptr[i] != ',')
        i++;
    size_t n = (i > f.len ? f.len : i) - start;
    if (etag && (weak || !is_weak) && n == strlen(etag) && memcmp(f.ptr + start, etag, n) == 0)
      return 1;
  }
  return 0;
}

void hs__rest_store_error(hs__rest_cx_t *cx, int rc) {
  hs__rest_out_t *o = cx->out;
  switch (rc) {
  case HS__REST_ENOENT:
    hs__rest_problem(o, 404, "not-found", NULL, "%s/%s does not exist.", "%s/%s 不存在。", cx->coll,
                     cx->id);
    break;
  case HS__REST_EGONE:
    hs__rest_problem(o, 410, "gone", NULL, "%s/%s was deleted.", "%s/%s 已被删除。", cx->coll,
                     cx->id);
    break;
  case HS__REST_EPRECOND:
    hs__rest_problem(o, 412, "precondition-failed", NULL,
                     "The current version of %s/%s does not match the request's precondition.",
                     "%s/%s 的当前版本与请求的前提条件不符。", cx->coll, cx->id);
    break;
  case HS__REST_EBYTES:
    hs__rest_problem(o, 507, "quota", NULL,
                     "Namespace %s would hold more than %zu bytes of documents.",
                     "命名空间 %s 的文档将超过 %zu 字节。", cx->ns, cx->st->limits.max_bytes);
    break;
  case HS__REST_EITEMS:
    hs__rest_problem(o, 507, "quota", NULL, "Namespace %s already holds %zu items.",
                     "命名空间 %s 已有 %zu 个条目。", cx->ns, cx->st->limits.max_items);
    break;
  case HS__REST_ECOLLS:
    hs__rest_problem(o, 507, "quota", NULL, "Namespace %s already has %zu collections.",
                     "命名空间 %s 已有 %zu 个集合。", cx->ns, cx->st->limits.max_colls);
    break;
  case HS__REST_ENSPACES:
    hs__rest_problem(o, 507, "quota", NULL, "The server holds %zu namespaces already.",
                     "服务器已有 %zu 个命名空间。", cx->st->limits.max_namespaces);
    break;
  case HS__REST_EUNAVAIL:
    hs__rest_problem(o, 503, "unavailable", NULL, "The storage cannot be reached.",
                     "无法连接存储。");
    hs__fields_addz(&o->fields, "Retry-After", "5");
    break;
  default:
    hs__rest_problem(o, 500, "internal", NULL, "Out of memory.", "内存不足。");
    break;
  }
}

void hs__rest_send_item(hs__rest_cx_t *cx, int status, const hs__rest_item_t *it) {
  hs__rest_out_t *o = cx->out;
  char date[32];
  hs__rest_httpdate(it->mtime, date);
  o->status = status;
  hs__fields_addz(&o->fields, "ETag", it->etag);
  hs__fields_addz(&o->fields, "Last-Modified", date);
  o->body.len = 0;
  hs__sbuf_add(&o->body, it->doc, it->len);
  o->ctype = "application/json";
}

char *hs__rest_dump(const json_t *doc, size_t *len) {
  char *s = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
  if (s)
    *len = strlen(s);
  return s;
}

int hs__rest_validate(hs__rest_cx_t *cx, const json_t *doc) {
  const json_t *schema = json_object_get(cx->cfg, "schema");
  if (!schema)
    return 0;
  json_t *errs = hs__schema_validate(schema, doc);
  if (!errs) {
    hs__rest_store_error(cx, HS__REST_ENOMEM);
    return -1;
  }
  size_t n = json_array_size(errs);
  if (!n) {
    json_decref(errs);
    return 0;
  }
  hs__rest_problem(cx->out, 422, "validation", json_pack("{s:o}", "errors", errs),
                   "The document breaks %zu rule(s) of the schema of collection %s.",
                   "文档违反了集合 %2$s 的模式中的 %1$zu 条规则。", n, cx->coll);
  return -1;
}
