/* Full-text search over the registry (libhttpstatus).
 *
 * The generator builds an inverted index: English word stems and Chinese
 * unigrams/bigrams, each with postings (record, field weight). A query is split
 * into ASCII words, numbers and CJK runs; each part adds the weights of the
 * records it hits. Words also match by prefix and, when nothing matches exactly,
 * by edit distance (optimal string alignment). Records matching more distinct
 * query parts rank first. No allocation: all state lives on the stack.
 */
#include <stdlib.h>
#include <string.h>

#include "registry_data.h"

#define MAX_RECORDS 2048
#define MAX_WORD 48
#define MAX_PARTS 16

typedef struct acc_s {
  int score[MAX_RECORDS];
  int part[MAX_RECORDS];       /* best contribution of the current query part */
  uint16_t parts[MAX_RECORDS]; /* bit i: query part i matched */
} acc_t;

/* Fold the current part's per-record best contributions into the totals. */
static void end_part(acc_t *acc, int part, int mark) {
  for (size_t r = 0; r < hs__record_count; r++) {
    if (!acc->part[r])
      continue;
    acc->score[r] += acc->part[r];
    if (mark)
      acc->parts[r] |= (uint16_t)(1u << part);
    acc->part[r] = 0;
  }
}

static int is_stop(const char *w) {
  for (const char *const *s = hs__stop_words; *s; s++)
    if (strcmp(*s, w) == 0)
      return 1;
  return 0;
}

/* Mirror of gen_registry.py's stem(): strip one of -ing, -ed, -es, -s, keeping at
 * least 4 letters. */
static size_t stem(char *w, size_t n) {
  static const char *const suf[] = {"ing", "ed", "es", "s"};
  for (int i = 0; i < 4; i++) {
    size_t l = strlen(suf[i]);
    if (n >= l + 4 && memcmp(w + n - l, suf[i], l) == 0) {
      if (l == 1 && w[n - 2] == 's')
        return n;
      w[n - l] = '\0';
      return n - l;
    }
  }
  return n;
}

static uint32_t letter_mask(const char *w, size_t n) {
  uint32_t m = 0;
  for (size_t i = 0; i < n; i++) {
    char c = w[i];
    if (c >= 'a' && c <= 'z')
      m |= 1u << (c - 'a');
    else if (c >= '0' && c <= '9')
      m |= 1u << 26;
  }
  return m;
}

/* Optimal-string-alignment distance between a and b, or k+1 once it exceeds k. */
static int osa_within(const char *a, size_t la, const char *b, size_t lb, int k) {
  int rows[3][MAX_WORD + 1];
  int *pp = rows[0], *p = rows[1], *c = rows[2];
  if (la > MAX_WORD || lb > MAX_WORD)
    return k + 1;
  for (size_t j = 0; j <= lb; j++)
    p[j] = (int)j;
  for (size_t i = 1; i <= la; i++) {
    c[0] = (int)i;
    int best = c[0];
    for (size_t j = 1; j <= lb; j++) {
      int cost = a[i - 1] != b[j - 1];
      int v = p[j] + 1;
      if (c[j - 1] + 1 < v)
        v = c[j - 1] + 1;
      if (p[j - 1] + cost < v)
        v = p[j - 1] + cost;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
        v = pp[j - 2] + 1;
      c[j] = v;
      if (v < best)
        best = v;
    }
    if (best > k)
      return k + 1;
    int *t = pp;
    pp = p;
    p = c;
    c = t;
  }
  return p[lb];
}

/* Index of the first term >= key (bytewise), in [0, n]. */
static size_t lower_bound(const hs__term_t *t, size_t n, const char *key, size_t klen) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    size_t m = t[mid].len < klen ? t[mid].len : klen;
    int c = memcmp(t[mid].term, key, m);
    if (c < 0 || (c == 0 && t[mid].len < klen))
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* A term's postings compete for the part's best contribution per record (several
 * prefix or typo matches of one word must not add up). */
static void add_postings(acc_t *acc, const hs__term_t *t, int mult) {
  for (uint32_t i = 0; i < t->count; i++) {
    const hs__posting_t *p = &hs__postings[t->start + i];
    int v = p->weight * mult;
    if (v > acc->part[p->record])
      acc->part[p->record] = v;
  }
}

/* One English word: exact stem, then prefixes, then (if neither hit) typos. */
static void match_word(acc_t *acc, char *w, size_t n, int part) {
  n = stem(w, n);
  size_t pos = lower_bound(hs__en_terms, hs__en_terms_count, w, n);
  int hit = 0;
  for (size_t i = pos; i < hs__en_terms_count; i++) {
    const hs__term_t *t = &hs__en_terms[i];
    if (t->len < n || memcmp(t->term, w, n) != 0)
      break;
    if (t->len == n) {
      add_postings(acc, t, 10);
      hit = 1;
    } else if (n >= 3) {
      add_postings(acc, t, 4);
      hit = 1;
    }
  }
  if (hit || n < 4) {
    end_part(acc, part, 1);
    return;
  }
  int k = n >= 8 ? 2 : 1;
  uint32_t qm = letter_mask(w, n);
  for (size_t i = 0; i < hs__en_terms_count; i++) {
    const hs__term_t *t = &hs__en_terms[i];
    int d = (int)t->len - (int)n;
    if (d > k || d < -k || __builtin_popcount(t->mask ^ qm) > 2 * k)
      continue;
    if (osa_within(w, n, t->term, t->len, k) <= k)
      add_postings(acc, t, 3);
  }
  end_part(acc, part, 1);
}

