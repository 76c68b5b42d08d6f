/* `httpstatus check` and `httpstatus lint`: the companion binary
 * `httpstatus-check` (libcurl + the lint engine), so the lookup CLI keeps no
 * dependencies. */
#ifndef HS_CLI_COMPANION_H
#define HS_CLI_COMPANION_H

#include <stdio.h>

#include "httpstatus/registry.h"
#include "lint/lint.h"

#define HS_EXIT_CLEAN 0
#define HS_EXIT_FINDINGS 1
#define HS_EXIT_FAILURE 2

/* Output settings shared by both commands. */
typedef struct hs__out_s {
  hs_lang_t lang;
  int json;
  int min_show; /* show findings of this severity or worse (HS__LSEV_*) */
  int fail_on;  /* exit 1 when a finding of this severity or worse exists */
  int worst;    /* most severe finding so far (-1: none) */
  size_t counts[3];
} hs__out_t;

/* Writes `s` as a JSON string (quotes included) with control bytes escaped. */
void hs__json_str(FILE *out, const char *s);
void hs__json_strn(FILE *out, const char *s, size_t n);
/* The findings of one response: text (indented lines) or a JSON array. Adds to
 * o->counts and o->worst. */
void hs__print_findings(FILE *out, hs__out_t *o, const hs__lresult_t *res);
/* The registry's one-line meaning of HTTP `code` in o->lang, or NULL. */
const char *hs__code_meaning(int code, hs_lang_t lang);
/* Parses "error", "warning" or "info"; -1 otherwise. */
int hs__sev_parse(const char *s);

int hs__cmd_lint(int argc, char **argv);
int hs__cmd_check(int argc, char **argv);

#endif
