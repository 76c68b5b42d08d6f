/* Field rules: names and values (RFC 9110 §5), single-value fields, dates
 * (§6.6.1, §5.6.7, §8.8.2), Allow (§10.2.1), challenges (§11.6), and the
 * browser security fields (RFC 6797, RFC 7034, Fetch). */
#include <stdio.h>
#include <string.h>

#include "lint/check.h"

static const char *const singletons[] = {"Content-Type",
                                         "Location",
                                         "ETag",
                                         "Last-Modified",
                                         "Expires",
                                         "Age",
                                         "Date",
                                         "Retry-After",
                                         "Content-Location",
                                         "Content-Range",
                                         "Access-Control-Allow-Origin",
                                         "Access-Control-Allow-Credentials",
                                         "Access-Control-Max-Age",
                                         NULL};

static void syntax(const hs__lmsg_t *m, hs__lresult_t *r) {
  for (size_t i = 0; i < m->nfields; i++) {
    const hs__lfield_t *f = &m->fields[i];
    if (!hs__ltoken(f->name))
      hs__lemit_s(r, HS__L_FIELD_NAME_INVALID, f->name);
    if (f->flags & HS__LF_SPACE_COLON)
      hs__lemit_s(r, HS__L_FIELD_SPACE_BEFORE_COLON, f->name);
    if (f->flags & HS__LF_FOLDED)
      hs__lemit_s(r, HS__L_FIELD_OBS_FOLD, f->name);
    int ctl = 0, high = 0;
    for (size_t k = 0; k < f->value.n; k++) {
      unsigned char c = (unsigned char)f->value.p[k];
      ctl |= (c < 0x20 && c != '\t') || c == 0x7f;
      high |= c >= 0x80;
    }
    if (ctl)
      hs__lemit_s(r, HS__L_FIELD_VALUE_CTL, f->name);
    if (high)
      hs__lemit_s(r, HS__L_FIELD_VALUE_NON_ASCII, f->name);
    if (!hs__ltrim(f->value).n)
      hs__lemit_s(r, HS__L_FIELD_EMPTY, f->name);
  }
  for (size_t k = 0; singletons[k]; k++)
    if (hs__lcount(m->fields, m->nfields, singletons[k]) > 1)
      hs__lemit(r, HS__L_FIELD_SINGLETON_REPEATED, singletons[k], strlen(singletons[k]));
}

static void dates(const hs__lmsg_t *m, hs__lresult_t *r) {
  const hs__lfield_t *date = HS__LGET(m, "Date");
  int s = m->status;
  if (!date && s >= 200 && s < 500)
    hs__lemit(r, HS__L_DATE_MISSING, NULL, 0);
  static const char *const names[] = {"Date", "Last-Modified", NULL};
  int64_t t[2] = {0, 0};
  int ok[2] = {0, 0};
  for (int k = 0; names[k]; k++) {
    const hs__lfield_t *f = HS__LGET(m, names[k]);
    if (!f)
      continue;
    int rc = hs__ldate(f->value, &t[k]);
    if (rc < 0)
      hs__lemit_s(r, HS__L_DATE_INVALID, f->value);
    else if (rc == 1)
      hs__lemit_s(r, HS__L_DATE_OBSOLETE_FORMAT, f->value);
    ok[k] = rc >= 0;
  }
  if (ok[0] && ok[1] && t[1] > t[0])
    hs__lemit_s(r, HS__L_LAST_MODIFIED_FUTURE, HS__LGET(m, "Last-Modified")->value);
}

static int method_ok(hs__lspan_t it) { return hs__ltoken(it); }

static void allow(const hs__lmsg_t *m, hs__lresult_t *r) {
  hs__lspan_t bad;
  if (!hs__lall_items(m->fields, m->nfields, "Allow", method_ok, &bad))
    hs__lemit_s(r, HS__L_ALLOW_INVALID, bad);
  static const char *const std[] = {"get",     "head",    "post",  "put",   "delete",
                                    "connect", "options", "trace", "patch", NULL};
  for (size_t i = 0; i < m->nfields; i++) {
    if (!hs__lspan_eq(m->fields[i].name, "Allow"))
      continue;
    hs__lspan_t rest = m->fields[i].value, it;
    while (hs__lnext_item(&rest, &it))
      for (size_t k = 0; std[k]; k++)
        if (hs__lspan_eq(it, std[k]) && it.p[0] >= 'a' && it.p[0] <= 'z')
          hs__lemit_s(r, HS__L_ALLOW_LOWERCASE_METHOD, it);
  }
}

/* RFC 9110 §11.6.1: each challenge starts with a scheme token; for Basic the
 * realm parameter is required (RFC 7617 §2). */
