/* Failure causes and the gateways' answers (failure.h), as tables. */
#include "gateway/failure.h"
#include "gateway/plan.h"

#include <string.h>

typedef struct cause_row_s {
  const char *name;
  int code[HS_GW_VENDORS]; /* nginx, Cloudflare, Envoy */
  const char *nginx_log;
  const char *en, *zh;
} cause_row_t;

/* nginx: ngx_http_upstream_next() turns NGX_HTTP_UPSTREAM_FT_TIMEOUT into 504
 * and every other failure into 502. Cloudflare's troubleshooting pages: 520
 * empty/unknown/malformed, 521 refused (or reset before a response), 522
 * connect timeout, 523 unreachable, 524 no response in time, 525 handshake,
 * 526 certificate, 530 origin DNS. Envoy: connect failures and resets before
 * headers 503, timeouts 504, its CDN-Loop filter answers a loop with 502. */
static const cause_row_t rows[HS_GW_CAUSES] = {
    [HS_GW_OK] = {"ok", {0, 0, 0}, "", "", ""},
    [HS_GW_UNRESOLVED] = {"unresolvable",
                          {502, 530, 503},
                          "upstream.invalid could not be resolved (3: Host not found)",
                          "The upstream's host name could not be resolved (DNS).",
                          "上游的主机名无法解析（DNS 失败）。"},
    [HS_GW_UNREACHABLE] = {"unreachable",
                           {502, 523, 503},
                           "connect() failed (113: No route to host) while connecting to upstream",
                           "There is no route to the upstream's address.",
                           "没有通往上游地址的路由。"},
    [HS_GW_REFUSED] = {"refused",
                       {502, 521, 503},
                       "connect() failed (111: Connection refused) while connecting to upstream",
                       "The upstream refused the TCP connection (nothing listens on its port).",
                       "上游拒绝了 TCP 连接（其端口上没有程序在监听）。"},
    [HS_GW_CONNECT_TIMEOUT] = {"connect-timeout",
                               {504, 522, 504},
                               "upstream timed out (110: Connection timed out) while connecting to "
                               "upstream",
                               "The upstream did not accept the TCP connection in time.",
                               "上游没有在限定时间内接受 TCP 连接。"},
    [HS_GW_TLS_HANDSHAKE] = {"tls-handshake",
                             {502, 525, 503},
                             "SSL_do_handshake() failed while SSL handshaking to upstream",
                             "The TLS handshake with the upstream failed.",
                             "与上游的 TLS 握手失败。"},
    [HS_GW_TLS_CERT] = {"tls-certificate",
                        {502, 526, 503},
                        "upstream SSL certificate verify error while SSL handshaking to upstream",
                        "The upstream's TLS certificate failed verification.",
                        "上游的 TLS 证书未通过验证。"},
    [HS_GW_RESET] = {"reset",
                     {502, 521, 503},
                     "recv() failed (104: Connection reset by peer) while reading response header "
                     "from upstream",
                     "The upstream reset the connection before sending a response head.",
                     "上游在发送响应头之前重置了连接。"},
    [HS_GW_EMPTY] = {"empty",
                     {502, 520, 503},
                     "upstream prematurely closed connection while reading response header from "
                     "upstream",
                     "The upstream closed the connection without sending a response.",
                     "上游没有发送任何响应就关闭了连接。"},
    [HS_GW_HEAD_TIMEOUT] = {"header-timeout",
                            {504, 524, 504},
                            "upstream timed out (110: Connection timed out) while reading response "
                            "header from upstream",
                            "The upstream accepted the request but sent no response head in time.",
                            "上游接受了请求，但没有在限定时间内发送响应头。"},
    [HS_GW_MALFORMED] = {"malformed",
                         {502, 520, 503},
                         "upstream sent no valid HTTP/1.0 header while reading response header "
                         "from upstream",
                         "The upstream's answer is not a valid HTTP/1.x response head.",
                         "上游的回应不是有效的 HTTP/1.x 响应头。"},
    [HS_GW_HEAD_TOO_BIG] = {"header-too-big",
                            {502, 520, 503},
                            "upstream sent too big header while reading response header from "
                            "upstream",
                            "The upstream's response head is larger than the gateway accepts.",
                            "上游的响应头超过了网关允许的大小。"},
    [HS_GW_BODY_CLOSED] = {"body-closed",
                           {502, 520, 503},
                           "upstream prematurely closed connection while reading upstream",
                           "The upstream closed the connection in the middle of the body.",
                           "上游在发送响应体的中途关闭了连接。"},
    [HS_GW_BODY_TIMEOUT] = {"body-timeout",
                            {504, 524, 504},
                            "upstream timed out (110: Connection timed out) while reading upstream",
                            "The upstream's body stalled longer than the idle timeout.",
                            "上游的响应体停滞时间超过了空闲超时。"},
    [HS_GW_BODY_MALFORMED] = {"body-malformed",
                              {502, 520, 503},
                              "upstream sent invalid chunked response while reading upstream",
                              "The upstream's chunked body framing is invalid.",
                              "上游的分块响应体格式无效。"},
    [HS_GW_LOOP] = {"loop",
                    {508, 508, 502},
                    "(none: nginx has no loop detection; the request circles until "
                    "worker_connections run out)",
                    "The request came back to this gateway: a forwarding loop (RFC 8586).",
                    "请求又回到了这个网关：转发形成了环路（RFC 8586）。"},
};

