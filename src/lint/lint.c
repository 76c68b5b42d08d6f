/* The lint engine's entry point and the catalogue's look-ups. */
#include <string.h>

#include "lint/check.h"

void hs__lint_message(const hs__lmsg_t *m, hs__lresult_t *res) {
  memset(res, 0, sizeof *res);
  hs__lcheck_status(m, res);
  if (!m->line_ok || m->status < 0)
    return;
  hs__lcheck_framing(m, res);
  hs__lcheck_fields(m, res);
  hs__lcheck_content(m, res);
  hs__lcheck_caching(m, res);
  hs__lcheck_redirect(m, res);
  hs__lcheck_cors(m, res);
  hs__lcheck_cookies(m, res);
}

int hs__lint_worst(const hs__lresult_t *res) {
  int worst = -1;
  for (size_t i = 0; i < res->n; i++) {
    int s = (int)hs__lint_rules[res->v[i].rule].sev;
    if (worst < 0 || s < worst)
      worst = s;
  }
  return worst;
}

const char *hs__lint_sev_name(hs__lint_sev_t s) {
  return s == HS__LSEV_ERROR ? "error" : s == HS__LSEV_WARNING ? "warning" : "info";
}

const hs__lint_rule_t *hs__lint_rule_by_id(const char *id) {
  for (size_t i = 0; i < HS__L_COUNT; i++)
    if (!strcmp(hs__lint_rules[i].id, id))
      return &hs__lint_rules[i];
  return NULL;
}
