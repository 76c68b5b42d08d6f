/* `httpstatus lint [FILE|-]`: the findings for captured responses (raw
 * HTTP/1.x, curl -i, curl -v, or a HAR file, streamed), and `lint --rules`,
 * the catalogue. Exit: 0 clean, 1 findings at or above --fail-on, 2 usage or
 * unreadable input. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/companion.h"
#include "lint/read.h"

static const char usage[] =
    "Usage: httpstatus lint [OPTIONS] [FILE|-]\n"
    "       httpstatus lint --rules [--json] [--lang en|zh]\n"
    "\n"
    "Lint HTTP responses read from FILE or standard input: raw HTTP/1.x messages\n"
    "(`curl -i` output, several in a row), `curl -v` transcripts (2>&1), or a HAR\n"
    "file (every entry; read as a stream, any size).\n"
    "\n"
    "Options:\n"
    "  -j, --json              JSON: {\"responses\": [{\"index\", \"status\", \"version\",\n"
    "                          \"findings\": [...]}], \"summary\": {...}}\n"
    "  -l, --lang en|zh        language of the findings (default from LANG)\n"
    "      --fail-on LEVEL     exit 1 on a finding of LEVEL or worse: error (default),\n"
    "                          warning or info\n"
    "      --severity LEVEL    show findings of LEVEL or worse (default info: all)\n"
    "      --method M          the request method when the input does not show it\n"
    "      --url URL           the request URL when the input does not show it\n"
    "      --max-size BYTES    largest raw/curl input read (default 67108864)\n"
    "      --max-line BYTES    longest header line accepted (default 65536)\n"
    "      --rules             list the rules: id, severity, title (one a line)\n"
    "  -h, --help              this help\n"
    "\n"
    "Exit status: 0 clean, 1 findings at or above --fail-on, 2 usage error or\n"
    "input that cannot be read as HTTP responses.\n";

typedef struct lctx_s {
  hs__out_t o;
  size_t nresp;
} lctx_t;

static int on_msg(void *ud, const hs__lmsg_t *m, size_t index) {
  lctx_t *c = ud;
  hs__lresult_t res;
  hs__lint_message(m, &res);
  FILE *out = stdout;
  char ver[16];
  if (m->vmaj == 1 || m->vmin)
    snprintf(ver, sizeof ver, "HTTP/%d.%d", m->vmaj, m->vmin);
  else if (m->vmaj)
    snprintf(ver, sizeof ver, "HTTP/%d", m->vmaj);
  else
    snprintf(ver, sizeof ver, "HTTP");
  if (c->o.json) {
    fprintf(out, "%s\n    {\"index\": %zu, \"status\": %d, \"version\": \"%s\", \"method\": ",
            index ? "," : "", index, m->status, ver);
    if (m->method.n)
      hs__json_strn(out, m->method.p, m->method.n);
    else
      fputs("null", out);
    fputs(", \"findings\": ", out);
    hs__print_findings(out, &c->o, &res);
    fputc('}', out);
  } else {
    fprintf(out, "%s[%zu] %s %d %.*s\n", index ? "\n" : "", index + 1, ver, m->status,
            (int)(m->reason.n > 200 ? 200 : m->reason.n), m->reason.p ? m->reason.p : "");
    const char *meaning = m->status >= 0 ? hs__code_meaning(m->status, c->o.lang) : NULL;
    if (meaning)
      fprintf(out, "    %s\n", meaning);
    hs__print_findings(out, &c->o, &res);
  }
  c->nresp = index + 1;
  return 0;
}

static int list_rules(int json, hs_lang_t lang) {
  int li = lang == HS_LANG_ZH;
  if (json)
    fputs("[", stdout);
  for (size_t i = 0; i < HS__L_COUNT; i++) {
    const hs__lint_rule_t *r = &hs__lint_rules[i];
    if (!json) {
      printf("%-32s %-7s %s\n", r->id, hs__lint_sev_name(r->sev), r->title[li]);
      continue;
    }
    fputs(i ? ",\n  {\"id\": " : "\n  {\"id\": ", stdout);
    hs__json_str(stdout, r->id);
    printf(", \"severity\": \"%s\", \"category\": ", hs__lint_sev_name(r->sev));
    hs__json_str(stdout, r->category);
    fputs(", \"spec\": ", stdout);
    hs__json_str(stdout, r->spec);
    fputs(", \"title\": ", stdout);
    hs__json_str(stdout, r->title[li]);
    fputs(", \"text\": ", stdout);
    hs__json_str(stdout, r->text[li]);
    fputs(", \"expected\": ", stdout);
    hs__json_str(stdout, r->expected);
    fputc('}', stdout);
  }
  if (json)
    fputs("\n]\n", stdout);
  return HS_EXIT_CLEAN;
}

/* A reader over fd that first gives back the bytes already peeked. */
typedef struct src_s {
  int fd;
  const char *pre;
  size_t npre;
} src_t;

static ssize_t src_read(void *p, char *buf, size_t cap) {
  src_t *s = p;
  if (s->npre) {
    size_t k = s->npre < cap ? s->npre : cap;
    memcpy(buf, s->pre, k);
    s->pre += k;
    s->npre -= k;
    return (ssize_t)k;
  }
  for (;;) {
    ssize_t n = read(s->fd, buf, cap);
    if (n >= 0 || errno != EINTR)
      return n;
  }
}

static int bad(const char *msg, const char *arg) {
  fprintf(stderr, "httpstatus lint: %s%s\nTry 'httpstatus lint --help'.\n", msg, arg ? arg : "");
  return HS_EXIT_FAILURE;
}