static const hs__term_t *find_zh(const char *s, size_t n) {
  size_t pos = lower_bound(hs__zh_terms, hs__zh_terms_count, s, n);
  if (pos < hs__zh_terms_count && hs__zh_terms[pos].len == n &&
      memcmp(hs__zh_terms[pos].term, s, n) == 0)
    return &hs__zh_terms[pos];
  return NULL;
}

/* A run of CJK characters: every bigram must hit for the part to count as matched;
 * a single character matches by unigram. `offs` holds the byte offset of each
 * character (nch+1 entries). */
static void match_cjk(acc_t *acc, const char *run, const size_t *offs, size_t nch, int part) {
  uint8_t cnt[MAX_RECORDS];
  memset(cnt, 0, hs__record_count);
  size_t grams = nch == 1 ? 1 : nch - 1;
  for (size_t i = 0; i < grams; i++) {
    size_t len = (nch == 1 ? offs[1] : offs[i + 2]) - offs[i];
    const hs__term_t *t = find_zh(run + offs[i], len);
    if (!t)
      continue;
    for (uint32_t j = 0; j < t->count; j++) {
      const hs__posting_t *p = &hs__postings[t->start + j];
      acc->score[p->record] += p->weight * (nch == 1 ? 4 : 10);
      if (cnt[p->record] < 255)
        cnt[p->record]++;
    }
  }
  for (size_t r = 0; r < hs__record_count; r++)
    if (cnt[r] >= grams)
      acc->parts[r] |= (uint16_t)(1u << part);
}

/* Length of the UTF-8 sequence at p if it encodes a CJK ideograph, else 0. */
static size_t cjk_len(const unsigned char *p) {
  if (p[0] >= 0xE3 && p[0] <= 0xE9 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
    unsigned cp = ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
    if ((cp >= 0x3400 && cp <= 0x9FFF))
      return 3;
  }
  return 0;
}

/* ASCII case-insensitive substring test. */
static int contains_ci(const char *hay, const char *needle, size_t n) {
  if (!hay || n == 0)
    return 0;
  for (; *hay; hay++) {
    size_t i = 0;
    for (; i < n && hay[i]; i++) {
      char a = hay[i], b = needle[i];
      if (a >= 'A' && a <= 'Z')
        a = (char)(a - 'A' + 'a');
      if (b >= 'A' && b <= 'Z')
        b = (char)(b - 'A' + 'a');
      if (a != b)
        break;
    }
    if (i == n)
      return 1;
  }
  return 0;
}

/* Bonus for records whose name or alias contains the whole query. */
static int phrase_bonus(const hs_status_t *r, const char *q, size_t n) {
  if (contains_ci(r->phrase, q, n) || (r->phrase_zh && strstr(r->phrase_zh, q)))
    return 60;
  for (const char *const *a = r->aliases; a && *a; a++)
    if (contains_ci(*a, q, n))
      return 50;
  return 0;
}

/* Exact code matches: "404", "403.14". */
static void match_number(acc_t *acc, const char *s, size_t n, int part) {
  long code = 0, sub = -1;
  size_t i = 0;
  for (; i < n && s[i] >= '0' && s[i] <= '9' && code < 100000; i++)
    code = code * 10 + (s[i] - '0');
  if (i < n && s[i] == '.') {
    sub = 0;
    for (i++; i < n && s[i] >= '0' && s[i] <= '9' && sub < 100000; i++)
      sub = sub * 10 + (s[i] - '0');
  }
  for (size_t r = 0; r < hs__record_count; r++) {
    const hs_status_t *rec = &hs__records[r];
    if (rec->code == code && (sub < 0 || rec->sub == sub)) {
      acc->score[r] += 1000;
      acc->parts[r] |= (uint16_t)(1u << part);
    }
  }
}

/* Length of the run of ASCII digits that ends w[0..n). */
static size_t strspn_digits_back(const char *w, size_t n) {
  size_t k = 0;
  while (k < n && w[n - 1 - k] >= '0' && w[n - 1 - k] <= '9')
    k++;
  return k;
}

static int cmp_hits(const void *a, const void *b) {
  const hs_hit_t *x = a, *y = b;
  if (x->score != y->score)
    return y->score - x->score;
  if (x->status->ns != y->status->ns)
    return (int)x->status->ns - (int)y->status->ns;
  if (x->status->code != y->status->code)
    return x->status->code - y->status->code;
  if (x->status->sub != y->status->sub)
    return x->status->sub - y->status->sub;
  /* meanings of one number: table order, which is the data's prevalence rank */
  return x->status < y->status ? -1 : x->status > y->status;
}