static void challenges(const hs__lmsg_t *m, hs__lresult_t *r) {
  for (size_t i = 0; i < m->nfields; i++) {
    const hs__lfield_t *f = &m->fields[i];
    if (!hs__lspan_eq(f->name, "WWW-Authenticate") && !hs__lspan_eq(f->name, "Proxy-Authenticate"))
      continue;
    hs__lspan_t v = hs__ltrim(f->value);
    size_t k = 0;
    while (k < v.n && hs__ltchar((unsigned char)v.p[k]))
      k++;
    if (!k || (k < v.n && v.p[k] != ' ') || (k < v.n && memchr(v.p, '=', k + 1))) {
      hs__lemit_s(r, HS__L_AUTH_CHALLENGE_INVALID, v);
      continue;
    }
    hs__lspan_t scheme = {v.p, k};
    if (hs__lspan_eq(scheme, "Basic")) {
      int realm = 0;
      for (size_t j = k; j + 6 <= v.n; j++)
        if (hs__lspan_prefix((hs__lspan_t){v.p + j, v.n - j}, "realm=") &&
            (v.p[j - 1] == ' ' || v.p[j - 1] == ','))
          realm = 1;
      if (!realm)
        hs__lemit_s(r, HS__L_AUTH_BASIC_NO_REALM, v);
    }
  }
}

static void security(const hs__lmsg_t *m, hs__lresult_t *r) {
  const hs__lfield_t *f = HS__LGET(m, "Strict-Transport-Security");
  if (f) {
    int max_age = 0;
    for (size_t j = 0; j + 8 <= f->value.n; j++)
      if (hs__lspan_prefix((hs__lspan_t){f->value.p + j, f->value.n - j}, "max-age="))
        max_age = 1;
    if (!max_age)
      hs__lemit_s(r, HS__L_HSTS_NO_MAX_AGE, f->value);
    if (m->tls == 0)
      hs__lemit(r, HS__L_HSTS_OVER_HTTP, NULL, 0);
  }
  if ((f = HS__LGET(m, "X-Content-Type-Options")) && !hs__lspan_eq(hs__ltrim(f->value), "nosniff"))
    hs__lemit_s(r, HS__L_NOSNIFF_INVALID, f->value);
  if ((f = HS__LGET(m, "X-Frame-Options")) && !hs__lspan_eq(hs__ltrim(f->value), "DENY") &&
      !hs__lspan_eq(hs__ltrim(f->value), "SAMEORIGIN"))
    hs__lemit_s(r, HS__L_FRAME_OPTIONS_INVALID, f->value);
  if ((f = HS__LGET(m, "Server"))) {
    for (size_t k = 0; k + 1 < f->value.n; k++)
      if (f->value.p[k] == '/' && f->value.p[k + 1] >= '0' && f->value.p[k + 1] <= '9') {
        hs__lemit_s(r, HS__L_SERVER_VERSION_DISCLOSED, f->value);
        break;
      }
  }
  if ((f = HS__LGET(m, "X-Powered-By")))
    hs__lemit_s(r, HS__L_POWERED_BY_DISCLOSED, f->value);
}

/* RFC 8288 §3: each link is "<URI-reference>" followed by parameters. */
static void links(const hs__lmsg_t *m, hs__lresult_t *r) {
  for (size_t i = 0; i < m->nfields; i++) {
    if (!hs__lspan_eq(m->fields[i].name, "Link"))
      continue;
    hs__lspan_t rest = m->fields[i].value, it;
    while (hs__lnext_item(&rest, &it)) {
      const char *gt = memchr(it.p, '>', it.n);
      if (it.p[0] != '<' || !gt || !hs__luri_ref((hs__lspan_t){it.p + 1, (size_t)(gt - it.p - 1)}))
        hs__lemit_s(r, HS__L_LINK_INVALID, it);
    }
  }
}

void hs__lcheck_fields(const hs__lmsg_t *m, hs__lresult_t *r) {
  syntax(m, r);
  dates(m, r);
  allow(m, r);
  challenges(m, r);
  security(m, r);
  links(m, r);
  const hs__lfield_t *f;
  if ((f = HS__LGET(m, "Content-Location")) && !hs__luri_ref(hs__ltrim(f->value)))
    hs__lemit_s(r, HS__L_CONTENT_LOCATION_INVALID, f->value);
  if ((f = HS__LGET(m, "Warning")))
    hs__lemit_s(r, HS__L_WARNING_FIELD, f->value);
  if ((f = HS__LGET(m, "Pragma")))
    hs__lemit_s(r, HS__L_PRAGMA_RESPONSE, f->value);
  int64_t v;
  if ((f = HS__LGET(m, "Age")) && hs__lnumber(hs__ltrim(f->value), &v) < 0)
    hs__lemit_s(r, HS__L_AGE_INVALID, f->value);
  if ((f = HS__LGET(m, "Cookie")))
    hs__lemit_s(r, HS__L_COOKIE_IN_RESPONSE, f->name);
}
