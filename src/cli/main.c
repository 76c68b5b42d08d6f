/* `httpstatus`: look up, list and search status codes; `httpstatus serve` runs the
 * HTTP server. Exit status: 0 found, 1 not found, 2 usage error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"

#define EXIT_FOUND 0
#define EXIT_NOT_FOUND 1
#define EXIT_USAGE 2

static const char usage_text[] =
    "Usage: httpstatus [OPTIONS] CODE|CLASS|NAME...\n"
    "       httpstatus [OPTIONS] search WORDS...\n"
    "       httpstatus [OPTIONS] list [http|vendor|iis|ftp|ws|classes|all]\n"
    "       httpstatus [OPTIONS] http|vendor|iis|ftp|ws CODE|CLASS...\n"
    "       httpstatus serve [SERVER OPTIONS]   (see `httpstatus serve --help`)\n"
    "\n"
    "Look up HTTP status codes (official and vendor), IIS sub-status codes, FTP reply\n"
    "codes and WebSocket close codes, in English or Chinese.\n"
    "\n"
    "Examples:\n"
    "  httpstatus 404              one HTTP code (plus its vendor meanings)\n"
    "  httpstatus 4xx              every code of a class\n"
    "  httpstatus 'too many requests'   by name, constant or old name\n"
    "  httpstatus search timeout   full-text search (English or Chinese: 超时)\n"
    "  httpstatus ftp 530          FTP reply code\n"
    "  httpstatus ws 1008          WebSocket close code\n"
    "  httpstatus iis 403.14       IIS sub-status code\n"
    "\n"
    "Options:\n"
    "  -l, --lang en|zh   language of the text (default from LC_ALL / LC_MESSAGES / LANG)\n"
    "  -j, --json         print JSON (lookups and lists: an array of records)\n"
    "  -b, --brief        print only the card and summary, not the long explanation\n"
    "      --color        force colour;  --no-color  never colour (also NO_COLOR=1)\n"
    "  -h, --help         show this help;  -V, --version  show the version\n"
    "\n"
    "Exit status: 0 when every query was found, 1 when one was not, 2 on usage errors.\n";

typedef struct ctx_s {
  hs_cli_opts_t o;
  int brief;
  int nprinted; /* records printed so far (separators, JSON commas) */
} ctx_t;

static int usage_error(const char *fmt, const char *arg) {
  fprintf(stderr, "httpstatus: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\nTry 'httpstatus --help'.\n");
  return EXIT_USAGE;
}

/* Language from the environment: the first of LC_ALL, LC_MESSAGES, LANG that is
 * set and non-empty decides; "zh*" means Chinese. */
static hs_lang_t env_lang(void) {
  const char *vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
  for (int i = 0; i < 3; i++) {
    const char *v = getenv(vars[i]);
    if (v && *v)
      return strncasecmp(v, "zh", 2) == 0 ? HS_LANG_ZH : HS_LANG_EN;
  }
  return HS_LANG_EN;
}

static int term_width(void) {
  const char *c = getenv("COLUMNS");
  int w = c ? atoi(c) : 0;
  struct winsize ws;
  if (w <= 0 && isatty(1) && ioctl(1, TIOCGWINSZ, &ws) == 0)
    w = ws.ws_col;
  if (w <= 0)
    w = 80;
  return w > 100 ? 100 : (w < 40 ? 40 : w);
}

/* Emit one record in the chosen format. */
static void emit(ctx_t *c, const hs_status_t *r) {
  if (c->o.json) {
    fputs(c->nprinted ? ",\n" : "[\n", stdout);
    hs__json_record(stdout, r, 2);
  } else {
    if (c->nprinted)
      fputs("\n", stdout);
    hs__text_record(stdout, &c->o, r, !c->brief);
  }
  c->nprinted++;
}

