/* Helpers of the lint checks: finding records, field lookup, list members,
 * tokens, numbers, HTTP-dates and URI references. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "lint/check.h"

void hs__lemit(hs__lresult_t *r, hs__lint_id_t id, const char *p, size_t n) {
  if (id >= HS__L_COUNT || (r->seen[id / 64] >> (id % 64)) & 1u)
    return;
  r->seen[id / 64] |= (uint64_t)1 << (id % 64);
  if (r->n >= HS__LINT_MAX_FINDINGS)
    return;
  hs__lfinding_t *f = &r->v[r->n++];
  f->rule = id;
  size_t k = 0;
  for (size_t i = 0; p && i < n && k + 4 < sizeof f->detail; i++) {
    unsigned char c = (unsigned char)p[i];
    f->detail[k++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
  }
  if (p && n > k && k + 4 >= sizeof f->detail) {
    while (k > 0 && ((unsigned char)f->detail[k - 1] & 0xC0) == 0x80)
      k--; /* do not cut a UTF-8 sequence */
    if (k > 0 && (unsigned char)f->detail[k - 1] >= 0xC0)
      k--;
    memcpy(f->detail + k, "...", 3);
    k += 3;
  }
  f->detail[k] = '\0';
}

int hs__lspan_eq(hs__lspan_t s, const char *lit) {
  size_t l = strlen(lit);
  return s.n == l && strncasecmp(s.p, lit, l) == 0;
}

int hs__lspan_prefix(hs__lspan_t s, const char *lit) {
  size_t l = strlen(lit);
  return s.n >= l && strncasecmp(s.p, lit, l) == 0;
}

hs__lspan_t hs__ltrim(hs__lspan_t s) {
  while (s.n && (s.p[0] == ' ' || s.p[0] == '\t')) {
    s.p++;
    s.n--;
  }
  while (s.n && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t'))
    s.n--;
  return s;
}

const hs__lfield_t *hs__lget(const hs__lfield_t *f, size_t n, const char *name) {
  for (size_t i = 0; i < n; i++)
    if (hs__lspan_eq(f[i].name, name))
      return &f[i];
  return NULL;
}

size_t hs__lcount(const hs__lfield_t *f, size_t n, const char *name) {
  size_t c = 0;
  for (size_t i = 0; i < n; i++)
    c += hs__lspan_eq(f[i].name, name);
  return c;
}

int hs__lnext_item(hs__lspan_t *rest, hs__lspan_t *item) {
  while (rest->n) {
    size_t i = 0;
    int q = 0;
    for (; i < rest->n; i++) {
      char c = rest->p[i];
      if (q && c == '\\' && i + 1 < rest->n)
        i++;
      else if (c == '"')
        q = !q;
      else if (c == ',' && !q)
        break;
    }
    hs__lspan_t it = hs__ltrim((hs__lspan_t){rest->p, i});
    size_t skip = i < rest->n ? i + 1 : i;
    rest->p += skip;
    rest->n -= skip;
    if (it.n) {
      *item = it;
      return 1;
    }
  }
  return 0;
}

int hs__lall_items(const hs__lfield_t *f, size_t n, const char *name, int (*ok)(hs__lspan_t item),
                   hs__lspan_t *bad) {
  for (size_t i = 0; i < n; i++) {
    if (!hs__lspan_eq(f[i].name, name))
      continue;
    hs__lspan_t rest = f[i].value, it;
    while (hs__lnext_item(&rest, &it))
      if (!ok(it)) {
        *bad = it;
        return 0;
      }
  }
  return 1;
}

int hs__lhas_token(const hs__lfield_t *f, size_t n, const char *name, const char *token) {
  for (size_t i = 0; i < n; i++) {
    if (!hs__lspan_eq(f[i].name, name))
      continue;
    hs__lspan_t rest = f[i].value, it;
    while (hs__lnext_item(&rest, &it))
      if (hs__lspan_eq(it, token))
        return 1;
  }
  return 0;
}

int hs__ltchar(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c && strchr("!#$%&'*+-.^_`|~", c));
}

