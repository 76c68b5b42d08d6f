/* `httpstatus`: look up, list and search status codes; `httpstatus serve` runs the
 * HTTP server. Exit status: 0 found, 1 not found, 2 usage error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"
#include "registry/record_json.h"

#define EXIT_FOUND 0
#define EXIT_NOT_FOUND 1
#define EXIT_USAGE 2
#define MAX_QUERY 512 /* bytes of one query or search (longer is a usage error) */
#define HS_STR_(x) #x
#define HS_STR(x) HS_STR_(x)

static const char usage_text[] =
    "Usage: httpstatus [OPTIONS] CODE|CLASS|NAME...\n"
    "       httpstatus [OPTIONS] search WORDS...\n"
    "       httpstatus [OPTIONS] list [http|vendor|iis|ftp|ws|classes|all]\n"
    "       httpstatus [OPTIONS] http|vendor|iis|ftp|ws CODE|CLASS...\n"
    "       httpstatus [OPTIONS] vendors       every vendor key, with its codes\n"
    "       httpstatus [OPTIONS] -             queries from standard input, one a line\n"
    "       httpstatus serve [SERVER OPTIONS]   (see `httpstatus serve --help`)\n"
    "       httpstatus check [OPTIONS] URL      request a URL, explain and lint each hop\n"
    "       httpstatus lint [OPTIONS] [FILE|-]  lint responses (raw, curl -i/-v, HAR)\n"
    "\n"
    "Look up HTTP status codes (official and vendor), IIS sub-status codes, FTP reply\n"
    "codes and WebSocket close codes, in English or Chinese.\n"
    "\n"
    "Examples:\n"
    "  httpstatus 404              one HTTP code (plus its vendor meanings)\n"
    "  httpstatus 4xx              every code of a class\n"
    "  httpstatus 'too many requests'   by name, constant or old name\n"
    "  httpstatus 'HTTP/1.1 503 Service Unavailable'   pasted text, ４０４, 45x, 30[12]\n"
    "  httpstatus search timeout   full-text search (English or Chinese: 超时)\n"
    "  httpstatus ftp 530          FTP reply code\n"
    "  httpstatus ws 1008          WebSocket close code\n"
    "  httpstatus iis 403.14       IIS sub-status code\n"
    "\n"
    "Options:\n"
    "  -l, --lang en|zh   language of the text (default from LC_ALL / LC_MESSAGES / LANG)\n"
    "  -j, --json         print JSON: always one array with one result per query\n"
    "  -b, --brief        print only the card and summary, not the long explanation\n"
    "  -u, --url          print the link to each record's specification\n"
    "  -p, --field NAME   print one field of each record (code, phrase, summary, url,\n"
    "                     state, spec, requires, ...), one line each, for scripts\n"
    "      --color        force colour;  --no-color  never colour (also NO_COLOR=1)\n"
    "  -h, --help         show this help;  -V, --version  show the version\n"
    "\n"
    "Exit status: 0 when every query was found, 1 when one was not, 2 on usage errors.\n";