static hs_lang_t env_lang(void) {
  const char *vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
  for (int i = 0; i < 3; i++) {
    const char *v = getenv(vars[i]);
    if (v && *v)
      return strncmp(v, "zh", 2) == 0 ? HS_LANG_ZH : HS_LANG_EN;
  }
  return HS_LANG_EN;
}

int hs__cmd_lint(int argc, char **argv) {
  lctx_t c;
  memset(&c, 0, sizeof c);
  c.o.lang = env_lang();
  c.o.min_show = HS__LSEV_INFO;
  c.o.fail_on = HS__LSEV_ERROR;
  c.o.worst = -1;
  hs__lread_opts_t ro;
  hs__lread_opts_init(&ro);
  size_t max_size = 64u << 20;
  const char *file = NULL;
  int rules = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      fputs(usage, stdout);
      return HS_EXIT_CLEAN;
    } else if (!strcmp(a, "-j") || !strcmp(a, "--json")) {
      c.o.json = 1;
    } else if (!strcmp(a, "--rules")) {
      rules = 1;
    } else if (!strcmp(a, "-l") || !strcmp(a, "--lang")) {
      if (!v || (strcmp(v, "en") && strcmp(v, "zh")))
        return bad("--lang takes en or zh", NULL);
      c.o.lang = !strcmp(v, "zh") ? HS_LANG_ZH : HS_LANG_EN;
      i++;
    } else if (!strcmp(a, "--fail-on") || !strcmp(a, "--severity")) {
      int s = hs__sev_parse(v);
      if (s < 0)
        return bad("takes error, warning or info: ", a);
      *(a[2] == 'f' ? &c.o.fail_on : &c.o.min_show) = s;
      i++;
    } else if (!strcmp(a, "--method") || !strcmp(a, "--url")) {
      if (!v)
        return bad("needs a value: ", a);
      *(a[2] == 'm' ? &ro.method : &ro.url) = v;
      i++;
    } else if (!strcmp(a, "--max-size") || !strcmp(a, "--max-line")) {
      char *e;
      unsigned long long n = v ? strtoull(v, &e, 10) : 0;
      if (!v || *e || n < 16)
        return bad("needs a number of bytes (16 or more): ", a);
      if (a[6] == 's')
        max_size = (size_t)n;
      else
        ro.max_line = (size_t)n;
      i++;
    } else if (a[0] == '-' && a[1]) {
      return bad("unknown option ", a);
    } else if (file) {
      return bad("one input at a time; extra argument ", a);
    } else {
      file = a;
    }
  }
  if (rules)
    return list_rules(c.o.json, c.o.lang);
  int fd = 0;
  if (file && strcmp(file, "-")) {
    fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      fprintf(stderr, "httpstatus lint: %s: %s\n", file, strerror(errno));
      return HS_EXIT_FAILURE;
    }
  }
  const char *name = file && strcmp(file, "-") ? file : "(stdin)";
  /* Peek: a HAR file starts with '{'; anything else is read whole, up to max_size. */
  size_t cap = 65536, len = 0;
  char *buf = malloc(cap);
  if (!buf)
    return HS_EXIT_FAILURE;
  ssize_t n;
  while (len < 16 && (n = read(fd, buf + len, cap - len)) > 0)
    len += (size_t)n;
  size_t k = 0;
  while (k < len && strchr(" \t\r\n", buf[k]))
    k++;
  char err[256] = "";
  int rc;
  if (c.o.json)
    fputs("{\"responses\": [", stdout);
  if (k < len && buf[k] == '{') {
    src_t s = {fd, buf, len};
    rc = hs__lread_har(src_read, &s, &ro, on_msg, &c, err, sizeof err);
  } else {
    for (;;) {
      if (len == cap) {
        if (cap >= max_size) {
          snprintf(err, sizeof err, "input larger than --max-size %zu bytes", max_size);
          rc = -1;
          goto done;
        }
        size_t nc = cap * 2 > max_size ? max_size : cap * 2;
        char *nb = realloc(buf, nc);
        if (!nb) {
          snprintf(err, sizeof err, "out of memory");
          rc = -1;
          goto done;
        }
        buf = nb;
        cap = nc;
      }
      n = read(fd, buf + len, cap - len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0) {
        snprintf(err, sizeof err, "read error: %s", strerror(errno));
        rc = -1;
        goto done;
      }
      if (n == 0)
        break;
      len += (size_t)n;
    }
    rc = hs__lread_text(buf, len, &ro, on_msg, &c, err, sizeof err);
  }
done:
  free(buf);
  if (fd > 0)
    close(fd);
  if (c.o.json) {
    fprintf(stdout,
            "\n  ],\n  \"summary\": {\"responses\": %zu, \"error\": %zu, \"warning\": %zu, "
            "\"info\": %zu}",
            c.nresp, c.o.counts[0], c.o.counts[1], c.o.counts[2]);
    if (rc < 0) {
      fputs(",\n  \"error\": ", stdout);
      hs__json_str(stdout, err);
    }
    fputs("\n}\n", stdout);
  } else if (rc == 0) {
    printf("\n%zu response%s: %zu error%s, %zu warning%s, %zu info\n", c.nresp,
           c.nresp == 1 ? "" : "s", c.o.counts[0], c.o.counts[0] == 1 ? "" : "s", c.o.counts[1],
           c.o.counts[1] == 1 ? "" : "s", c.o.counts[2]);
  }
  if (rc < 0) {
    fprintf(stderr, "httpstatus lint: %s: %s\n", name, err);
    return HS_EXIT_FAILURE;
  }
  return c.o.worst >= 0 && c.o.worst <= c.o.fail_on ? HS_EXIT_FINDINGS : HS_EXIT_CLEAN;
}