int hs__ltoken(hs__lspan_t s) {
  if (!s.n)
    return 0;
  for (size_t i = 0; i < s.n; i++)
    if (!hs__ltchar((unsigned char)s.p[i]))
      return 0;
  return 1;
}

int hs__lnumber(hs__lspan_t s, int64_t *v) {
  if (!s.n || s.n > 18)
    return -1;
  int64_t x = 0;
  for (size_t i = 0; i < s.n; i++) {
    if (s.p[i] < '0' || s.p[i] > '9')
      return -1;
    x = x * 10 + (s.p[i] - '0');
  }
  *v = x;
  return 0;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; H. Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static int month_of(const char *p) {
  static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
  for (int i = 0; i < 12; i++)
    if (memcmp(p, names + 3 * i, 3) == 0)
      return i + 1;
  return 0;
}

static int digits(const char *p, int n, int *v) {
  *v = 0;
  for (int i = 0; i < n; i++) {
    if (p[i] < '0' || p[i] > '9')
      return 0;
    *v = *v * 10 + (p[i] - '0');
  }
  return 1;
}

/* "HH:MM:SS" at p → seconds, or -1. */
static int clock_of(const char *p) {
  int h, mi, s;
  if (p[2] != ':' || p[5] != ':' || !digits(p, 2, &h) || !digits(p + 3, 2, &mi) ||
      !digits(p + 6, 2, &s) || h > 23 || mi > 59 || s > 60)
    return -1;
  return h * 3600 + mi * 60 + s;
}

int hs__ldate(hs__lspan_t s, int64_t *t) {
  s = hs__ltrim(s);
  char b[64];
  if (s.n >= sizeof b)
    return -1;
  memcpy(b, s.p, s.n);
  b[s.n] = '\0';
  int d, y, mo, sec;
  /* IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT" (29 characters) */
  if (s.n == 29 && b[3] == ',' && b[4] == ' ' && b[7] == ' ' && b[11] == ' ' && b[16] == ' ' &&
      b[25] == ' ' && !strcmp(b + 26, "GMT") && digits(b + 5, 2, &d) && (mo = month_of(b + 8)) &&
      digits(b + 12, 4, &y) && (sec = clock_of(b + 17)) >= 0 && d >= 1 && d <= 31) {
    *t = days_from_civil(y, mo, d) * 86400 + sec;
    return 0;
  }
  /* RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT" */
  const char *c = strchr(b, ',');
  if (c && c - b >= 6 && strlen(c) == 24 && c[1] == ' ' && c[4] == '-' && c[8] == '-' &&
      c[11] == ' ' && c[20] == ' ' && !strcmp(c + 21, "GMT") && digits(c + 2, 2, &d) &&
      (mo = month_of(c + 5)) && digits(c + 9, 2, &y) && (sec = clock_of(c + 12)) >= 0) {
    y += y < 70 ? 2000 : 1900;
    *t = days_from_civil(y, mo, d) * 86400 + sec;
    return 1;
  }
  /* asctime: "Sun Nov  6 08:49:37 1994" */
  if (s.n == 24 && b[3] == ' ' && b[7] == ' ' && b[10] == ' ' && b[19] == ' ' &&
      (mo = month_of(b + 4)) && (sec = clock_of(b + 11)) >= 0 && digits(b + 20, 4, &y)) {
    d = b[8] == ' ' ? 0 : -1;
    int dd;
    if (d == 0 && digits(b + 9, 1, &dd))
      d = dd;
    else if (!digits(b + 8, 2, &d))
      return -1;
    *t = days_from_civil(y, mo, d) * 86400 + sec;
    return 1;
  }
  return -1;
}

int hs__luri_ref(hs__lspan_t s) {
  if (!s.n)
    return 0;
  for (size_t i = 0; i < s.n; i++) {
    unsigned char c = (unsigned char)s.p[i];
    if (c == '%') {
      if (i + 2 >= s.n || !isxdigit((unsigned char)s.p[i + 1]) ||
          !isxdigit((unsigned char)s.p[i + 2]))
        return 0;
      i += 2;
      continue;
    }
    if (c <= 0x20 || c >= 0x7f || strchr("\"<>\\^`{|}", c))
      return 0;
  }
  return 1;
}
