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

static const char *L(const hs__cli_opts_t *o, const char *en, const char *zh) {
  return o->lang == HS_LANG_ZH ? zh : en;
}

static void label(FILE *out, const hs__cli_opts_t *o, const char *en, const char *zh) {
  const char *t = L(o, en, zh);
  int pad = 12 - hs__display_width(t);
  if (o->color)
    fprintf(out, C_DIM "%s" C_RESET "%*s", t, pad > 1 ? pad : 1, "");
  else
    fprintf(out, "%s%*s", t, pad > 1 ? pad : 1, "");
}

static const char *state_text(const hs__cli_opts_t *o, hs_state_t s) {
  static const char *const zh[HS_STATE_COUNT] = {"标准", "临时注册", "已弃用", "未使用", "已废止",
                                                 "保留", "非官方",   "实验性", "历史性"};
  return o->lang == HS_LANG_ZH ? zh[s] : hs_state_name(s);
}

static void print_headers(FILE *out, uint32_t mask, int newline) {
  int first = 1;
  for (int h = 0; h < HS_H_COUNT; h++)
    if (mask & HS_HBIT(h)) {
      fprintf(out, "%s%s", first ? "" : ", ", hs_header_name((hs_header_t)h));
      first = 0;
    }
  if (newline)
    fputs(first ? "-\n" : "\n", out); /* "-": none (a --field line is never empty) */
}

void hs__text_heading(FILE *out, const hs__cli_opts_t *o, const char *text) {
  if (o->color)
    fprintf(out, C_BOLD "%s" C_RESET "\n", text);
  else
    fprintf(out, "%s\n", text);
}

/* One line per record: "404  Not Found — summary" (used by lists and search). */
void hs__text_line(FILE *out, const hs__cli_opts_t *o, const hs_status_t *r) {
  const char *name = o->lang == HS_LANG_ZH ? r->phrase_zh : r->phrase;
  const char *col = o->color ? class_color(r) : "";
  int kw = hs__display_width(r->key);
  if (o->show_ns && r->ns != HS_NS_HTTP && r->ns != HS_NS_HTTP_VENDOR)
    fprintf(out, "%-4s ", hs_namespace_name(r->ns));
  else if (o->show_ns)
    fputs("     ", out);
  /* 7 columns: the longest plain keys are IIS sub-statuses such as 404.501 */
  fprintf(out, "%s%s%s%*s %s", col, r->key, o->color ? C_RESET : "", kw < 7 ? 7 - kw : 0, "", name);
  if (r->state != HS_STATE_STANDARD && r->ns != HS_NS_IIS) {
    if (r->vendor)
      fprintf(out, " [%s]", r->vendor);
    else if (r->registered)
      fprintf(out, " [%s: %s]", state_text(o, r->state), r->registered);
    else
      fprintf(out, " [%s]", state_text(o, r->state));
  }
  fputc('\n', out);
}

