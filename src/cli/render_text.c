/* Human-readable output of registry records (English or Chinese labels). */
#include <string.h>

#include "cli.h"

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_DIM "\033[2m"

/* Colour by class: 1xx cyan, 2xx green, 3xx blue, 4xx yellow, 5xx red. */
static const char *class_color(const hs_status_t *r) {
  static const char *const colors[] = {"\033[36m", "\033[32m", "\033[34m",
                                       "\033[33m", "\033[31m", "\033[35m"};
  int c = r->ns == HS_NS_WS ? 0 : r->code / 100;
  if (r->ns == HS_NS_WS)
    return r->code == 1000 ? colors[1] : colors[4];
  return (c >= 1 && c <= 6) ? colors[c - 1] : "";
}

static const char *L(const hs_cli_opts_t *o, const char *en, const char *zh) {
  return o->lang == HS_LANG_ZH ? zh : en;
}

static void label(FILE *out, const hs_cli_opts_t *o, const char *en, const char *zh) {
  const char *t = L(o, en, zh);
  int pad = 12 - hs__display_width(t);
  if (o->color)
    fprintf(out, C_DIM "%s" C_RESET "%*s", t, pad > 1 ? pad : 1, "");
  else
    fprintf(out, "%s%*s", t, pad > 1 ? pad : 1, "");
}

static const char *state_text(const hs_cli_opts_t *o, hs_state_t s) {
  static const char *const zh[HS_STATE_COUNT] = {"标准",   "临时注册", "已弃用", "未使用",
                                                 "已废止", "保留",     "非官方"};
  return o->lang == HS_LANG_ZH ? zh[s] : hs_state_name(s);
}

static void print_headers(FILE *out, uint32_t mask) {
  int first = 1;
  for (int h = 0; h < HS_H_COUNT; h++)
    if (mask & HS_HBIT(h)) {
      fprintf(out, "%s%s", first ? "" : ", ", hs_header_name((hs_header_t)h));
      first = 0;
    }
  fputc('\n', out);
}

void hs__text_heading(FILE *out, const hs_cli_opts_t *o, const char *text) {
  if (o->color)
    fprintf(out, C_BOLD "%s" C_RESET "\n", text);
  else
    fprintf(out, "%s\n", text);
}

/* One line per record: "404  Not Found — summary" (used by lists and search). */
void hs__text_line(FILE *out, const hs_cli_opts_t *o, const hs_status_t *r) {
  const char *name = o->lang == HS_LANG_ZH ? r->phrase_zh : r->phrase;
  const char *col = o->color ? class_color(r) : "";
  int kw = hs__display_width(r->key);
  if (o->show_ns && r->ns != HS_NS_HTTP && r->ns != HS_NS_HTTP_VENDOR)
    fprintf(out, "%-4s ", hs_namespace_name(r->ns));
  else if (o->show_ns)
    fputs("     ", out);
  fprintf(out, "%s%s%s%*s %s", col, r->key, o->color ? C_RESET : "", kw < 6 ? 6 - kw : 0, "", name);
  if (r->state != HS_STATE_STANDARD && r->ns != HS_NS_IIS) {
    if (r->vendor)
      fprintf(out, " [%s]", r->vendor);
    else
      fprintf(out, " [%s]", state_text(o, r->state));
  }
  fputc('\n', out);
}