size_t hs_search(const char *query, unsigned ns_mask, hs_hit_t *out, size_t max) {
  return hs_search_ex(query, ns_mask, out, max, NULL);
}

size_t hs_search_ex(const char *query, unsigned ns_mask, hs_hit_t *out, size_t max, size_t *total) {
  if (total)
    *total = 0;
  if (!query || !out || max == 0 || hs__record_count > MAX_RECORDS)
    return 0;
  acc_t acc;
  memset(acc.score, 0, sizeof(int) * hs__record_count);
  memset(acc.parts, 0, sizeof(uint16_t) * hs__record_count);
  memset(acc.part, 0, sizeof(int) * hs__record_count);
  const unsigned char *p = (const unsigned char *)query;
  int part = 0;
  while (*p && part < MAX_PARTS) {
    if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')) {
      char w[MAX_WORD + 1];
      size_t n = 0;
      int digits = 1;
      const unsigned char *start = p;
      while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
             (*p == '.' && digits && p[1] >= '0' && p[1] <= '9')) {
        char c = (char)*p;
        if (c >= 'A' && c <= 'Z')
          c = (char)(c - 'A' + 'a');
        if (!(c >= '0' && c <= '9') && c != '.')
          digits = 0;
        if (n < MAX_WORD)
          w[n++] = c;
        p++;
      }
      w[n] = '\0';
      size_t tail = strspn_digits_back(w, n);
      if (!digits && tail >= 3 && tail <= 4 && tail < n) {
        /* "E404", "HTTP503", "err502": the code, plus the letters as a word */
        match_number(&acc, (const char *)p - tail, tail, part++);
        w[n - tail] = '\0';
        if (n - tail >= 2 && !is_stop(w) && part < MAX_PARTS)
          match_word(&acc, w, n - tail, part++);
        continue;
      }
      if (digits) {
        match_number(&acc, (const char *)start, (size_t)(p - start), part++);
      } else if (n >= 2 && !is_stop(w)) {
        match_word(&acc, w, n, part++);
      }
      continue;
    }
    size_t cl = cjk_len(p);
    if (cl) {
      size_t offs[65];
      size_t nch = 0;
      const unsigned char *start = p;
      while ((cl = cjk_len(p)) && nch < 64) {
        offs[nch++] = (size_t)(p - start);
        p += cl;
      }
      offs[nch] = (size_t)(p - start);
      match_cjk(&acc, (const char *)start, offs, nch, part++);
      continue;
    }
    p++;
  }
  if (part == 0)
    return 0;
  /* trim the query for the phrase bonus */
  const char *q = query;
  while (*q == ' ')
    q++;
  size_t qn = strlen(q);
  while (qn && q[qn - 1] == ' ')
    qn--;
  char qbuf[256];
  if (qn >= sizeof qbuf)
    qn = sizeof qbuf - 1;
  memcpy(qbuf, q, qn);
  qbuf[qn] = '\0';

  /* relevance: the weights of what matched plus the name bonus */
  int rel[MAX_RECORDS];
  int best_parts = 0;
  for (size_t r = 0; r < hs__record_count; r++) {
    rel[r] = 0;
    if (acc.score[r] <= 0 || (ns_mask && !(ns_mask & (1u << hs__records[r].ns))))
      continue;
    rel[r] = acc.score[r] + phrase_bonus(&hs__records[r], qbuf, qn);
    if (__builtin_popcount(acc.parts[r]) > best_parts)
      best_parts = __builtin_popcount(acc.parts[r]);
  }
  /* Keep only records that match as many query parts as the best one does, and
   * drop the tail whose relevance is below a sixth of the best (a passing
   * mention in a scenario). */
  int best_rel = 0;
  for (size_t r = 0; r < hs__record_count; r++)
    if (rel[r] > best_rel && __builtin_popcount(acc.parts[r]) == best_parts)
      best_rel = rel[r];
  hs_hit_t cand[MAX_RECORDS];
  size_t nc = 0;
  for (size_t r = 0; r < hs__record_count; r++) {
    if (rel[r] <= 0 || __builtin_popcount(acc.parts[r]) != best_parts || rel[r] < best_rel / 6)
      continue;
    const hs_status_t *rec = &hs__records[r];
    /* official HTTP codes first among records about as relevant */
    int prior = rec->ns == HS_NS_HTTP ? 70 : 0;
    cand[nc].status = rec;
    cand[nc].score = rel[r] + 300 * best_parts + prior;
    cand[nc].matched = (uint16_t)best_parts;
    cand[nc].parts = (uint16_t)part;
    nc++;
  }
  qsort(cand, nc, sizeof cand[0], cmp_hits);
  if (total)
    *total = nc;
  size_t n = nc < max ? nc : max;
  memcpy(out, cand, n * sizeof cand[0]);
  return n;
}
