/* FTP command lines (RFC 959 §5.3): a verb of letters, then an argument
 * after one space; and the address arguments of PORT (RFC 959 §4.1.2) and
 * EPRT (RFC 2428 §2). */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "ftp/ftp.h"

int hs__ftp_parse(char *line, size_t len, hs__ftp_cmd_t *cmd) {
  memset(cmd, 0, sizeof(*cmd));
  cmd->arg = "";
  if (memchr(line, 0, len))
    return -1;
  size_t i = 0;
  while (i < len && line[i] != ' ') {
    char c = line[i];
    if (c >= 'a' && c <= 'z')
      c = (char)(c - 'a' + 'A');
    if (c < 'A' || c > 'Z' || i >= 4)
      return -1;
    cmd->verb[i++] = c;
  }
  if (i < 3) {
    cmd->verb[0] = 0;
    return -1;
  }
  cmd->verb[i] = 0;
  if (i < len) { /* one space, then the argument (trailing spaces dropped) */
    size_t end = len;
    while (end > i + 1 && line[end - 1] == ' ')
      end--;
    line[end] = 0;
    cmd->arg = line + i + 1;
    cmd->arg_len = end - i - 1;
    cmd->has_arg = cmd->arg_len > 0;
  }
  return 0;
}

/* Reads a decimal number in [0, max] at *p, which moves past it. */
static int number(const char **p, unsigned long max, unsigned long *v) {
  const char *s = *p;
  if (*s < '0' || *s > '9')
    return -1;
  unsigned long x = 0;
  while (*s >= '0' && *s <= '9') {
    x = x * 10 + (unsigned long)(*s++ - '0');
    if (x > max)
      return -1;
  }
  *p = s;
  *v = x;
  return 0;
}

int hs__ftp_parse_port(const char *arg, hs__ftp_addr_t *a) {
  unsigned long v[6];
  const char *p = arg;
  for (int i = 0; i < 6; i++) {
    if (number(&p, 255, &v[i]) != 0)
      return -1;
    if (i < 5 && *p++ != ',')
      return -1;
  }
  if (*p)
    return -1;
  memset(a, 0, sizeof(*a));
  for (int i = 0; i < 4; i++)
    a->ip[i] = (unsigned char)v[i];
  a->port = (uint16_t)(v[4] * 256 + v[5]);
  return 0;
}

int hs__ftp_parse_eprt(const char *arg, hs__ftp_addr_t *a) {
  char d = arg[0]; /* the delimiter: any printable ASCII character (RFC 2428 §2) */
  if (d < 33 || d > 126)
    return -1;
  const char *p = arg + 1;
  unsigned long af, port;
  if (number(&p, 255, &af) != 0 || *p++ != d)
    return -1;
  const char *end = strchr(p, d);
  if (!end || end - p >= 64)
    return -1;
  char host[64];
  memcpy(host, p, (size_t)(end - p));
  host[end - p] = 0;
  p = end + 1;
  if (number(&p, 65535, &port) != 0 || *p++ != d || *p)
    return -1;
  if (af != 1 && af != 2)
    return -2;
  memset(a, 0, sizeof(*a));
  a->v6 = af == 2;
  if (inet_pton(a->v6 ? AF_INET6 : AF_INET, host, a->ip) != 1)
    return -1;
  a->port = (uint16_t)port;
  return 0;
}