/* Emit a one-line entry (lists); JSON gets full records. */
static void emit_line(ctx_t *c, const hs_status_t *r) {
  if (c->o.json) {
    fputs(c->nprinted ? ",\n" : "[\n", stdout);
    hs__json_record(stdout, r, 2);
  } else {
    hs__text_line(stdout, &c->o, r);
  }
  c->nprinted++;
}

static void json_close(ctx_t *c) {
  if (c->o.json)
    fputs(c->nprinted ? "\n]\n" : "[]\n", stdout);
}

/* Parse a decimal number occupying the whole string; -1 if it is not one. */
static long parse_num(const char *s) {
  if (!*s || strlen(s) > 6)
    return -1;
  long v = 0;
  for (; *s; s++) {
    if (*s < '0' || *s > '9')
      return -1;
    v = v * 10 + (*s - '0');
  }
  return v;
}

/* "4xx" / "4XX" → 4; else -1. */
static int parse_class(const char *s) {
  if (strlen(s) == 3 && s[0] >= '1' && s[0] <= '9' && (s[1] == 'x' || s[1] == 'X') &&
      (s[2] == 'x' || s[2] == 'X'))
    return s[0] - '0';
  return -1;
}

/* Up to 4 registered codes of `ns` closest to `code` (2 below, 2 above). */
static size_t nearest(hs_namespace_t ns, int code, const hs_status_t **out) {
  size_t n, k = 0;
  const hs_status_t *recs = hs_records(ns, &n);
  size_t split = 0;
  while (split < n && recs[split].code < code)
    split++;
  for (size_t i = split >= 2 ? split - 2 : 0; i < split; i++)
    out[k++] = &recs[i];
  for (size_t i = split; i < n && i < split + 2; i++)
    out[k++] = &recs[i];
  return k;
}

static int unassigned(ctx_t *c, hs_namespace_t ns, int code) {
  const hs_status_t *near[4];
  size_t nn = nearest(ns, code, near);
  if (c->o.json)
    hs__json_unassigned(stdout, ns, code, near, nn);
  else
    hs__text_unassigned(stdout, &c->o, ns, code, near, nn);
  return EXIT_NOT_FOUND;
}

/* All records of a namespace whose first digit is `cls` (ns HTTP also lists vendor
 * codes of the class). */
static int list_class(ctx_t *c, hs_namespace_t ns, int cls) {
  const hs_class_t *k = hs_class_of(ns, cls);
  if (!c->o.json && k) {
    hs__text_class(stdout, &c->o, k);
    fputc('\n', stdout);
  }
  size_t n, found = 0;
  const hs_status_t *r = hs_records(ns, &n);
  for (size_t i = 0; i < n; i++)
    if (r[i].code / 100 == cls) {
      emit_line(c, &r[i]);
      found++;
    }
  if (ns == HS_NS_HTTP) {
    const hs_status_t *v = hs_records(HS_NS_HTTP_VENDOR, &n);
    int head = 0;
    for (size_t i = 0; i < n; i++)
      if (v[i].code / 100 == cls) {
        if (!c->o.json && !head++)
          hs__text_heading(stdout, &c->o,
                           c->o.lang == HS_LANG_ZH ? "\n非官方（厂商）状态码："
                                                   : "\nUnofficial (vendor) codes:");
        emit_line(c, &v[i]);
        found++;
      }
  }
  return found || k ? EXIT_FOUND : EXIT_NOT_FOUND;
}

