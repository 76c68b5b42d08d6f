/* GET /rest: the REST playground's state machine as a web page, in English
 * or Chinese (?lang=, else Accept-Language): which request, in which state,
 * gives which code. A page of its own (not one of the reference's registry
 * pages), linking to the reference and to /rest/openapi.json. */
#include <string.h>

#include "base/sbuf.h"
#include "handlers/rest_page.h"
#include "http/render.h"

typedef struct row_s {
  const char *req, *code, *en, *zh;
} row_t;

/* request, code, state in English, state in Chinese */
static const row_t rows[] = {
    {"POST /rest/{c}", "201", "created; Location, ETag, Last-Modified and the document",
     "已创建；带 Location、ETag、Last-Modified 与文档"},
    {"POST /rest/{c}", "409", "the document's id is taken (problem names the resource)",
     "文档中的 id 已被占用（问题详情指明该资源）"},
    {"POST /rest/{c}?async=S", "202", "accepted; Location of a job, Retry-After: S",
     "已接受；Location 指向任务，Retry-After: S"},
    {"GET /rest/_jobs/{j}", "200 / 303", "running (Retry-After), then See Other to the item",
     "运行中（Retry-After），之后以 303 指向条目"},
    {"PUT /rest/{c}/{id}", "201", "no such item (or only its tombstone): created",
     "条目不存在（或只剩墓碑）：已创建"},
    {"PUT /rest/{c}/{id}", "200 / 204", "replaced; 204 with Prefer: return=minimal",
     "已替换；Prefer: return=minimal 时为 204"},
    {"GET /rest/{c}/{id}", "200", "the item, with a strong ETag and Last-Modified",
     "返回条目，带强 ETag 与 Last-Modified"},
    {"GET /rest/{c}/{id}", "304", "If-None-Match matches, or unchanged since If-Modified-Since",
     "If-None-Match 匹配，或自 If-Modified-Since 起未变"},
    {"GET /rest/{c}", "200", "a list: ?field=value, _sort, _page, _per_page; Link, X-Total-Count",
     "列表：?字段=值、_sort、_page、_per_page；Link 与 X-Total-Count"},
    {"any write", "412",
     "If-Match does not match the current ETag (or If-None-Match: * and it exists)",
     "If-Match 与当前 ETag 不符（或 If-None-Match: * 而条目已存在）"},
    {"any write", "428", "the collection requires If-Match and there is none",
     "集合要求 If-Match 而请求没有"},
    {"DELETE /rest/{c}/{id}", "204", "deleted; a tombstone remains", "已删除；留下墓碑"},
    {"any /rest/{c}/{id}", "410", "deleted, tombstone not expired yet", "已删除，墓碑尚未过期"},
    {"any /rest/{c}/{id}", "404", "never existed, or the tombstone expired",
     "从未存在，或墓碑已过期"},
    {"PATCH (merge or JSON Patch)", "200", "patched (RFC 7396 / RFC 6902)",
     "已打补丁（RFC 7396 / RFC 6902）"},
    {"PATCH (JSON Patch)", "409", "a test operation failed, or a path is missing",
     "test 操作未通过，或路径不存在"},
    {"POST / PUT / PATCH", "400", "malformed JSON (line and column), duplicate keys, too deep",
     "JSON 格式错误（给出行与列）、键重复或嵌套过深"},
    {"POST / PUT / PATCH", "415", "not JSON; Accept-Post / Accept-Patch say what is",
     "不是 JSON；Accept-Post / Accept-Patch 说明可接受的类型"},
    {"POST / PUT / PATCH", "422",
     "breaks the collection's schema: each error with its JSON Pointer",
     "违反集合的模式：逐条列出错误及其 JSON Pointer"},
    {"any, moved collection", "308 / 301", "moved_to: 308 keeps the method; GET ?legacy=1 gets 301",
     "moved_to：308 保留方法；GET ?legacy=1 得到 301"},
    {"any, auth: bearer", "401 / 403",
     "no or unknown token (WWW-Authenticate); read-only token writing",
     "无令牌或令牌未知（WWW-Authenticate）；只读令牌执行写操作"},
    {"any, rate_limit", "429", "quota spent: RateLimit-Policy, RateLimit, Retry-After",
     "配额用完：RateLimit-Policy、RateLimit、Retry-After"},
    {"any write", "507", "the namespace's quota (items, bytes, collections) is spent",
     "命名空间的配额（条目、字节、集合）已用完"},
    {"any", "503", "the store (SQLite, Redis) cannot be reached; Retry-After",
     "存储（SQLite、Redis）无法访问；带 Retry-After"},
};

/* 1 if the page should be Chinese: ?lang=zh, else Accept-Language. */
static int chinese(const hs__req_t *req) {
  hs__str_t v;
  if (hs__req_query(req, "lang", &v))
    return v.len == 2 && memcmp(v.ptr, "zh", 2) == 0;
  return hs__negotiate(req).lang == HS_LANG_ZH;
}

