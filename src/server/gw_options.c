/* The gateway's `httpstatus serve` options (issue 19), kept apart from
 * options.c: --upstream URL, --gateway-codes, the upstream timeouts and
 * --upstream-toxics. */
#include "server/gw_options.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gateway/failure.h"
#include "gateway/toxics.h"

/* "http://host[:port][/]" or "https://..." (IPv6 in brackets). 0 or -1. */
static int parse_upstream(hs__config_t *c, const char *url) {
  int tls;
  const char *s;
  if (strncmp(url, "http://", 7) == 0)
    tls = 0, s = url + 7;
  else if (strncmp(url, "https://", 8) == 0)
    tls = 1, s = url + 8;
  else
    return -1;
  const char *end = s + strcspn(s, "/?#");
  if (*end && strcmp(end, "/") != 0)
    return -1; /* a path prefix is not supported: the request's path is sent as it is */
  const char *hs = s, *he, *colon;
  if (*s == '[') {
    hs = s + 1;
    he = memchr(hs, ']', (size_t)(end - hs));
    if (!he)
      return -1;
    colon = he + 1 < end && he[1] == ':' ? he + 1 : NULL;
  } else {
    colon = memchr(s, ':', (size_t)(end - s));
    he = colon ? colon : end;
  }
  size_t hl = (size_t)(he - hs);
  if (!hl || hl >= sizeof(c->upstream_host))
    return -1;
  int port = tls ? 443 : 80;
  if (colon) {
    char *pe;
    long v = strtol(colon + 1, &pe, 10);
    if (pe != end || v < 1 || v > 65535)
      return -1;
    port = (int)v;
  }
  memcpy(c->upstream_host, hs, hl);
  c->upstream_host[hl] = 0;
  c->upstream_port = port;
  c->upstream_tls = tls;
  return 0;
}

void hs__gw_config_defaults(hs__config_t *c) {
  c->gateway_codes = HS_GW_NGINX;
  c->upstream_connect_ms = 60000; /* nginx's proxy_connect_timeout */
  c->upstream_timeout_ms = 60000; /* proxy_read_timeout, before the head */
  c->upstream_idle_ms = 60000;    /* proxy_read_timeout, between reads */
}

int hs__gw_option(hs__config_t *c, const char *name, const char *val, FILE *err) {
  if (strcmp(name, "--upstream") == 0)
    return parse_upstream(c, val) ? 1 : 0;
  if (strcmp(name, "--tls-client-ca") == 0) {
    c->tls_client_ca = val;
    return 0;
  }
  if (strcmp(name, "--upstream-ca") == 0) {
    c->upstream_ca = val;
    return 0;
  }
  if (strcmp(name, "--upstream-toxics") == 0) { /* parsed again per request, on the query's */
    hs__gw_toxics_t t = {0};
    char why[200];
    if (hs__gw_toxics_parse(&t, val, strlen(val), why, sizeof(why)) != 0) {
      fprintf(err, "httpstatus serve: --upstream-toxics: %s\n", why);
      return 1;
    }
    c->upstream_toxics = val;
    return 0;
  }
  if (strcmp(name, "--gateway-codes") == 0) {
    int v = hs__gw_vendor_parse(val, strlen(val));
    if (v < 0)
      return 1;
    c->gateway_codes = v;
    return 0;
  }
  uint64_t *ms = strcmp(name, "--upstream-connect-timeout") == 0 ? &c->upstream_connect_ms
                 : strcmp(name, "--upstream-timeout") == 0       ? &c->upstream_timeout_ms
                 : strcmp(name, "--upstream-idle-timeout") == 0  ? &c->upstream_idle_ms
                                                                 : NULL;
  if (!ms)
    return -1;
  return hs__parse_duration(val, ms) || !*ms;
}