/* One HTTP code: the official record, then every vendor meaning. */
static int lookup_http(ctx_t *c, int code, int vendor_only) {
  const hs_status_t *r = vendor_only ? NULL : hs_lookup(HS_NS_HTTP, code);
  const hs_status_t *v[16];
  size_t nv = hs_vendor_meanings(code, v, 16);
  if (nv > 16)
    nv = 16;
  if (!r && !nv)
    return unassigned(c, HS_NS_HTTP, code);
  if (r)
    emit(c, r);
  if (nv && r && !c->o.json) {
    fputc('\n', stdout);
    hs__text_heading(stdout, &c->o,
                     c->o.lang == HS_LANG_ZH ? "该状态码的非官方含义："
                                             : "Unofficial meanings of this code:");
    for (size_t i = 0; i < nv; i++) {
      fputs("  ", stdout);
      hs__text_line(stdout, &c->o, v[i]);
    }
    return EXIT_FOUND;
  }
  for (size_t i = 0; i < nv; i++)
    emit(c, v[i]);
  return EXIT_FOUND;
}

/* IIS: "403.14" → one record; "403" → every sub-status of 403. */
static int lookup_iis(ctx_t *c, const char *arg) {
  const char *dot = strchr(arg, '.');
  char main_part[8];
  size_t ml = dot ? (size_t)(dot - arg) : strlen(arg);
  if (ml == 0 || ml >= sizeof main_part)
    return usage_error("not an IIS code: '%s' (expected e.g. 403.14)", arg);
  memcpy(main_part, arg, ml);
  main_part[ml] = '\0';
  long code = parse_num(main_part);
  long sub = dot ? parse_num(dot + 1) : -1;
  if (code < 0 || (dot && sub < 0))
    return usage_error("not an IIS code: '%s' (expected e.g. 403.14)", arg);
  if (dot) {
    const hs_status_t *r = hs_lookup_iis((int)code, (int)sub);
    if (!r) {
      fprintf(c->o.json ? stderr : stdout, "%s: %s\n", arg,
              c->o.lang == HS_LANG_ZH ? "不是已知的 IIS 子状态码"
                                      : "not a known IIS sub-status code");
      return EXIT_NOT_FOUND;
    }
    emit(c, r);
    return EXIT_FOUND;
  }
  size_t n, found = 0;
  const hs_status_t *r = hs_records(HS_NS_IIS, &n);
  for (size_t i = 0; i < n; i++)
    if (r[i].code == code) {
      emit_line(c, &r[i]);
      found++;
    }
  if (!found && !c->o.json)
    printf("%s: %s\n", arg,
           c->o.lang == HS_LANG_ZH ? "没有 IIS 子状态码" : "no IIS sub-status codes");
  return found ? EXIT_FOUND : EXIT_NOT_FOUND;
}

/* One query in namespace ns (HS_NS_HTTP also accepts names and IIS-style keys). */
static int lookup(ctx_t *c, hs_namespace_t ns, const char *arg) {
  if (ns == HS_NS_IIS)
    return lookup_iis(c, arg);
  int cls = parse_class(arg);
  if (cls > 0)
    return list_class(c, ns == HS_NS_HTTP_VENDOR ? HS_NS_HTTP : ns, cls);
  long code = parse_num(arg);
  if (code >= 0) {
    if (ns == HS_NS_HTTP || ns == HS_NS_HTTP_VENDOR)
      return lookup_http(c, (int)code, ns == HS_NS_HTTP_VENDOR);
    const hs_status_t *r = hs_lookup(ns, (int)code);
    if (!r)
      return unassigned(c, ns, (int)code);
    emit(c, r);
    return EXIT_FOUND;
  }
  if (ns == HS_NS_HTTP && strchr(arg, '.') && arg[0] >= '1' && arg[0] <= '9')
    return lookup_iis(c, arg);
  const hs_status_t *r = hs_find_name(arg, ns == HS_NS_HTTP ? -1 : (int)ns);
  if (r) {
    emit(c, r);
    return EXIT_FOUND;
  }
  hs_hit_t hits[3];
  size_t nh = hs_search(arg, 0, hits, 3);
  FILE *out = c->o.json ? stderr : stdout;
  fprintf(out,
          c->o.lang == HS_LANG_ZH ? "没有名为“%s”的状态码。\n" : "No status code is named '%s'.\n",
          arg);
  if (nh) {
    fputs(c->o.lang == HS_LANG_ZH ? "你是不是要找：\n" : "Did you mean:\n", out);
    for (size_t i = 0; i < nh; i++) {
      fputs("  ", out);
      hs__text_line(out, &c->o, hits[i].status);
    }
  }
  return EXIT_NOT_FOUND;
}

