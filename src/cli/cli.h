/* Shared declarations of the `httpstatus` command-line tool. */
#ifndef HS_CLI_CLI_H
#define HS_CLI_CLI_H

#include <stdio.h>

#include "httpstatus/registry.h"

/* Output settings chosen from the command line and the environment. */
typedef struct hs_cli_opts_s {
  hs_lang_t lang;
  int json;
  int color;
  int width;    /* wrap column for text output */
  int show_ns;  /* prefix one-line entries with their namespace */
  int lang_set; /* --lang given: a Chinese query does not switch the language */
} hs__cli_opts_t;

/* The answer to one query, whatever the output format (resolve.c). JSON prints
 * every field; text chooses a layout from `kind`, `cards` and `split`. */
typedef struct hs_result_s {
  const char *query;
  const char *kind; /* code, iis, pattern, vendor, name, search, list, classes, none */
  int found;
  size_t total; /* records that matched (search: may exceed nrec) */
  const hs_status_t **recs;
  size_t nrec, cap;
  const hs_class_t *cls[64];
  size_t ncls;
  const hs_status_t *see[16]; /* the same number or name in other namespaces */
  size_t nsee;
  const hs_status_t *sugg[8]; /* nearest codes, or other candidates */
  size_t nsugg;
  int cards;         /* text: full cards, not one line per record */
  size_t split;      /* text: records from here on go under a vendor heading */
  int elsewhere;     /* the number is not HTTP: the record is from FTP or WS */
  int searched;      /* a name that matched by full-text search */
  int zh_query;      /* the query has Chinese in it */
  hs_namespace_t ns; /* unassigned numbers: the namespace explained */
  int code;
} hs__result_t;

void hs__result_init(hs__result_t *res, const char *query, const char *kind);
void hs__result_add(hs__result_t *res, const hs_status_t *r);
void hs__result_free(hs__result_t *res);
/* One query (`ns_cmd`: the namespace sub-command, -1 for none). */
void hs__resolve(hs__result_t *res, const char *arg, int ns_cmd);
void hs__resolve_search(hs__result_t *res, const char *query);
int hs__has_cjk(const char *s);

/* ---- text output (render_text.c) ---- */
void hs__text_record(FILE *out, const hs__cli_opts_t *o, const hs_status_t *r, int full);
void hs__text_line(FILE *out, const hs__cli_opts_t *o, const hs_status_t *r);
void hs__text_class(FILE *out, const hs__cli_opts_t *o, const hs_class_t *c);
void hs__text_unassigned(FILE *out, const hs__cli_opts_t *o, hs_namespace_t ns, int code,
                         const hs_status_t *const *near, size_t nnear);
void hs__text_heading(FILE *out, const hs__cli_opts_t *o, const char *text);
void hs__text_result(FILE *out, const hs__cli_opts_t *o, const hs__result_t *res, int full);

/* ---- JSON output (render_json.c; records: registry/record_json.h) ---- */
/* One result object of the --json array (docs/man/httpstatus.1 documents it). */
void hs__json_result(FILE *out, const hs__result_t *res);
/* One field of a record for --field (NULL: no such field). */
int hs__print_field(FILE *out, const hs_status_t *r, const char *field, hs_lang_t lang);

/* ---- `httpstatus serve`, `check`, `lint` (companion_exec.c) ---- */
/* Execs the server binary with argv (argv[0] is "serve"); returns only on
 * failure, with an exit status. */
int hs__exec_serve(int argc, char **argv);
/* `httpstatus check|lint ...`: execs httpstatus-check with argv (argv[0] is
 * the command); returns only on failure, with an exit status. */
int hs__exec_check(int argc, char **argv);

/* ---- text helpers (wrap.c) ---- */
/* Display width of one UTF-8 string (CJK and fullwidth characters count 2). */
int hs__display_width(const char *s);
/* Print `text` wrapped at `width` columns, each line prefixed by `indent` spaces. */
void hs__print_wrapped(FILE *out, const char *text, int indent, int width);
void hs__print_wrapped2(FILE *out, const char *text, int first, int indent, int width);

#endif
