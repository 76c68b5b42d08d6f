/* Shared helpers of the lint checks (util.c) and the check groups, one file
 * each (check_*.c). Internal to src/lint. */
#ifndef HS_LINT_CHECK_H
#define HS_LINT_CHECK_H

#include "lint/lint.h"

/* Records a finding for `id` with detail `p`/`n` (may be NULL) unless `id` was
 * already reported for this message. */
void hs__lemit(hs__lresult_t *r, hs__lint_id_t id, const char *p, size_t n);
static inline void hs__lemit_s(hs__lresult_t *r, hs__lint_id_t id, hs__lspan_t s) {
  hs__lemit(r, id, s.p, s.n);
}

/* Case-insensitive comparisons of a span with a NUL-terminated string. */
int hs__lspan_eq(hs__lspan_t s, const char *lit);
int hs__lspan_prefix(hs__lspan_t s, const char *lit);
/* `s` without leading and trailing spaces and tabs. */
hs__lspan_t hs__ltrim(hs__lspan_t s);

/* The first field named `name` among `f[0..n)`, or NULL; how many there are. */
const hs__lfield_t *hs__lget(const hs__lfield_t *f, size_t n, const char *name);
size_t hs__lcount(const hs__lfield_t *f, size_t n, const char *name);
/* Response field shortcuts. */
#define HS__LGET(m, name) hs__lget((m)->fields, (m)->nfields, name)
#define HS__LREQ(m, name) hs__lget((m)->req_fields, (m)->nreq, name)

/* Iterates the comma-separated members of a list value (RFC 9110 §5.6.1),
 * skipping empty ones and not splitting inside quoted strings. `*rest` starts
 * as the whole value; returns 1 with *item set, 0 at the end. */
int hs__lnext_item(hs__lspan_t *rest, hs__lspan_t *item);
/* Whether every member of every `name` field is accepted by `ok`; the first
 * one refused goes to *bad. */
int hs__lall_items(const hs__lfield_t *f, size_t n, const char *name, int (*ok)(hs__lspan_t item),
                   hs__lspan_t *bad);
/* Whether some member of some `name` field equals `token` (case-insensitive). */
int hs__lhas_token(const hs__lfield_t *f, size_t n, const char *name, const char *token);

/* RFC 9110 §5.6.2 tchar / token. */
int hs__ltchar(unsigned char c);
int hs__ltoken(hs__lspan_t s);
/* 1*DIGIT that fits in 63 bits: 0 with *v set, -1 otherwise. */
int hs__lnumber(hs__lspan_t s, int64_t *v);

/* Parses an HTTP-date (RFC 9110 §5.6.7) into seconds since the epoch. Returns
 * 0 for IMF-fixdate, 1 for an obsolete form (RFC 850, asctime), -1 if none. */
int hs__ldate(hs__lspan_t s, int64_t *t);

/* Whether `s` is a URI reference: no spaces, controls, non-ASCII or characters
 * outside RFC 3986 (a '%' followed by two hex digits). */
int hs__luri_ref(hs__lspan_t s);

/* The check groups; each reads `m` and adds to `r`. */
void hs__lcheck_framing(const hs__lmsg_t *m, hs__lresult_t *r);
void hs__lcheck_status(const hs__lmsg_t *m, hs__lresult_t *r);
void hs__lcheck_fields(const hs__lmsg_t *m, hs__lresult_t *r);
void hs__lcheck_content(const hs__lmsg_t *m, hs__lresult_t *r);
void hs__lcheck_caching(const hs__lmsg_t *m, hs__lresult_t *r);
void hs__lcheck_redirect(const hs__lmsg_t *m, hs__lresult_t *r);
void hs__lcheck_cors(const hs__lmsg_t *m, hs__lresult_t *r);
void hs__lcheck_cookies(const hs__lmsg_t *m, hs__lresult_t *r);

#endif