static int cmd_search(ctx_t *c, char **words, int n) {
  char q[512] = "";
  size_t len = 0;
  for (int i = 0; i < n; i++) {
    size_t l = strlen(words[i]);
    if (len + l + 2 >= sizeof q)
      return usage_error("%s", "search query too long");
    if (len)
      q[len++] = ' ';
    memcpy(q + len, words[i], l + 1);
    len += l;
  }
  if (!len)
    return usage_error("%s", "search needs words, e.g. httpstatus search timeout");
  hs_hit_t hits[20];
  size_t nh = hs_search(q, 0, hits, 20);
  c->o.show_ns = 1;
  for (size_t i = 0; i < nh; i++)
    emit_line(c, hits[i].status);
  json_close(c);
  if (!nh && !c->o.json)
    printf(c->o.lang == HS_LANG_ZH ? "没有找到与“%s”相关的状态码。\n" : "Nothing matches '%s'.\n",
           q);
  return nh ? EXIT_FOUND : EXIT_NOT_FOUND;
}

static int cmd_list(ctx_t *c, const char *what) {
  static const struct {
    const char *name;
    int ns;
  } map[] = {{"http", HS_NS_HTTP},
             {"vendor", HS_NS_HTTP_VENDOR},
             {"http-vendor", HS_NS_HTTP_VENDOR},
             {"iis", HS_NS_IIS},
             {"ftp", HS_NS_FTP},
             {"ws", HS_NS_WS},
             {"websocket", HS_NS_WS},
             {"all", -1},
             {"classes", -2}};
  int ns = HS_NS_HTTP;
  if (what) {
    size_t i = 0;
    for (; i < sizeof map / sizeof map[0]; i++)
      if (strcasecmp(what, map[i].name) == 0)
        break;
    if (i == sizeof map / sizeof map[0])
      return usage_error("unknown list '%s' (http, vendor, iis, ftp, ws, classes, all)", what);
    ns = map[i].ns;
  }
  if (ns == -2) {
    size_t n;
    const hs_class_t *k = hs_classes(&n);
    for (size_t i = 0; i < n; i++) {
      if (c->o.json) {
        fputs(i ? ",\n" : "[\n", stdout);
        hs__json_class(stdout, &k[i], 2);
      } else {
        printf("[%s] ", hs_namespace_name(k[i].ns));
        hs__text_class(stdout, &c->o, &k[i]);
      }
    }
    if (c->o.json)
      fputs(n ? "\n]\n" : "[]\n", stdout);
    return EXIT_FOUND;
  }
  for (int n = 0; n < HS_NS_COUNT; n++) {
    if (ns >= 0 && n != ns)
      continue;
    size_t cnt;
    const hs_status_t *r = hs_records((hs_namespace_t)n, &cnt);
    if (ns < 0 && !c->o.json)
      hs__text_heading(stdout, &c->o, hs_namespace_name((hs_namespace_t)n));
    for (size_t i = 0; i < cnt; i++)
      emit_line(c, &r[i]);
  }
  json_close(c);
  return EXIT_FOUND;
}

static int ns_command(const char *s, hs_namespace_t *ns) {
  static const struct {
    const char *name;
    hs_namespace_t ns;
  } map[] = {{"http", HS_NS_HTTP}, {"vendor", HS_NS_HTTP_VENDOR},
             {"iis", HS_NS_IIS},   {"ftp", HS_NS_FTP},
             {"ws", HS_NS_WS},     {"websocket", HS_NS_WS}};
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
    if (strcmp(s, map[i].name) == 0) {
      *ns = map[i].ns;
      return 1;
    }
  return 0;
}

