/* Problem details for the REST playground (RFC 9457 §3): the titles of every
 * problem type it uses, in English and Chinese. */
#include "rest/problem.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct ptype_s {
  const char *slug, *en, *zh;
} ptype_t;

static const ptype_t types[] = {
    {"not-found", "Resource not found", "资源不存在"},
    {"gone", "Resource deleted", "资源已删除"},
    {"exists", "Resource already exists", "资源已存在"},
    {"precondition-failed", "Precondition failed", "前提条件不成立"},
    {"precondition-required", "Precondition required", "需要前提条件"},
    {"method-not-allowed", "Method not allowed", "不允许此方法"},
    {"bad-name", "Invalid name", "名称无效"},
    {"bad-query", "Invalid query parameter", "查询参数无效"},
    {"malformed-json", "Malformed JSON", "JSON 格式错误"},
    {"unsupported-media-type", "Unsupported media type", "不支持的媒体类型"},
    {"invalid-document", "Invalid document", "文档无效"},
    {"validation", "Validation failed", "校验失败"},
    {"patch-failed", "Patch cannot be applied", "补丁无法应用"},
    {"patch-test-failed", "Patch test failed", "补丁测试未通过"},
    {"quota", "Storage quota exceeded", "存储配额已用完"},
    {"unavailable", "Storage unavailable", "存储不可用"},
    {"unauthorized", "Authentication required", "需要身份验证"},
    {"forbidden", "Insufficient scope", "权限范围不足"},
    {"rate-limited", "Too many requests", "请求过多"},
    {"internal", "Internal error", "内部错误"},
};

void hs__rest_problem(hs__rest_out_t *out, int status, const char *slug, json_t *ext,
                      const char *detail_en, const char *detail_zh, ...) {
  const ptype_t *t = &types[0];
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
    if (strcmp(types[i].slug, slug) == 0)
      t = &types[i];
  char detail[1024];
  va_list ap;
  va_start(ap, detail_zh);
  vsnprintf(detail, sizeof detail, out->zh ? detail_zh : detail_en, ap);
  va_end(ap);
  char type[96];
  snprintf(type, sizeof type, "/rest/problems/%s", t->slug);
  json_t *p = json_object();
  json_object_set_new(p, "type", json_string(type));
  json_object_set_new(p, "title", json_string(out->zh ? t->zh : t->en));
  json_object_set_new(p, "status", json_integer(status));
  json_object_set_new(p, "detail", json_string(detail));
  if (out->instance[0])
    json_object_set_new(p, "instance", json_string(out->instance));
  if (ext)
    json_object_update(p, ext);
  json_decref(ext);
  out->status = status;
  out->body.len = 0;
  char *s = json_dumps(p, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(p);
  if (s) {
    hs__sbuf_adds(&out->body, s);
    free(s);
  }
  out->ctype = "application/problem+json";
  hs__fields_addz(&out->fields, "Content-Language", out->zh ? "zh" : "en");
}
