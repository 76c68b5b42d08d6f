/* The reference pages of the gateway codes (issue 19): for 502, 504, 508,
 * 520-526 and 530, every failure that produces the code at nginx, Cloudflare
 * or Envoy, with the request that makes it happen here for real
 * (/gateway/{kind}), the other gateways' answers and nginx's error-log line;
 * for nginx's 495-497 how to produce them. Each page links the others. */
#include <string.h>

#include "gateway/failure.h"
#include "gateway/plan.h"
#include "http/render.h"
#include "reference/gateway.h"
#include "reference/html_common.h"

static const int gateway_codes[] = {502, 504, 508, 520, 521, 522, 523, 524, 525, 526, 530};
static const int nginx_tls_codes[] = {495, 496, 497};

/* Links to the records of `codes` other than `self`. */
static void links(hs__buf_t *b, const int *codes, size_t n, int self, hs_lang_t lang) {
  hs__buf_lit(b, "<p>");
  for (size_t i = 0; i < n; i++) {
    if (codes[i] == self)
      continue;
    const hs_status_t *o = hs_lookup(HS_NS_HTTP, codes[i]);
    if (!o)
      o = hs_lookup(HS_NS_HTTP_VENDOR, codes[i]);
    if (!o)
      continue;
    hs__ref_link_record(b, o, lang);
    hs__buf_lit(b, " ");
  }
  hs__buf_lit(b, "</p>\n");
}

static int in(const int *codes, size_t n, int code) {
  for (size_t i = 0; i < n; i++)
    if (codes[i] == code)
      return 1;
  return 0;
}

/* One row per cause that some gateway answers with `code`. */
static void causes(hs__buf_t *b, int code, hs_lang_t lang) {
  int zh = lang == HS_LANG_ZH;
  hs__buf_printf(b,
                 "<table class=\"gw\"><thead><tr><th>%s</th><th>nginx</th><th>Cloudflare</th>"
                 "<th>Envoy</th><th>%s</th><th>%s</th></tr></thead><tbody>\n",
                 zh ? "失败原因" : "Failure", zh ? "在这里真实触发" : "Make it happen here",
                 zh ? "nginx 错误日志" : "nginx error log");
  for (int c = HS_GW_UNRESOLVED; c < HS_GW_CAUSES; c++) {
    int codes[HS_GW_VENDORS], hit = 0;
    for (int v = 0; v < HS_GW_VENDORS; v++)
      hit |= (codes[v] = hs__gw_status((hs__gw_vendor_t)v, (hs__gw_cause_t)c)) == code;
    if (!hit)
      continue;
    hs__buf_lit(b, "<tr><td>");
    hs__html_escape(b, hs__gw_cause_text((hs__gw_cause_t)c, zh), strlen(hs__gw_cause_text(c, zh)));
    for (int v = 0; v < HS_GW_VENDORS; v++)
      hs__buf_printf(b, codes[v] == code ? "</td><td><strong>%d</strong>" : "</td><td>%d",
                     codes[v]);
    hs__buf_lit(b, "</td><td>");
    int kind = hs__gw_cause_kind((hs__gw_cause_t)c);
    if (kind >= 0) {
      /* the vendor whose column has this code, nginx first */
      int v = codes[0] == code ? 0 : codes[1] == code ? 1 : 2;
      const char *timeout = hs__gw_cause_is_timeout((hs__gw_cause_t)c) ? "timeout=1&" : "";
      hs__buf_printf(b, "<code>curl -i /gateway/%s?%sas=%s</code>",
                     hs__gw_kind_name((hs__gw_kind_t)kind), timeout,
                     hs__gw_vendor_name((hs__gw_vendor_t)v));
    } else {
      hs__buf_lit(b, "—");
    }
    hs__buf_lit(b, "</td><td><code>");
    const char *log = hs__gw_cause_nginx_log((hs__gw_cause_t)c);
    hs__html_escape(b, log, strlen(log));
    hs__buf_lit(b, "</code></td></tr>\n");
  }
  hs__buf_lit(b, "</tbody></table>\n");
}

