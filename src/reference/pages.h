/* The web reference (docs/web.md): one page per registry record, class and
 * namespace, plus the home page, each in HTML, JSON and plain text and in
 * English and Chinese. Pages are generated from the registry the first time
 * they are asked for, compressed once (gzip, brotli) and kept for the life of
 * the process; a request only negotiates and sends (src/handlers/reference.c). */
#ifndef HS_REFERENCE_PAGES_H
#define HS_REFERENCE_PAGES_H

#include <stddef.h>

#include "base/buf.h"
#include "http/render.h"
#include "httpstatus/registry.h"

typedef enum hs__ref_kind_e {
  HS_REF_HOME = 0, /* "/": the code map, search, namespaces */
  HS_REF_NS,       /* "/codes/vendor", "/codes/iis", "/codes/ftp", "/codes/ws" */
  HS_REF_CLASS,    /* "/codes/4xx", "/codes/ftp/5xx", "/codes/ws/4000-4999" */
  HS_REF_HTTP,     /* "/codes/404": the number, official and vendor meanings */
  HS_REF_RECORD    /* "/codes/499/nginx", "/codes/iis/403.14", "/codes/ftp/530", "/codes/ws/1008" */
} hs__ref_kind_t;

/* One page of the reference. */
typedef struct hs__ref_page_s {
  hs__ref_kind_t kind;
  hs_namespace_t ns;      /* HS_REF_NS, HS_REF_CLASS, HS_REF_RECORD */
  int code;               /* HS_REF_HTTP: the number */
  const hs_class_t *cls;  /* HS_REF_CLASS */
  const hs_status_t *rec; /* HS_REF_RECORD; HS_REF_HTTP: official record, else first vendor */
  size_t slot;            /* index of the page's cache entry, < hs__ref_slot_count() */
} hs__ref_page_t;

/* ---- catalog.c: URLs <-> pages ---- */

/* Finds the page at `path` (no query); returns 1 and fills *p, or 0. */
int hs__ref_resolve(const char *path, size_t n, hs__ref_page_t *p);
/* How many cache entries the pages need (fixed by the registry). */
size_t hs__ref_slot_count(void);
/* Appends the URL path of a record's page / a class page / a namespace index. */
void hs__ref_record_url(hs__buf_t *b, const hs_status_t *r);
void hs__ref_class_url(hs__buf_t *b, const hs_class_t *c);
void hs__ref_ns_url(hs__buf_t *b, hs_namespace_t ns);
/* The class page a record or an HTTP number belongs to (NULL for IIS). */
const hs_class_t *hs__ref_class_for(hs_namespace_t ns, int code);

/* 1 when all[i] is the first record of its vendor key among all[0..i]: the
 * vendor lists name each vendor once, with all its codes. */
int hs__ref_vendor_first(const hs_status_t *all, size_t i);

/* The records of one class or range, in code order, written by fn. */
void hs__ref_each_in_class(const hs_class_t *c, void (*fn)(const hs_status_t *r, void *arg),
                           void *arg);

#endif