typedef struct ctx_s {
  hs__cli_opts_t o;
  int brief;
  const char *field; /* --field NAME / --url: print one field per record */
  int nresults;      /* results printed so far (separators, JSON commas) */
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

/* --field / --url: one line per record, so line n answers record n. An answer of
 * several records (a class, a shared vendor number) labels each line with the
 * record ("iis 404.0<TAB>value"); a value the record lacks prints as "-" and is
 * not an error. Returns 1 when the query was found. */
static int print_fields(ctx_t *c, const hs__result_t *res, hs_lang_t lang) {
  for (size_t i = 0; i < res->nrec; i++) {
    const hs_status_t *r = res->recs[i];
    if (res->nrec > 1) {
      if (r->ns == HS_NS_HTTP)
        printf("%s\t", r->key);
      else
        printf("%s %s\t", hs_namespace_name(r->ns), r->key);
    }
    hs__print_field(stdout, r, c->field, lang);
  }
  if (!res->nrec)
    fprintf(stderr, "httpstatus: '%s' not found\n", res->query);
  return res->found && res->nrec;
}

/* Print one result in the chosen format; returns the exit status it earns. */
static int emit(ctx_t *c, hs__result_t *res) {
  hs__cli_opts_t o = c->o;
  if (!o.lang_set && res->zh_query)
    o.lang = HS_LANG_ZH; /* a Chinese query is answered in Chinese */
  int ok = res->found;
  if (o.json) {
    fputs(c->nresults ? ",\n" : "[\n", stdout);
    hs__json_result(stdout, res);
  } else if (c->field) {
    ok = print_fields(c, res, o.lang);
  } else {
    if (c->nresults)
      fputs("\n", stdout);
    hs__text_result(stdout, &o, res, !c->brief);
  }
  c->nresults++;
  hs__result_free(res);
  return ok ? EXIT_FOUND : EXIT_NOT_FOUND;
}

/* One query: a usage error (exit 2) when it is empty or longer than MAX_QUERY
 * (not echoed back), else its answer printed; returns the exit status it earns. */
static int one_query(ctx_t *c, const char *arg, int ns_cmd) {
  size_t len = strlen(arg);
  if (len > MAX_QUERY)
    return usage_error("a query is at most %s bytes", HS_STR(MAX_QUERY));
  if (strspn(arg, " \t\r\n") == len)
    return usage_error("%s", "an empty query: give a code, a class or a name");
  hs__result_t res;
  hs__resolve(&res, arg, ns_cmd);
  return emit(c, &res);
}

/* `httpstatus -`: one query a line from standard input (blank lines skipped), as
 * people pipe a log's status column in. Returns the worst exit status. */
static int queries_from_stdin(ctx_t *c, int ns_cmd) {
  char line[MAX_QUERY + 2];
  int rc = EXIT_FOUND;
  while (fgets(line, sizeof line, stdin)) {
    size_t n = strlen(line);
    if (n == sizeof line - 1 && line[n - 1] != '\n') {
      int ch;
      while ((ch = getchar()) != EOF && ch != '\n') {
      }
      usage_error("a query is at most %s bytes (a line of standard input)", HS_STR(MAX_QUERY));
      rc = EXIT_USAGE;
      continue;
    }
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' '))
      line[--n] = '\0';
    if (strspn(line, " \t") == n)
      continue;
    int r = one_query(c, line + strspn(line, " \t"), ns_cmd);
    if (r != EXIT_FOUND && rc != EXIT_USAGE)
      rc = r;
  }
  return rc;
}

/* `httpstatus vendors`: each vendor key with its name and codes, in table order. */
static int cmd_vendors(ctx_t *c) {
  size_t n;
  const hs_status_t *r = hs_records(HS_NS_HTTP_VENDOR, &n);
  const char *seen[64];
  size_t nseen = 0;
  if (c->o.json)
    fputs("[\n", stdout);
  for (size_t i = 0; i < n; i++) {
    size_t k = 0;
    while (k < nseen && strcmp(seen[k], r[i].vendor_key) != 0)
      k++;
    if (k < nseen || nseen == sizeof seen / sizeof seen[0])
      continue;
    seen[nseen++] = r[i].vendor_key;
    if (c->o.json) {
      fputs(nseen > 1 ? ",\n  {\"key\": " : "  {\"key\": ", stdout);
      hs__json_string(stdout, r[i].vendor_key);
      fputs(", \"vendor\": ", stdout);
      hs__json_string(stdout, hs_status_text(&r[i], HS_TEXT_VENDOR, c->o.lang));
      fputs(", \"codes\": [", stdout);
    } else
      printf("%-11s ", r[i].vendor_key);
    int first = 1;
    for (size_t j = i; j < n; j++)
      if (strcmp(r[j].vendor_key, r[i].vendor_key) == 0) {
        printf(c->o.json ? "%s%d" : "%s%d", first ? "" : (c->o.json ? ", " : " "), r[j].code);
        first = 0;
      }
    if (c->o.json)
      fputs("]}", stdout);
    else
      printf("  (%s)\n", hs_status_text(&r[i], HS_TEXT_VENDOR, c->o.lang));
  }
  if (c->o.json)
    fputs("\n]\n", stdout);
  return EXIT_FOUND;
}

static void json_close(ctx_t *c) {
  if (c->o.json)
    fputs(c->nresults ? "\n]\n" : "[]\n", stdout);
}

