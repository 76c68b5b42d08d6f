/* Shared declarations of the `httpstatus` command-line tool. */
#ifndef HS_CLI_H
#define HS_CLI_H

#include <stdio.h>

#include "httpstatus/registry.h"

/* Output settings chosen from the command line and the environment. */
typedef struct hs_cli_opts_s {
  hs_lang_t lang;
  int json;
  int color;
  int width;   /* wrap column for text output */
  int show_ns; /* prefix one-line entries with their namespace */
} hs_cli_opts_t;

/* ---- text output (render_text.c) ---- */
void hs__text_record(FILE *out, const hs_cli_opts_t *o, const hs_status_t *r, int full);
void hs__text_line(FILE *out, const hs_cli_opts_t *o, const hs_status_t *r);
void hs__text_class(FILE *out, const hs_cli_opts_t *o, const hs_class_t *c);
void hs__text_unassigned(FILE *out, const hs_cli_opts_t *o, hs_namespace_t ns, int code,
                         const hs_status_t **near, size_t nnear);
void hs__text_heading(FILE *out, const hs_cli_opts_t *o, const char *text);

/* ---- JSON output (render_json.c) ---- */
void hs__json_record(FILE *out, const hs_status_t *r, int indent);
void hs__json_class(FILE *out, const hs_class_t *c, int indent);
void hs__json_string(FILE *out, const char *s);
void hs__json_unassigned(FILE *out, hs_namespace_t ns, int code, const hs_status_t **near,
                         size_t nnear);

/* ---- `httpstatus serve` (serve_exec.c) ---- */
/* Execs the server binary with argv (argv[0] is "serve"); returns only on
 * failure, with an exit status. */
int hs__exec_serve(int argc, char **argv);

/* ---- text helpers (wrap.c) ---- */
/* Display width of one UTF-8 string (CJK and fullwidth characters count 2). */
int hs__display_width(const char *s);
/* Print `text` wrapped at `width` columns, each line prefixed by `indent` spaces. */
void hs__print_wrapped(FILE *out, const char *text, int indent, int width);
void hs__print_wrapped2(FILE *out, const char *text, int first, int indent, int width);

#endif
