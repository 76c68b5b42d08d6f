/* The words of the reference pages in English and Chinese (the records bring
 * their own texts; these are the labels around them). */
#include "reference/i18n.h"

static const char *const words[HS_W_COUNT][2] = {
    [HS_W_SITE] = {"httpstatus reference", "httpstatus 状态码参考"},
    [HS_W_SKIP] = {"Skip to content", "跳到正文"},
    [HS_W_SEARCH] = {"Search codes", "搜索状态码"},
    [HS_W_SEARCH_HINT] = {"404, timeout, teapot, 超时…", "404、超时、timeout、茶壶…"},
    [HS_W_LANGUAGE] = {"Language", "语言"},
    [HS_W_HOME] = {"Home", "首页"},
    [HS_W_API] = {"API endpoints", "API 端点"},
    [HS_W_NS_HTTP] = {"HTTP status codes", "HTTP 状态码"},
    [HS_W_NS_VENDOR] = {"Vendor and unofficial HTTP codes", "厂商与非官方 HTTP 状态码"},
    [HS_W_NS_IIS] = {"IIS sub-status codes", "IIS 子状态码"},
    [HS_W_NS_FTP] = {"FTP reply codes", "FTP 应答码"},
    [HS_W_NS_WS] = {"WebSocket close codes", "WebSocket 关闭码"},
    [HS_W_GLANCE] = {"At a glance", "概览"},
    [HS_W_STATE] = {"Registration", "登记状态"},
    [HS_W_VENDOR] = {"Vendor", "厂商"},
    [HS_W_SPEC] = {"Specification", "规范"},
    [HS_W_CACHEABLE] = {"Cacheable by default", "默认可缓存"},
    [HS_W_BODY] = {"Content", "响应体"},
    [HS_W_REQUIRES] = {"Required header fields", "必需的首部字段"},
    [HS_W_EXPECTS] = {"Expected header fields", "应有的首部字段"},
    [HS_W_ALIASES] = {"Other names", "其他名称"},
    [HS_W_REGISTERED] = {"Registered as", "登记名称"},
    [HS_W_EXPIRES] = {", expires %s", "，%s 到期"}, /* after the state; a printf format */
    [HS_W_RETRY] = {"Worth retrying", "可否重试"},
    [HS_W_ON_WIRE] = {"Sent in a Close frame", "可出现在关闭帧中"},
    [HS_W_YES] = {"yes", "是"},
    [HS_W_NO] = {"no", "否"},
    [HS_W_NONE] = {"none", "无"},
    [HS_W_BODY_YES] = {"may carry content", "可以带响应体"},
    [HS_W_BODY_NO] = {"never carries content", "不带响应体"},
    [HS_W_RETRY_AFTER] = {"when Retry-After says when", "依 Retry-After 指定的时间"},
    [HS_W_EXPLANATION] = {"Explanation", "详解"},
    [HS_W_SCENARIOS] = {"Where you meet it", "常见场景"},
    [HS_W_VENDOR_MEANINGS] = {"Vendor meanings of this number", "这个数字的厂商含义"},
    [HS_W_EXAMPLE] = {"Example exchange", "示例交互"},
    [HS_W_REQUEST] = {"Request", "请求"},
    [HS_W_RESPONSE] = {"Response", "响应"},
    [HS_W_TRY] = {"Try it", "试一试"},
    [HS_W_TRY_BUTTON] = {"Send the request", "发送请求"},
    [HS_W_TRY_NOTE] =
        {"Sends the request above to this server and shows the status line and header "
         "fields it answered with, and how long it took.",
         "向本服务器发送上面的请求，显示实际收到的状态行、首部字段和耗时。"},
    [HS_W_TRY_WS] = {"Opens a WebSocket to this server, which closes it with this code.",
                     "向本服务器打开一个 WebSocket 连接，服务器会用这个关闭码关闭它。"},
    [HS_W_EXAMPLE_ONLY] = {"This code never travels in a Close frame: there is nothing to try.",
                           "这个关闭码不会出现在关闭帧里，因此无法现场演示。"},
    [HS_W_RELATED] = {"Related codes", "相关状态码"},
    [HS_W_COLON] = {": ", "："},
    [HS_W_SEE_ALSO] = {"See also", "另见"},
    [HS_W_VENDORS] = {"Vendors", "厂商"},
    [HS_W_RETRY_IDEMPOTENT] = {"yes, when the request is idempotent (RFC 9110 §9.2.2)",
                               "是，但仅限幂等请求（RFC 9110 §9.2.2）"},
    [HS_W_CODES_IN] = {"Codes in this range", "本范围内的状态码"},
    [HS_W_MAP] = {"The HTTP code space, 100–599", "HTTP 状态码全图（100–599）"},
    [HS_W_MAP_HINT] = {"Every number is a link: assigned codes to their page, the others to "
                       "their class.",
                       "每个数字都是链接：已分配的指向其页面，其余指向所属类别。"},
    [HS_W_LEGEND_STD] = {"registered", "已登记"},
    [HS_W_LEGEND_VENDOR] = {"unofficial / vendor only", "仅有非官方或厂商含义"},
    [HS_W_LEGEND_UNASSIGNED] = {"unassigned", "未分配"},
    [HS_W_NAMESPACES] = {"Other code namespaces", "其他状态码命名空间"},
    [HS_W_RESULTS] = {"Results", "搜索结果"},
    [HS_W_NO_RESULTS] = {"Nothing matched.", "没有匹配的结果。"},
    [HS_W_FOOTER] = {"Generated from the httpstatus registry. Every page is also JSON and plain "
                     "text: ask with Accept.",
                     "由 httpstatus 注册表生成。每个页面也提供 JSON 与纯文本形式：用 Accept "
                     "请求即可。"},
    [HS_W_DIGITS] = {"The second digit", "第二位数字"},
    [HS_W_SAME_NUMBER] = {"Same number elsewhere", "其他命名空间中的同一数字"},
    [HS_W_PREV] = {"Previous", "上一个"},
    [HS_W_NEXT] = {"Next", "下一个"},
    [HS_W_TAGLINE] = {"What every status code means, in English and Chinese, with the real "
                      "exchange beside it.",
                      "每个状态码的含义，中英双语，并附上可以现场运行的真实交互。"},
    [HS_W_IIS_NOTE] =
        {"The client sees the main code; the sub-status appears in the IIS log "
         "(sc-substatus) and on detailed error pages.",
         "客户端只看到主状态码；子状态码记录在 IIS 日志（sc-substatus）和详细错误页中。"},
    [HS_W_FRAME] = {"Close frame sent by the server (bytes in hex)",
                    "服务器发送的关闭帧（十六进制字节）"},
    [HS_W_FTP_NOTE] = {"A reply on the FTP control connection (RFC 959 §4.2).",
                       "FTP 控制连接上的一条应答（RFC 959 §4.2）。"},
};

const char *hs__ref_word(hs__ref_word_t w, hs_lang_t lang) {
  const char *s = words[w][lang == HS_LANG_ZH];
  return s ? s : words[w][0];
}

const char *hs__ref_state_word(hs_state_t st, hs_lang_t lang) {
  static const char *const zh[HS_STATE_COUNT] = {"标准", "临时登记", "已弃用", "未使用", "已过时",
                                                 "保留", "非官方",   "实验性", "历史"};
  if (lang == HS_LANG_ZH && (unsigned)st < HS_STATE_COUNT)
    return zh[st];
  return hs_state_name(st);
}

const char *hs__ref_ns_word(hs_namespace_t ns, hs_lang_t lang) {
  static const hs__ref_word_t w[HS_NS_COUNT] = {HS_W_NS_HTTP, HS_W_NS_VENDOR, HS_W_NS_IIS,
                                                HS_W_NS_FTP, HS_W_NS_WS};
  return hs__ref_word(w[(unsigned)ns < HS_NS_COUNT ? ns : 0], lang);
}
