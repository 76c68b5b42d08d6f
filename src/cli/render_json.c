/* The --json result objects of the CLI; records and classes are written by the
 * library's shared writer (src/registry/record_json.c). */
#include "cli.h"
#include "registry/record_json.h"

/* {"namespace", "key", "code", "phrase", "phrase_zh"}: a pointer to a record. */
static void json_ref(FILE *out, const hs_status_t *r) {
  hs__json_record_ref_open(out, r);
  fputc('}', out);
}

static void ref_list(FILE *out, const char *name, const hs_status_t *const *l, size_t n) {
  fprintf(out, "    \"%s\": [", name);
  for (size_t i = 0; i < n; i++) {
    fputs(i ? ",\n      " : "\n      ", out);
    json_ref(out, l[i]);
  }
  fputs(n ? "\n    ]" : "]", out);
}

void hs__json_result(FILE *out, const hs__result_t *res) {
  fputs("  {\n    \"query\": ", out);
  hs__json_string(out, res->query);
  fputs(",\n    \"kind\": ", out);
  hs__json_string(out, res->kind);
  fprintf(out, ",\n    \"found\": %s,\n    \"total\": %zu,\n    \"records\": [",
          res->found ? "true" : "false", res->total);
  for (size_t i = 0; i < res->nrec; i++) {
    fputs(i ? ",\n" : "\n", out);
    hs__json_record(out, res->recs[i], 6);
  }
  fputs(res->nrec ? "\n    ],\n    \"classes\": [" : "],\n    \"classes\": [", out);
  for (size_t i = 0; i < res->ncls; i++) {
    fputs(i ? ",\n" : "\n", out);
    hs__json_class(out, res->cls[i], 6);
  }
  fputs(res->ncls ? "\n    ],\n" : "],\n", out);
  ref_list(out, "see_also", res->see, res->nsee);
  fputs(",\n", out);
  ref_list(out, "suggestions", res->sugg, res->nsugg);
  fputs("\n  }", out);
}