void hs__ref_gateway(hs__buf_t *b, const hs_status_t *r, hs_lang_t lang) {
  int zh = lang == HS_LANG_ZH;
  size_t ng = sizeof(gateway_codes) / sizeof(gateway_codes[0]);
  size_t nt = sizeof(nginx_tls_codes) / sizeof(nginx_tls_codes[0]);
  int code = r->code;
  if ((r->ns == HS_NS_HTTP || r->ns == HS_NS_HTTP_VENDOR) && in(gateway_codes, ng, code)) {
    hs__buf_printf(
        b, "<section id=\"gateway\" aria-labelledby=\"gateway-h\"><h2 id=\"gateway-h\">%s</h2>\n",
        zh ? "网关：真实的失败" : "Gateways: real failures");
    hs__buf_printf(
        b, "<p>%s</p>\n",
        zh ? "下表列出会让 nginx、Cloudflare 或 Envoy 回答这个代码的上游失败。本服务器的 "
             "/gateway/{kind} "
             "通过真正的代理连接到它自己在回环地址上运行的、出错方式各不相同的上游，"
             "所以每个失败都会真实发生；?as= 选择按哪个网关的方式回答，响应头 X-Gateway-Failure "
             "写明原因，访问日志记录上游地址、状态、原因和耗时。"
           : "The failures of an upstream for which nginx, Cloudflare or Envoy answer "
             "this code. This server's /gateway/{kind} proxies, through a real proxy, to "
             "upstreams it runs itself on the loopback, each failing in one way, so every "
             "failure really happens; ?as= picks whose codes answer, X-Gateway-Failure "
             "names the cause, and the access log records the upstream, its status, the "
             "cause and the timings.");
    causes(b, code, lang);
    hs__buf_printf(b, "<h3>%s</h3>\n", zh ? "其他网关代码" : "The other gateway codes");
    links(b, gateway_codes, ng, code, lang);
    hs__buf_lit(b, "</section>\n");
    return;
  }
  if (r->ns == HS_NS_HTTP_VENDOR && in(nginx_tls_codes, nt, code)) {
    static const char *const how_en[] = {
        "curl --cert bad.pem --key bad-key.pem https://HOST/client-cert (a certificate that "
        "does not verify against --tls-client-ca): 400 \"The SSL certificate error\"",
        "curl https://HOST/client-cert?verify=on without a certificate: 400 \"No required SSL "
        "certificate was sent\"",
        "curl http://HOST:TLS-PORT/ (plain HTTP to the TLS port): 400 \"The plain HTTP request "
        "was sent to HTTPS port\""};
    static const char *const how_zh[] = {
        "用未通过 --tls-client-ca 验证的证书访问 https://HOST/client-cert：400 \"The SSL "
        "certificate error\"",
        "不带证书访问 https://HOST/client-cert?verify=on：400 \"No required SSL certificate was "
        "sent\"",
        "向 TLS 端口发送明文 HTTP（curl http://HOST:TLS 端口/）：400 \"The plain HTTP request was "
        "sent to HTTPS port\""};
    hs__buf_printf(
        b, "<section id=\"gateway\" aria-labelledby=\"gateway-h\"><h2 id=\"gateway-h\">%s</h2>\n",
        zh ? "在这里真实触发" : "Make it happen here");
    hs__buf_printf(b, "<p>%s</p>\n<p><code>",
                   zh ? "nginx 只在日志里记录这个代码，客户端看到的是 400。本服务器同样回答 "
                        "400，在访问日志中记录该代码，并用响应头 X-Vendor-Status 说明："
                      : "nginx records this code in its log only; the client sees 400. This server "
                        "answers the same way, logs the code and names it in X-Vendor-Status:");
    const char *how = (zh ? how_zh : how_en)[code - 495];
    hs__html_escape(b, how, strlen(how));
    hs__buf_lit(b, "</code></p>\n");
    links(b, nginx_tls_codes, nt, code, lang);
    hs__buf_lit(b, "</section>\n");
  }
}