static const char *const vendors[HS_GW_VENDORS] = {"nginx", "cloudflare", "envoy"};

int hs__gw_status(hs__gw_vendor_t vendor, hs__gw_cause_t cause) {
  if ((unsigned)vendor >= HS_GW_VENDORS || (unsigned)cause >= HS_GW_CAUSES)
    return 0;
  return rows[cause].code[vendor];
}

const char *hs__gw_cause_name(hs__gw_cause_t cause) {
  return (unsigned)cause < HS_GW_CAUSES ? rows[cause].name : "?";
}

const char *hs__gw_cause_text(hs__gw_cause_t cause, int zh) {
  if ((unsigned)cause >= HS_GW_CAUSES)
    return "";
  return zh ? rows[cause].zh : rows[cause].en;
}

const char *hs__gw_cause_nginx_log(hs__gw_cause_t cause) {
  return (unsigned)cause < HS_GW_CAUSES ? rows[cause].nginx_log : "";
}

int hs__gw_vendor_parse(const char *s, size_t n) {
  for (int v = 0; v < HS_GW_VENDORS; v++)
    if (strlen(vendors[v]) == n && memcmp(vendors[v], s, n) == 0)
      return v;
  return -1;
}

const char *hs__gw_vendor_name(hs__gw_vendor_t v) {
  return (unsigned)v < HS_GW_VENDORS ? vendors[v] : "?";
}

int hs__gw_cause_is_timeout(hs__gw_cause_t cause) {
  return cause == HS_GW_CONNECT_TIMEOUT || cause == HS_GW_HEAD_TIMEOUT ||
         cause == HS_GW_BODY_TIMEOUT;
}

static const char *const kinds[HS_GW_KINDS] = {
    "upstream",     "ok",           "refuse",          "reset",     "hang",         "blackhole",
    "slow-headers", "garbage",      "truncate",        "slow-body", "unresolvable", "loop",
    "bad-tls",      "expired-cert", "wrong-host-cert", "ok-tls"};

int hs__gw_kind_tls(hs__gw_kind_t k) { return k >= HS_GW_K_BAD_TLS && k <= HS_GW_K_OK_TLS; }

int hs__gw_kind_parse(hs__str_t name) {
  for (int k = 1; k < HS_GW_KINDS; k++)
    if (strlen(kinds[k]) == name.len && memcmp(kinds[k], name.ptr, name.len) == 0)
      return k;
  return -1;
}

const char *hs__gw_kind_name(hs__gw_kind_t k) { return (unsigned)k < HS_GW_KINDS ? kinds[k] : "?"; }

int hs__gw_cause_kind(hs__gw_cause_t cause) {
  switch (cause) {
  case HS_GW_UNRESOLVED:
    return HS_GW_K_UNRESOLVABLE;
  case HS_GW_REFUSED:
    return HS_GW_K_REFUSE;
  case HS_GW_CONNECT_TIMEOUT:
    return HS_GW_K_BLACKHOLE;
  case HS_GW_TLS_HANDSHAKE:
    return HS_GW_K_BAD_TLS;
  case HS_GW_TLS_CERT:
    return HS_GW_K_EXPIRED_CERT;
  case HS_GW_RESET:
    return HS_GW_K_RESET;
  case HS_GW_HEAD_TIMEOUT:
    return HS_GW_K_HANG;
  case HS_GW_MALFORMED:
    return HS_GW_K_GARBAGE;
  case HS_GW_BODY_CLOSED:
    return HS_GW_K_TRUNCATE;
  case HS_GW_BODY_TIMEOUT:
    return HS_GW_K_SLOW_BODY;
  case HS_GW_LOOP:
    return HS_GW_K_LOOP;
  default:
    return -1; /* no built-in upstream fails this way (yet) */
  }
}