static int cmd_search(ctx_t *c, char **words, int n) {
  char q[MAX_QUERY + 1] = "";
  size_t len = 0;
  for (int i = 0; i < n; i++) {
    size_t l = strlen(words[i]);
    if (len + l + 1 > MAX_QUERY)
      return usage_error("search words longer than %s bytes in all", HS_STR(MAX_QUERY));
    if (len)
      q[len++] = ' ';
    memcpy(q + len, words[i], l + 1);
    len += l;
  }
  if (!len)
    return usage_error("%s", "search needs words, e.g. httpstatus search timeout");
  hs__result_t res;
  hs__resolve_search(&res, q);
  c->o.show_ns = 1;
  int rc = emit(c, &res);
  json_close(c);
  return rc;
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
  hs__result_t res;
  hs__result_init(&res, what ? what : "http", ns == -2 ? "classes" : "list");
  if (ns == -2) {
    size_t n;
    const hs_class_t *k = hs_classes(&n);
    for (size_t i = 0; i < n && res.ncls < sizeof res.cls / sizeof res.cls[0]; i++)
      res.cls[res.ncls++] = &k[i];
    res.found = 1;
    res.total = res.ncls;
    if (!c->o.json && !c->field) {
      for (size_t i = 0; i < res.ncls; i++) {
        printf("[%s] ", hs_namespace_name(k[i].ns));
        hs__text_class(stdout, &c->o, &k[i]);
      }
      hs__result_free(&res);
      return EXIT_FOUND;
    }
    int rc = emit(c, &res);
    json_close(c);
    return rc;
  }
  for (int n = 0; n < HS_NS_COUNT; n++) {
    if (ns >= 0 && n != ns)
      continue;
    size_t cnt;
    const hs_status_t *r = hs_records((hs_namespace_t)n, &cnt);
    if (ns < 0 && !c->o.json && !c->field) {
      size_t before = res.nrec;
      hs__text_heading(stdout, &c->o, hs_namespace_name((hs_namespace_t)n));
      for (size_t i = 0; i < cnt; i++)
        hs__text_line(stdout, &c->o, &r[i]);
      res.nrec = before;
      continue;
    }
    for (size_t i = 0; i < cnt; i++)
      hs__result_add(&res, &r[i]);
  }
  if (ns < 0 && !c->o.json && !c->field) {
    hs__result_free(&res);
    return EXIT_FOUND;
  }
  int rc = emit(c, &res);
  json_close(c);
  return rc;
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

/* Field names --field accepts (hs__print_field). */
static int known_field(const char *f) {
  static const char *const names[] = {
      "code",  "key",       "namespace",    "constant",  "phrase",   "phrase_zh",  "state",
      "spec",  "url",       "summary",      "detail",    "vendor",   "registered", "expires",
      "class", "cacheable", "body_allowed", "retryable", "requires", "expects",    "aliases"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (!strcmp(f, names[i]))
      return 1;
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
  if (argc >= 2 && (strcmp(argv[1], "check") == 0 || strcmp(argv[1], "lint") == 0))
    return hs__exec_check(argc - 1, argv + 1);
  ctx_t c = {{env_lang(), 0, 0, 80, 0, 0}, 0, NULL, 0};
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
    } else if (strcmp(a, "-u") == 0 || strcmp(a, "--url") == 0) {
      c.field = "url";
    } else if (strcmp(a, "-p") == 0 || strcmp(a, "--field") == 0 ||
               strncmp(a, "--field=", 8) == 0) {
      const char *v = a[1] == '-' && a[7] == '=' ? a + 8 : (i + 1 < argc ? argv[++i] : NULL);
      if (!v || !known_field(v)) {
        free(args);
        return usage_error("--field takes a field name (code, phrase, summary, url, ...), not '%s'",
                           v ? v : "");
      }
      c.field = v;
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
      c.o.lang_set = 1;
    } else {
      free(args);
      return usage_error("unknown option '%s'", a);
    }
  }
  if (c.o.json && c.field) {
    free(args);
    return usage_error("%s", "--json and --field/--url do not go together");
  }
  if (c.o.json || c.field)
    c.o.color = 0;
  int rc = EXIT_FOUND;
  hs_namespace_t ns;
  if (nargs == 0) {
    fputs(usage_text, stderr);
    rc = EXIT_USAGE;
  } else if (strcmp(args[0], "search") == 0) {
    rc = cmd_search(&c, args + 1, nargs - 1);
  } else if (strcmp(args[0], "vendors") == 0) {
    rc = nargs > 1 ? usage_error("%s", "vendors takes no argument") : cmd_vendors(&c);
  } else if (strcmp(args[0], "list") == 0) {
    rc = nargs > 2 ? usage_error("%s", "list takes at most one argument")
                   : cmd_list(&c, nargs == 2 ? args[1] : NULL);
  } else {
    int first = 0, ns_cmd = -1;
    if (ns_command(args[0], &ns)) {
      first = 1;
      ns_cmd = (int)ns;
      if (nargs == 1) {
        rc = usage_error("'%s' needs a code, e.g. httpstatus ftp 530", args[0]);
        free(args);
        return rc;
      }
    }
    for (int i = first; i < nargs && rc != EXIT_USAGE; i++) {
      int r = strcmp(args[i], "-") == 0 ? queries_from_stdin(&c, ns_cmd)
                                        : one_query(&c, args[i], ns_cmd);
      if (r != EXIT_FOUND && rc != EXIT_USAGE)
        rc = r;
    }
    json_close(&c);
  }
  free(args);
  return rc;
}