/* Full card for one record. `full` adds the long explanation and scenarios. */
void hs__text_record(FILE *out, const hs__cli_opts_t *o, const hs_status_t *r, int full) {
  const char *col = o->color ? class_color(r) : "";
  const char *b = o->color ? C_BOLD : "", *z = o->color ? C_RESET : "";
  /* " · " rather than brackets: Chinese names may hold their own （…） */
  if (o->lang == HS_LANG_ZH && r->phrase_zh)
    fprintf(out, "%s%s%s %s%s%s · %s\n", col, r->key, z, b, r->phrase_zh, z, r->phrase);
  else if (r->phrase_zh)
    fprintf(out, "%s%s%s %s%s%s · %s\n", col, r->key, z, b, r->phrase, z, r->phrase_zh);
  else
    fprintf(out, "%s%s%s %s%s%s\n", col, r->key, z, b, r->phrase, z);
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
    fprintf(out, L(o, " (%s)", "（%s）"), r->vendor);
  if (r->expires)
    fprintf(out, L(o, ", expires %s", "，%s 到期"), r->expires);
  fputc('\n', out);
  if (r->registered) {
    label(out, o, "Registered", "注册名");
    fprintf(out, L(o, "%s in the IANA registry\n", "%s（IANA 注册表）\n"), r->registered);
  }
  if (r->aliases && r->aliases[0]) {
    label(out, o, "Also known", "别名");
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
            (r->flags & HS_F_CACHEABLE) ? L(o, "yes (by default)", "是") : L(o, "no", "否"));
    label(out, o, "Body", "响应体");
    fprintf(out, "%s\n",
            (r->flags & HS_F_NO_BODY) ? L(o, "none allowed", "不允许") : L(o, "allowed", "允许"));
    if (r->requires) {
      label(out, o, "Requires", "必需响应头");
      print_headers(out, r->requires, 0);
      if (r->flags & HS_F_MULTIPART_RANGES)
        fputs(L(o, " (a single part; multipart/byteranges has it in each part)\n",
                "（单个范围时；multipart/byteranges 在每个部分中携带）\n"),
              out);
      else
        fputc('\n', out);
    }
    if (r->expects) {
      label(out, o, "Expects", "建议响应头");
      print_headers(out, r->expects, 1);
    }
  }
  if (r->flags & HS_F_NOT_ON_WIRE) {
    label(out, o, "On the wire", "线路传输");
    fprintf(out, "%s\n", L(o, "never sent in a Close frame", "绝不出现在 Close 帧中"));
  }
  if (hs_status_related(r, 0)) {
    char keys[512];
    size_t len = 0;
    for (size_t i = 0; hs_status_related(r, i) && len + 32 < sizeof keys; i++) {
      const hs_status_t *x = hs_status_related(r, i);
      int ns = x->ns != HS_NS_HTTP && x->ns != HS_NS_HTTP_VENDOR;
      len += (size_t)snprintf(keys + len, sizeof keys - len, "%s%s%s%s", i ? ", " : "",
                              ns ? hs_namespace_name(x->ns) : "", ns ? " " : "", x->key);
    }
    label(out, o, "Related", "相关");
    hs__print_wrapped2(out, keys, 0, 12, o->width);
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

void hs__text_class(FILE *out, const hs__cli_opts_t *o, const hs_class_t *c) {
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
void hs__text_unassigned(FILE *out, const hs__cli_opts_t *o, hs_namespace_t ns, int code,
                         const hs_status_t *const *near, size_t nnear) {
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

/* Lines for records [from, to), with a heading first when one is given. */
static void lines(FILE *out, const hs__cli_opts_t *o, const hs__result_t *res, size_t from,
                  size_t to, const char *heading) {
  if (from < to && heading)
    hs__text_heading(out, o, heading);
  for (size_t i = from; i < to; i++)
    hs__text_line(out, o, res->recs[i]);
}

static void ref_lines(FILE *out, const hs__cli_opts_t *o, const hs_status_t *const *l, size_t n,
                      const char *heading) {
  if (!n)
    return;
  hs__cli_opts_t ns = *o;
  ns.show_ns = 1;
  fputc('\n', out);
  hs__text_heading(out, o, heading);
  for (size_t i = 0; i < n; i++) {
    fputs("  ", out);
    hs__text_line(out, &ns, l[i]);
  }
}

/* A found code or name: its card(s), vendor meanings under the official card, and
 * what the same number or name means elsewhere. */
static void cards(FILE *out, const hs__cli_opts_t *o, const hs__result_t *res, int full) {
  const hs_status_t *r0 = res->recs[0];
  if (res->elsewhere)
    fprintf(out,
            L(o, "%d is not an HTTP status code. As %s, it means:\n\n",
              "%d 不是 HTTP 状态码。作为%s，它的含义是：\n\n"),
            r0->code,
            r0->ns == HS_NS_FTP ? L(o, "an FTP reply", "FTP 应答码")
                                : L(o, "a WebSocket close code", "WebSocket 关闭码"));
  if (res->searched)
    fprintf(out,
            L(o, "No status code is named '%s'; the best match:\n\n",
              "没有名为“%s”的状态码；最匹配的是：\n\n"),
            res->query);
  size_t ncards = res->split ? res->split : res->nrec;
  for (size_t i = 0; i < ncards; i++) {
    if (i)
      fputc('\n', out);
    hs__text_record(out, o, res->recs[i], full);
  }
  if (res->split && res->split < res->nrec) {
    fputc('\n', out);
    hs__text_heading(out, o, L(o, "Unofficial meanings of this code:", "该状态码的非官方含义："));
    for (size_t i = res->split; i < res->nrec; i++) {
      fputs("  ", out);
      hs__text_line(out, o, res->recs[i]);
    }
  }
  ref_lines(out, o, res->see, res->nsee,
            strcmp(res->kind, "name") == 0
                ? L(o, "The same name elsewhere:", "其他命名空间中的同名状态码：")
                : L(o, "The same number elsewhere:", "其他命名空间中的同一数字："));
  ref_lines(out, o, res->sugg, res->nsugg, L(o, "Other matches:", "其他匹配："));
}

void hs__text_result(FILE *out, const hs__cli_opts_t *o, const hs__result_t *res, int full) {
  const char *k = res->kind;
  if (res->nrec && res->cards) {
    cards(out, o, res, full);
    return;
  }
  if (!strcmp(k, "code") && !res->found && res->ns != HS_NS_IIS) {
    hs__text_unassigned(out, o, res->ns, res->code, res->sugg, res->nsugg);
    ref_lines(out, o, res->see, res->nsee,
              L(o, "The same number elsewhere:", "其他命名空间中的同一数字："));
    return;
  }
  if (!strcmp(k, "iis") && !res->found) {
    fprintf(out, "%s: %s\n", res->query,
            L(o, "not a known IIS sub-status code", "不是已知的 IIS 子状态码"));
    ref_lines(out, o, res->sugg, res->nsugg,
              L(o, "Known sub-statuses of this code:", "该状态码已知的子状态："));
    return;
  }
  if (!strcmp(k, "pattern")) {
    for (size_t i = 0; i < res->ncls; i++) {
      hs__text_class(out, o, res->cls[i]);
      fputc('\n', out);
    }
    lines(out, o, res, 0, res->split, NULL);
    lines(out, o, res, res->split, res->nrec,
          res->split || res->ncls ? L(o, "\nUnofficial (vendor) codes:", "\n非官方（厂商）状态码：")
                                  : NULL);
    if (!res->found)
      fprintf(out, L(o, "No code matches '%s'.\n", "没有与“%s”相符的状态码。\n"), res->query);
    return;
  }
  if (res->searched) {
    hs__cli_opts_t ns = *o;
    ns.show_ns = 1;
    if (res->nrec)
      fprintf(out,
              L(o, "No status code is named '%s'. Codes that match it:\n",
                "没有名为“%s”的状态码。与之相关的状态码：\n"),
              res->query);
    else
      fprintf(out, L(o, "No status code is named '%s'.\n", "没有名为“%s”的状态码。\n"), res->query);
    for (size_t i = 0; i < res->nrec; i++) {
      fputs("  ", out);
      hs__text_line(out, &ns, res->recs[i]);
    }
    if (!res->nrec && res->nsugg) {
      fputs(L(o, "Did you mean:\n", "你是不是要找：\n"), out);
      for (size_t i = 0; i < res->nsugg; i++) {
        fputs("  ", out);
        hs__text_line(out, &ns, res->sugg[i]);
      }
    }
    return;
  }
  if (!strcmp(k, "search") && !res->found) {
    fprintf(out, L(o, "Nothing matches '%s'.\n", "没有找到与“%s”相关的状态码。\n"), res->query);
    return;
  }
  if (!strcmp(k, "code") && res->ns == HS_NS_IIS && !res->found) {
    fprintf(out, "%s: %s\n", res->query, L(o, "no IIS sub-status codes", "没有 IIS 子状态码"));
    return;
  }
  if (!strcmp(k, "none")) {
    fputs(L(o, "Nothing to look up.\n", "没有要查询的内容。\n"), out);
    return;
  }
  lines(out, o, res, 0, res->nrec, NULL);
  if (!strcmp(k, "search") && res->total > res->nrec)
    fprintf(out, L(o, "(%zu more: narrow the words)\n", "（另有 %zu 条：请换更具体的词）\n"),
            res->total - res->nrec);
  if (!res->found && !strcmp(k, "vendor"))
    fprintf(out, L(o, "No codes of vendor '%s'.\n", "没有厂商“%s”的状态码。\n"), res->query);
}

/* --field NAME: one field of a record as plain text (lists joined by ", "). */
int hs__print_field(FILE *out, const hs_status_t *r, const char *f, hs_lang_t lang) {
  static const struct {
    const char *name;
    hs_text_t text;
  } texts[] = {{"key", HS_TEXT_KEY},
               {"constant", HS_TEXT_CONSTANT},
               {"phrase", HS_TEXT_PHRASE},
               {"summary", HS_TEXT_SUMMARY},
               {"detail", HS_TEXT_DETAIL},
               {"spec", HS_TEXT_SPEC},
               {"url", HS_TEXT_URL},
               {"vendor", HS_TEXT_VENDOR},
               {"registered", HS_TEXT_REGISTERED},
               {"expires", HS_TEXT_EXPIRES}};
  for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
    if (!strcmp(f, texts[i].name)) {
      const char *v = hs_status_text(r, texts[i].text, lang);
      fprintf(out, "%s\n", v && *v ? v : "-"); /* "-": this record has no such value */
      return 1;
    }
  if (!strcmp(f, "code"))
    fprintf(out, "%d\n", r->code);
  else if (!strcmp(f, "namespace"))
    fprintf(out, "%s\n", hs_namespace_name(r->ns));
  else if (!strcmp(f, "state"))
    fprintf(out, "%s\n", hs_state_name(r->state));
  else if (!strcmp(f, "phrase_zh"))
    fprintf(out, "%s\n", r->phrase_zh ? r->phrase_zh : "-");
  else if (!strcmp(f, "class"))
    r->ns == HS_NS_WS || r->ns == HS_NS_IIS ? fputs("-\n", out)
                                            : fprintf(out, "%dxx\n", r->code / 100);
  else if (!strcmp(f, "cacheable") || !strcmp(f, "body_allowed") || !strcmp(f, "retryable"))
    fputs((!strcmp(f, "cacheable")      ? (r->flags & HS_F_CACHEABLE) != 0
           : !strcmp(f, "body_allowed") ? !(r->flags & HS_F_NO_BODY)
                                        : (r->flags & HS_F_RETRY) != 0)
              ? "yes\n"
              : "no\n",
          out);
  else if (!strcmp(f, "requires") || !strcmp(f, "expects"))
    print_headers(out, !strcmp(f, "requires") ? r->requires : r->expects, 1);
  else if (!strcmp(f, "aliases")) {
    for (size_t i = 0; hs_status_alias(r, i); i++)
      fprintf(out, "%s%s", i ? ", " : "", hs_status_alias(r, i));
    fputs(hs_status_alias(r, 0) ? "\n" : "-\n", out);
  } else
    return 0;
  return 1;
}