static void esc(hs__sbuf_t *b, const char *s) {
  for (; *s; s++) {
    if (*s == '<')
      hs__sbuf_adds(b, "&lt;");
    else if (*s == '>')
      hs__sbuf_adds(b, "&gt;");
    else if (*s == '&')
      hs__sbuf_adds(b, "&amp;");
    else
      hs__sbuf_addc(b, *s);
  }
}

void hs__rest_page(hs__exchange_t *x) {
  int zh = chinese(x->req);
  hs__sbuf_t b = HS_SBUF_INIT;
  hs__sbuf_adds(&b,
                zh ? "<!DOCTYPE html>\n<html lang=\"zh\">" : "<!DOCTYPE html>\n<html lang=\"en\">");
  hs__sbuf_adds(&b, "<head><meta charset=\"utf-8\">"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                    "<meta name=\"color-scheme\" content=\"light dark\"><title>");
  hs__sbuf_adds(&b, zh ? "REST 演练场 · httpstatus" : "REST playground · httpstatus");
  hs__sbuf_adds(&b, "</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;"
                    "margin:auto;padding:1rem}table{border-collapse:collapse;width:100%}"
                    "th,td{border-bottom:1px solid #8884;padding:.3rem .5rem;text-align:left;"
                    "vertical-align:top}td:nth-child(2){white-space:nowrap;font-weight:bold}"
                    "</style></head><body><nav><a href=\"/\">");
  hs__sbuf_adds(&b, zh ? "httpstatus 参考" : "httpstatus reference");
  hs__sbuf_adds(&b, zh ? "</a> · <a href=\"/rest?lang=en\" hreflang=\"en\" lang=\"en\">English</a>"
                       : "</a> · <a href=\"/rest?lang=zh\" hreflang=\"zh\" lang=\"zh\">中文</a>");
  hs__sbuf_adds(&b, "</nav><main><h1>");
  hs__sbuf_adds(&b,
                zh ? "REST 演练场：状态码来自真实状态" : "REST playground: codes from real state");
  hs__sbuf_adds(&b, "</h1><p>");
  hs__sbuf_adds(
      &b, zh ? "<code>/rest/{集合}/{id}</code> 保存 JSON 文档。每个状态码都由服务器保存的状态决定："
               "条目是否存在、版本是否匹配、配额是否用完。每个客户端有自己的命名空间："
               "<code>Playground</code> 请求头，否则服务器设置的 cookie，否则 <code>public</code>。"
               "错误一律是 <code>application/problem+json</code>（RFC 9457），按 Accept-Language "
               "给出英文或中文。"
             : "<code>/rest/{collection}/{id}</code> stores JSON documents. Every code comes from "
               "the state the server holds: whether the item exists, whether its version matches, "
               "whether the quota is spent. Each client has a namespace of its own: the "
               "<code>Playground</code> header, else a cookie the server sets, else "
               "<code>public</code>. Every error is <code>application/problem+json</code> (RFC "
               "9457), in English or Chinese by Accept-Language.");
  hs__sbuf_adds(&b, "</p><table><thead><tr><th>");
  hs__sbuf_adds(&b, zh ? "请求</th><th>状态码</th><th>何时" : "Request</th><th>Code</th><th>When");
  hs__sbuf_adds(&b, "</th></tr></thead><tbody>");
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    hs__sbuf_adds(&b, "<tr><td><code>");
    esc(&b, rows[i].req);
    hs__sbuf_adds(&b, "</code></td><td>");
    esc(&b, rows[i].code);
    hs__sbuf_adds(&b, "</td><td>");
    esc(&b, zh ? rows[i].zh : rows[i].en);
    hs__sbuf_adds(&b, "</td></tr>");
  }
  hs__sbuf_adds(&b, "</tbody></table><p>");
  hs__sbuf_adds(
      &b, zh ? "集合配置：<code>PUT /rest/_collections/{集合}</code>，成员有 schema、"
               "require_if_match、auth、rate_limit、moved_to。Bearer 令牌："
               "<code>playground-read</code>（只读）与 <code>playground-write</code>。"
               "机器可读的描述：<a href=\"/rest/openapi.json\">OpenAPI 3.1</a>。"
             : "Configure a collection with <code>PUT /rest/_collections/{collection}</code>: "
               "schema, require_if_match, auth, rate_limit, moved_to. Bearer tokens: "
               "<code>playground-read</code> (read only) and <code>playground-write</code>. "
               "Machine-readable: <a href=\"/rest/openapi.json\">OpenAPI 3.1</a>.");
  hs__sbuf_adds(&b, "</p></main></body></html>\n");
  if (b.oom) {
    hs__sbuf_free(&b);
    hs__resp_error(x, 500, "Out of memory.", NULL);
    return;
  }
  hs__resp_t r;
  hs__resp_begin(&r, x, 200);
  hs__resp_field(&r, "Content-Language", zh ? "zh" : "en", 2);
  hs__resp_hdr(&r, HS_H_VARY, "Accept-Language", 15);
  hs__resp_end(&r, "text/html; charset=utf-8", b.p, b.len);
  hs__sbuf_free(&b);
}