/* Full card for one record. `full` adds the long explanation and scenarios. */
void hs__text_record(FILE *out, const hs_cli_opts_t *o, const hs_status_t *r, int full) {
  const char *col = o->color ? class_color(r) : "";
  const char *b = o->color ? C_BOLD : "", *z = o->color ? C_RESET : "";
  fprintf(out, "%s%s%s %s%s%s", col, r->key, z, b, r->phrase, z);
  if (r->phrase_zh)
    fprintf(out, o->lang == HS_LANG_ZH ? "（%s）" : " (%s)", r->phrase_zh);
  fputc('\n', out);
  label(out, o, "Namespace", "命名空间");
  fprintf(out, "%s\n", hs_namespace_name(r->ns));
  if (r->ns != HS_NS_IIS) {
    const hs_class_t *c = hs_class_of(r->ns, r->ns == HS_NS_WS ? r->code : r->code / 100);
    label(out, o, "Class", "类别");
    if (c && r->ns == HS_NS_WS)
      fprintf(out, "%d–%d %s\n", c->value, c->high, L(o, c->phrase, c->phrase_zh));
    else if (c)
      fprintf(out, "%dxx %s\n", c->value, L(o, c->phrase, c->phrase_zh));
    else
      fprintf(out, "%dxx\n", r->code / 100);
  }
  label(out, o, "Status", "状态");
  fprintf(out, "%s", state_text(o, r->state));
  if (r->vendor)
    fprintf(out, " (%s)", r->vendor);
  fputc('\n', out);
  if (r->aliases && r->aliases[0]) {
    label(out, o, "Also known", "曾用名");
    for (const char *const *a = r->aliases; *a; a++)
      fprintf(out, "%s%s", a == r->aliases ? "" : "; ", *a);
    fputc('\n', out);
  }
  label(out, o, "Constant", "常量名");
  fprintf(out, "%s\n", r->constant);
  label(out, o, "Spec", "规范");
  fprintf(out, "%s\n", r->spec);
  if (r->ns == HS_NS_HTTP || r->ns == HS_NS_HTTP_VENDOR) {
    label(out, o, "Cacheable", "默认可缓存");
    fprintf(out, "%s\n",
            (r->flags & HS_F_CACHEABLE) ? L(o, "yes (by default)", "是（默认）")
                                        : L(o, "no", "否"));
    label(out, o, "Body", "响应体");
    fprintf(out, "%s\n",
            (r->flags & HS_F_NO_BODY) ? L(o, "none allowed", "不允许") : L(o, "allowed", "允许"));
    if (r->requires) {
      label(out, o, "Requires", "必需头部");
      print_headers(out, r->requires);
    }
    if (r->expects) {
      label(out, o, "Expects", "建议头部");
      print_headers(out, r->expects);
    }
  }
  if (r->flags & HS_F_NOT_ON_WIRE) {
    label(out, o, "On the wire", "线路传输");
    fprintf(out, "%s\n", L(o, "never sent in a Close frame", "绝不出现在 Close 帧中"));
  }
  fputc('\n', out);
  hs__print_wrapped(out, r->summary[o->lang], 0, o->width);
  if (!full)
    return;
  fputc('\n', out);
  hs__print_wrapped(out, r->detail[o->lang], 0, o->width);
  const char *const *sc = r->scenarios[o->lang];
  if (sc && sc[0]) {
    fputc('\n', out);
    hs__text_heading(out, o, L(o, "Typical scenarios:", "典型场景："));
    for (; *sc; sc++) {
      fputs("  - ", out);
      hs__print_wrapped2(out, *sc, 0, 4, o->width);
    }
  }
}

void hs__text_class(FILE *out, const hs_cli_opts_t *o, const hs_class_t *c) {
  char head[160];
  if (c->kind == 2)
    snprintf(head, sizeof head, "%d–%d %s", c->value, c->high, L(o, c->phrase, c->phrase_zh));
  else if (c->kind == 1)
    snprintf(head, sizeof head, "x%dx %s", c->value, L(o, c->phrase, c->phrase_zh));
  else
    snprintf(head, sizeof head, "%dxx %s", c->value, L(o, c->phrase, c->phrase_zh));
  hs__text_heading(out, o, head);
  hs__print_wrapped(out, c->summary[o->lang], 0, o->width);
}

/* Answer for a number nothing is registered under: what its class means, that it
 * is unassigned, and the nearest registered codes. */
void hs__text_unassigned(FILE *out, const hs_cli_opts_t *o, hs_namespace_t ns, int code,
                         const hs_status_t **near, size_t nnear) {
  fprintf(out, L(o, "%d is not a registered %s code.\n", "%d 不是已注册的 %s 状态码。\n"), code,
          hs_namespace_name(ns));
  const hs_class_t *c = hs_class_of(ns, ns == HS_NS_WS ? code : code / 100);
  if (c) {
    if (ns == HS_NS_WS)
      fprintf(out, L(o, "It falls in the range %d–%d: %s\n", "它属于 %d–%d 区间：%s\n"), c->value,
              c->high, L(o, c->phrase, c->phrase_zh));
    else
      fprintf(out, L(o, "Its class is %dxx %s:\n", "它属于 %dxx %s 类：\n"), c->value,
              L(o, c->phrase, c->phrase_zh));
    hs__print_wrapped(out, c->summary[o->lang], 2, o->width);
    if (ns == HS_NS_FTP) {
      size_t n;
      const hs_class_t *k = hs_classes(&n);
      for (size_t i = 0; i < n; i++)
        if (k[i].ns == HS_NS_FTP && k[i].kind == 1 && k[i].value == (code / 10) % 10)
          fprintf(out, L(o, "  Its second digit, %d, is about: %s\n", "  第二位数字 %d 表示：%s\n"),
                  k[i].value, L(o, k[i].phrase, k[i].phrase_zh));
    }
    if (ns == HS_NS_HTTP)
      fprintf(out,
              L(o, "  A client that meets it must treat it like %d00 (RFC 9110 §15).\n",
                "  客户端遇到它时应按 %d00 处理（RFC 9110 §15）。\n"),
              c->value);
  } else {
    fputs(L(o, "It lies outside every class of this namespace.\n",
            "它不在该命名空间的任何类别之内。\n"),
          out);
  }
  if (nnear) {
    fputs(L(o, "Nearest registered codes:\n", "最接近的已注册状态码：\n"), out);
    for (size_t i = 0; i < nnear; i++) {
      fputs("  ", out);
      hs__text_line(out, o, near[i]);
    }
  }
}
