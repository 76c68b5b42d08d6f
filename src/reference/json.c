/* The JSON form of reference pages (docs/web.md). A record page is the record
 * itself, written by the registry's writer (registry/record_json.h): the very
 * object `httpstatus --json` prints. List pages (home, namespaces, classes)
 * hold short references {namespace, key, code, phrase, phrase_zh, state, url}.
 * Pages are prepared once, so FILE streams (open_memstream) are fine here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reference/example.h"
#include "reference/forms.h"
#include "reference/pages.h"
#include "registry/record_json.h"

static void ref(FILE *out, const hs_status_t *r, int first) {
  hs__buf_t url;
  hs__buf_init(&url, NULL);
  hs__ref_record_url(&url, r);
  hs__buf_append(&url, "", 1);
  fputs(first ? "\n    " : ",\n    ", out);
  hs__json_record_ref_open(out, r);
  fputs(", \"state\": ", out);
  hs__json_string(out, hs_state_name(r->state));
  fputs(", \"url\": ", out);
  hs__json_string(out, url.base);
  fputc('}', out);
  hs__buf_release(&url);
}

typedef struct {
  FILE *stream;
  int n;
} ref_arg_t;

static void ref_item(const hs_status_t *r, void *arg) {
  ref_arg_t *a = arg;
  ref(a->stream, r, a->n++ == 0);
}

static void class_page(FILE *out, const hs_class_t *c) {
  fputs("{\n  \"class\":\n", out);
  hs__json_class(out, c, 4);
  fputs(",\n  \"records\": [", out);
  ref_arg_t a = {out, 0};
  hs__ref_each_in_class(c, ref_item, &a);
  fputs(a.n ? "\n  ]\n}\n" : "]\n}\n", out);
}

/* ,"vendors": [{"key", "vendor", "codes": [...]}] in the table's order (the
 * vendor page's list, as `httpstatus --json vendors` prints it). */
static void vendors(FILE *out, const hs_status_t *all, size_t n) {
  fputs(",\n  \"vendors\": [", out);
  int first = 1;
  for (size_t i = 0; i < n; i++) {
    if (!hs__ref_vendor_first(all, i)) /* listed with its first code */
      continue;
    fputs(first ? "\n    {\"key\": " : ",\n    {\"key\": ", out);
    first = 0;
    hs__json_string(out, all[i].vendor_key);
    fputs(", \"vendor\": ", out);
    hs__json_string(out, all[i].vendor);
    fputs(", \"codes\": [", out);
    int c = 0;
    for (size_t j = i; j < n; j++)
      if (strcmp(all[j].vendor_key, all[i].vendor_key) == 0)
        fprintf(out, "%s%d", c++ ? ", " : "", all[j].code);
    fputs("]}", out);
  }
  fputs(first ? "]" : "\n  ]", out);
}

static void ns_page(FILE *out, hs_namespace_t ns) {
  fputs("{\n  \"namespace\": ", out);
  hs__json_string(out, hs_namespace_name(ns));
  fputs(",\n  \"classes\": [", out);
  size_t ncls = 0, n = 0, k = 0;
  const hs_class_t *cls = hs_classes(&ncls);
  for (size_t i = 0; i < ncls; i++)
    if (cls[i].ns == ns) {
      fputs(k++ ? ",\n" : "\n", out);
      hs__json_class(out, &cls[i], 4);
    }
  fputs(k ? "\n  ],\n  \"records\": [" : "],\n  \"records\": [", out);
  const hs_status_t *all = hs_records(ns, &n);
  for (size_t i = 0; i < n; i++)
    ref(out, &all[i], i == 0);
  fputs(n ? "\n  ]" : "]", out);
  if (ns == HS_NS_HTTP_VENDOR)
    vendors(out, all, n);
  fputs("\n}\n", out);
}

static void home_page(FILE *out) {
  fputs("{\n  \"namespaces\": [", out);
  static const char *const urls[HS_NS_COUNT] = {"/", "/codes/vendor", "/codes/iis", "/codes/ftp",
                                                "/codes/ws"};
  for (int ns = 0; ns < HS_NS_COUNT; ns++) {
    size_t n = 0;
    hs_records((hs_namespace_t)ns, &n);
    fprintf(out, "%s\n    {\"namespace\": \"%s\", \"url\": \"%s\", \"count\": %zu}", ns ? "," : "",
            hs_namespace_name((hs_namespace_t)ns), urls[ns], n);
  }
  fputs("\n  ],\n  \"api\": \"/api\",\n  \"search\": \"/search?q=\",\n  \"http\": [", out);
  int first = 1;
  for (int code = 100; code <= 599; code++) {
    const hs_status_t *r = hs_lookup(HS_NS_HTTP, code);
    if (!r)
      r = hs_lookup(HS_NS_HTTP_VENDOR, code);
    if (r) {
      ref(out, r, first);
      first = 0;
    }
  }
  fputs("\n  ]\n}\n", out);
}

/* A record, and for an HTTP code its example exchange as raw HTTP/1.1
 * (ref_exchange.c): {"request", "response"} added to the record's object. */
static void record_page(FILE *out, const hs__ref_page_t *p) {
  const hs_status_t *r = p->rec;
  hs__buf_t req, resp;
  hs__buf_init(&req, NULL);
  hs__buf_init(&resp, NULL);
  int code = p->kind == HS_REF_HTTP ? p->code : r->code;
  if ((r->ns != HS_NS_HTTP && r->ns != HS_NS_HTTP_VENDOR) ||
      hs__ref_example_raw(&req, &resp, code) != 0) {
    hs__json_record(out, r, 0);
    fputc('\n', out);
  } else {
    char *mem = NULL;
    size_t len = 0;
    FILE *rec = open_memstream(&mem, &len);
    if (!rec)
      abort();
    hs__json_record(rec, r, 0);
    if (fclose(rec) != 0 || !mem)
      abort();
    while (len && mem[len - 1] != '}') /* reopen the object */
      len--;
    if (len)
      len--;
    while (len && (mem[len - 1] == '\n' || mem[len - 1] == ' '))
      len--;
    fwrite(mem, 1, len, out);
    free(mem);
    hs__buf_append(&req, "", 1);
    hs__buf_append(&resp, "", 1);
    fputs(",\n  \"example\": {\n    \"request\": ", out);
    hs__json_string(out, req.base);
    fputs(",\n    \"response\": ", out);
    hs__json_string(out, resp.base);
    fputs("\n  }\n}\n", out);
  }
  hs__buf_release(&req);
  hs__buf_release(&resp);
}

void hs__ref_json(hs__buf_t *b, const hs__ref_page_t *p) {
  char *mem = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&mem, &len);
  if (!out)
    abort();
  switch (p->kind) {
  case HS_REF_HOME:
    home_page(out);
    break;
  case HS_REF_NS:
    ns_page(out, p->ns);
    break;
  case HS_REF_CLASS:
    class_page(out, p->cls);
    break;
  default:
    record_page(out, p);
    break;
  }
  if (fclose(out) != 0 || !mem)
    abort();
  hs__buf_append(b, mem, len);
  free(mem);
}
