/* UTF-8 aware word wrapping for terminal output (CJK text breaks between
 * characters, Latin text at spaces). */
#include <string.h>

#include "cli.h"

/* Decode one UTF-8 sequence; returns its byte length (1 for invalid bytes). */
static int utf8_next(const unsigned char *s, unsigned *cp) {
  if (s[0] < 0x80) {
    *cp = s[0];
    return 1;
  }
  if ((s[0] & 0xE0) == 0xC0 && (s[1] & 0xC0) == 0x80) {
    *cp = ((s[0] & 0x1Fu) << 6) | (s[1] & 0x3Fu);
    return 2;
  }
  if ((s[0] & 0xF0) == 0xE0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
    *cp = ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
    return 3;
  }
  if ((s[0] & 0xF8) == 0xF0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 &&
      (s[3] & 0xC0) == 0x80) {
    *cp = ((s[0] & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu);
    return 4;
  }
  *cp = 0xFFFD;
  return 1;
}

static int cp_width(unsigned cp) {
  if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
      (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
      (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
      (cp >= 0xFFE0 && cp <= 0xFFE6))
    return 2;
  return 1;
}

/* Characters that must not begin a line (CJK closing punctuation). */
static int no_line_start(unsigned cp) {
  static const unsigned list[] = {0xFF0C, 0x3002, 0x3001, 0xFF1B, 0xFF1A, 0xFF1F, 0xFF01, 0xFF09,
                                  0x300D, 0x300F, 0x3011, 0x300B, 0x201D, 0x2019, 0xFF0E, 0x3009};
  for (size_t i = 0; i < sizeof list / sizeof list[0]; i++)
    if (cp == list[i])
      return 1;
  return 0;
}

int hs__display_width(const char *s) {
  int w = 0;
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    unsigned cp;
    p += utf8_next(p, &cp);
    w += cp_width(cp);
  }
  return w;
}

/* Greedy wrap: a line may break after a space or before/after a wide character.
 * Paragraph breaks ("\n\n") in the text are kept as blank lines. */
void hs__print_wrapped(FILE *out, const char *text, int indent, int width) {
  hs__print_wrapped2(out, text, indent, indent, width);
}

/* Like hs__print_wrapped, but the first line is indented by `first` (its prefix
 * was already printed by the caller). */
void hs__print_wrapped2(FILE *out, const char *text, int first, int indent, int width) {
  const unsigned char *p = (const unsigned char *)text;
  int avail = width - indent > 20 ? width - indent : 20;
  int cur = first;
  while (*p) {
    /* one output line: find the furthest break point that fits */
    const unsigned char *q = p, *brk = NULL, *next = NULL;
    int w = 0;
    while (*q && *q != '\n') {
      unsigned cp;
      int n = utf8_next(q, &cp);
      int cw = cp_width(cp);
      if (w + cw > avail)
        break;
      if (cp == ' ') {
        brk = q;
        next = q + 1;
      } else if (cw == 2) {
        unsigned nx = 0;
        if (q[n])
          utf8_next(q + n, &nx);
        if (!no_line_start(nx)) { /* never start a line with closing punctuation */
          brk = q + n;
          next = q + n;
        }
      }
      w += cw;
      q += n;
    }
    if (!*q || *q == '\n' || !brk) {
      brk = q;
      next = q;
      if (*q == '\n')
        next = q + 1;
    }
    fprintf(out, "%*s%.*s\n", cur, "", (int)(brk - p), (const char *)p);
    cur = indent;
    p = next;
    if (*p == '\n') { /* paragraph break */
      fputc('\n', out);
      while (*p == '\n')
        p++;
    }
    while (*p == ' ')
      p++;
  }
}
