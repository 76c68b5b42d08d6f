/* URI authority syntax for Host and :authority (RFC 3986 §3.2.2, §3.2.3): a
 * server MUST answer 400 to an invalid Host (RFC 9112 §3.2). */
#include "http/authority.h"

#include <arpa/inet.h>
#include <string.h>

/* unreserved / sub-delims (RFC 3986 §2.2, §2.3); '%' is checked apart. The
 * table is constant, so worker threads share it without synchronisation. */
static const uint8_t reg_name_char[256] = {
    ['a' ... 'z'] = 1, ['A' ... 'Z'] = 1, ['0' ... '9'] = 1, ['-'] = 1, ['.'] = 1,  ['_'] = 1,
    ['~'] = 1,         ['!'] = 1,         ['$'] = 1,         ['&'] = 1, ['\''] = 1, ['('] = 1,
    [')'] = 1,         ['*'] = 1,         ['+'] = 1,         [','] = 1, [';'] = 1,  ['='] = 1};

static int is_hex(unsigned char c) {
  return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

/* reg-name = *( unreserved / pct-encoded / sub-delims ); IPv4address is a
 * subset of it. */
static int reg_name_valid(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '%') {
      if (i + 2 >= n || !is_hex((unsigned char)s[i + 1]) || !is_hex((unsigned char)s[i + 2]))
        return 0;
      i += 2;
    } else if (!reg_name_char[c]) {
      return 0;
    }
  }
  return 1;
}

/* IP-literal content: IPv6address (checked by inet_pton) or IPvFuture =
 * "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" ). */
static int ip_literal_valid(const char *s, size_t n) {
  if (n && (s[0] == 'v' || s[0] == 'V')) {
    size_t i = 1;
    while (i < n && is_hex((unsigned char)s[i]))
      i++;
    if (i == 1 || i >= n || s[i] != '.' || i + 1 == n)
      return 0;
    for (i++; i < n; i++)
      if (s[i] != ':' && !reg_name_char[(unsigned char)s[i]])
        return 0;
    return 1;
  }
  char text[INET6_ADDRSTRLEN];
  unsigned char addr[16];
  if (n == 0 || n >= sizeof(text))
    return 0;
  memcpy(text, s, n);
  text[n] = 0;
  return inet_pton(AF_INET6, text, addr) == 1;
}

int hs__authority_valid(hs__str_t v) {
  const char *s = v.ptr, *end = v.ptr + v.len;
  const char *host_end;
  if (v.len && s[0] == '[') {
    const char *close = memchr(s, ']', v.len);
    if (!close || !ip_literal_valid(s + 1, (size_t)(close - s - 1)))
      return 0;
    host_end = close + 1;
    if (host_end < end && *host_end != ':')
      return 0;
  } else {
    host_end = v.len ? memchr(s, ':', v.len) : NULL;
    if (!host_end)
      host_end = end;
    if (!reg_name_valid(s, (size_t)(host_end - s)))
      return 0;
  }
  if (host_end == end)
    return 1;
  for (const char *p = host_end + 1; p < end; p++) /* port = *DIGIT */
    if (*p < '0' || *p > '9')
      return 0;
  return 1;
}
