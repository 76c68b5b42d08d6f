/* The lint rule catalogue: one entry per rule of data/lint/ (.txt), generated at
 * build time by tools/gen_lint.py (rule_table.c, rule_ids.h). */
#ifndef HS_LINT_RULES_H
#define HS_LINT_RULES_H

#include <stddef.h>

#include "lint/rule_ids.h"

typedef enum hs__lint_sev_e { HS__LSEV_ERROR = 0, HS__LSEV_WARNING, HS__LSEV_INFO } hs__lint_sev_t;

typedef struct hs__lint_rule_s {
  const char *id;       /* "requires-allow" */
  hs__lint_sev_t sev;   /* error, warning or info */
  const char *category; /* "framing", "caching", ... */
  const char *spec;     /* "RFC 9110 §15.5.6" */
  const char *title[2]; /* English, Chinese */
  const char *text[2];  /* one sentence each */
  const char *expected; /* where httpstatus serve does this on purpose, or NULL */
} hs__lint_rule_t;

extern const hs__lint_rule_t hs__lint_rules[HS__L_COUNT];

/* "error", "warning" or "info". */
const char *hs__lint_sev_name(hs__lint_sev_t s);
/* The rule with id `id`, or NULL. */
const hs__lint_rule_t *hs__lint_rule_by_id(const char *id);

#endif