int main(int argc, char **argv) {
  if (argc >= 2 && strcmp(argv[1], "serve") == 0) {
#ifdef HS_HAVE_SERVER
    return hs__exec_serve(argc - 1, argv + 1);
#else
    fprintf(stderr, "httpstatus: this build has no server (configure with -DHS_BUILD_SERVER=ON)\n");
    return EXIT_USAGE;
#endif
  }
  ctx_t c = {{env_lang(), 0, 0, 80, 0}, 0, 0};
  const char *nc = getenv("NO_COLOR");
  c.o.color = isatty(1) && !(nc && *nc);
  c.o.width = term_width();
  char **args = calloc((size_t)argc + 1, sizeof *args);
  if (!args)
    return EXIT_USAGE;
  int nargs = 0, only_args = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (only_args || a[0] != '-' || a[1] == '\0' || (a[1] >= '0' && a[1] <= '9')) {
      args[nargs++] = argv[i];
    } else if (strcmp(a, "--") == 0) {
      only_args = 1;
    } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      fputs(usage_text, stdout);
      free(args);
      return EXIT_FOUND;
    } else if (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0) {
      printf("httpstatus %s\n", hs_version());
      free(args);
      return EXIT_FOUND;
    } else if (strcmp(a, "-j") == 0 || strcmp(a, "--json") == 0) {
      c.o.json = 1;
    } else if (strcmp(a, "-b") == 0 || strcmp(a, "--brief") == 0) {
      c.brief = 1;
    } else if (strcmp(a, "--color") == 0 || strcmp(a, "--colour") == 0) {
      c.o.color = 1;
    } else if (strcmp(a, "--no-color") == 0 || strcmp(a, "--no-colour") == 0) {
      c.o.color = 0;
    } else if (strcmp(a, "-l") == 0 || strcmp(a, "--lang") == 0 || strncmp(a, "--lang=", 7) == 0) {
      const char *v = a[2] == 'l' && a[6] == '=' ? a + 7 : (i + 1 < argc ? argv[++i] : NULL);
      if (!v || (strcmp(v, "en") != 0 && strcmp(v, "zh") != 0)) {
        free(args);
        return usage_error("--lang takes 'en' or 'zh', not '%s'", v ? v : "");
      }
      c.o.lang = strcmp(v, "zh") == 0 ? HS_LANG_ZH : HS_LANG_EN;
    } else {
      free(args);
      return usage_error("unknown option '%s'", a);
    }
  }
  if (c.o.json)
    c.o.color = 0;
  int rc = EXIT_FOUND;
  hs_namespace_t ns;
  if (nargs == 0) {
    fputs(usage_text, stderr);
    rc = EXIT_USAGE;
  } else if (strcmp(args[0], "search") == 0) {
    rc = cmd_search(&c, args + 1, nargs - 1);
  } else if (strcmp(args[0], "list") == 0) {
    rc = nargs > 2 ? usage_error("%s", "list takes at most one argument")
                   : cmd_list(&c, nargs == 2 ? args[1] : NULL);
  } else {
    int first = 0;
    ns = HS_NS_HTTP;
    if (ns_command(args[0], &ns)) {
      first = 1;
      if (nargs == 1) {
        rc = usage_error("'%s' needs a code, e.g. httpstatus ftp 530", args[0]);
        free(args);
        return rc;
      }
    }
    int json_unassigned = 0;
    for (int i = first; i < nargs && rc != EXIT_USAGE; i++) {
      int before = c.nprinted;
      int r = lookup(&c, ns, args[i]);
      if (r == EXIT_NOT_FOUND && c.nprinted == before && c.o.json)
        json_unassigned = 1;
      if (r != EXIT_FOUND)
        rc = r;
    }
    if (!json_unassigned || c.nprinted)
      json_close(&c);
  }
  free(args);
  return rc;
}
