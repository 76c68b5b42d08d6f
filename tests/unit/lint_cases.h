/* The hit:/ok: messages of data/lint/ (.txt) (generated: lint_cases.c). */
#ifndef HS_TESTS_UNIT_LINT_CASES_H
#define HS_TESTS_UNIT_LINT_CASES_H

#include <stddef.h>

#include "lint/rules.h"

typedef struct hs__lint_case_s {
  hs__lint_id_t rule;
  int hit; /* 1: the rule must report it; 0: it must not */
  const char *msg;
  size_t len;
} hs__lint_case_t;

extern const hs__lint_case_t hs__lint_cases[];
extern const size_t hs__lint_ncases;

#endif
