/* `--ftp-*` options of `httpstatus serve` (docs/ftp.md), apart from
 * --ftp-listen, which options.c parses with the other addresses. */
#include <stdlib.h>
#include <string.h>

#include "http/config.h"

void hs__ftp_config_defaults(hs__ftp_config_t *f) {
  memset(f, 0, sizeof(*f));
  strcpy(f->host, "127.0.0.1");
  f->max_sessions = 100;
  f->max_per_ip = 20;
  f->max_data = 1000;
  f->idle_ms = 300000;
  f->data_ms = 30000;
  f->max_file = 1024 * 1024;
  f->quota = 4 * 1024 * 1024;
  f->pasv_lo = 50000;
  f->pasv_hi = 59999;
}

/* A whole number in [lo, hi]. */
static int count(const char *s, unsigned long lo, unsigned long hi, unsigned *v) {
  char *end;
  if (*s < '0' || *s > '9')
    return 1;
  unsigned long x = strtoul(s, &end, 10);
  if (*end || x < lo || x > hi)
    return 1;
  *v = (unsigned)x;
  return 0;
}

int hs__ftp_config_option(hs__ftp_config_t *f, const char *name, const char *val) {
  if (strcmp(name, "--ftp-max-sessions") == 0)
    return count(val, 1, 1000000, &f->max_sessions);
  if (strcmp(name, "--ftp-max-per-ip") == 0)
    return count(val, 0, 1000000, &f->max_per_ip);
  if (strcmp(name, "--ftp-max-data") == 0)
    return count(val, 1, 100000000, &f->max_data);
  if (strcmp(name, "--ftp-idle-timeout") == 0)
    return hs__parse_duration(val, &f->idle_ms) != 0 || !f->idle_ms;
  if (strcmp(name, "--ftp-data-timeout") == 0)
    return hs__parse_duration(val, &f->data_ms) != 0 || !f->data_ms;
  if (strcmp(name, "--ftp-busy") == 0)
    return hs__parse_duration(val, &f->busy_ms) != 0;
  if (strcmp(name, "--ftp-max-file") == 0)
    return hs__parse_size(val, &f->max_file) != 0;
  if (strcmp(name, "--ftp-quota") == 0)
    return hs__parse_size(val, &f->quota) != 0;
  if (strcmp(name, "--ftp-pasv-ports") == 0) { /* LO-HI, or 0 */
    char *end;
    unsigned long lo = strtoul(val, &end, 10), hi = lo;
    if (*end == '-')
      hi = strtoul(end + 1, &end, 10);
    if (*end || hi < lo || hi > 65535 || (lo && lo < 1024))
      return 1;
    f->pasv_lo = (unsigned)lo;
    f->pasv_hi = (unsigned)hi;
    return 0;
  }
  if (strcmp(name, "--ftp-lang") == 0) {
    if (strcmp(val, "en") == 0)
      f->lang = 0;
    else if (strcmp(val, "zh") == 0)
      f->lang = 1;
    else
      return 1;
    return 0;
  }
  return -1;
}
