/* FTP file, directory and transfer commands (RFC 959 §4.1.2-3, RFC 2428,
 * RFC 3659, RFC 1639 LPSV/LPRT) on the session's in-memory tree. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ftp/ftp_int.h"

static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* "YYYYMMDDHHMMSS" in UTC (RFC 3659 §2.3). */
static void timeval(int64_t t, char out[16]) {
  time_t tt = (time_t)t;
  struct tm tm;
  gmtime_r(&tt, &tm);
  snprintf(out, 16, "%04u%02u%02u%02u%02u%02u", (unsigned)(tm.tm_year + 1900) % 10000u,
           (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u,
           (unsigned)tm.tm_hour % 100u, (unsigned)tm.tm_min % 100u, (unsigned)tm.tm_sec % 100u);
}

/* The file or directory an argument names; 550 when missing. */
static hs__ftp_node_t *find(hs__ftp_t *s, const hs__ftp_cmd_t *c) {
  hs__ftp_node_t *n = hs__ftp_fs_find(&s->fs, s->cwd, c->has_arg ? c->arg : ".");
  if (n && s->user == USER_ANON && hs__ftp_fs_within(n, hs__ftp_fs_child(s->fs.root, "private"))) {
    hs__ftp_say(s, 550, "permission denied: private/ is not for anonymous");
    return NULL;
  }
  if (!n)
    hs__ftp_say(s, 550, "no such file or directory");
  return n;
}

/* ---- directories ---- */

static unsigned cmd_pwd(hs__ftp_t *s, const hs__ftp_cmd_t *c) {
  char p[HS_FTP_MAX_PATH + 1], t[2 * HS_FTP_MAX_PATH + 64];
  hs__ftp_fs_path(s->cwd, p, sizeof p);
  size_t k = 0;
  t[k++] = '"';
  for (const char *q = p; *q; q++) { /* RFC 959 Appendix II: a quote is doubled */
    if (*q == '"')
      t[k++] = '"';
    t[k++] = *q;
  }
  snprintf(t + k, sizeof t - k, "\" is the current directory");
  hs__ftp_reply_raw(s->out, 257, t);
  return 0;
}

static unsigned cmd_cwd(hs__ftp_t *s, const hs__ftp_cmd_t *c) {
  hs__ftp_node_t *n = find(s, c);
  if (!n)
    return 0;
  if (!n->dir) {
    hs__ftp_say(s, 550, "not a directory");
    return 0;
  }
  s->cwd = n;
  hs__ftp_say(s, 250, "directory changed");
  return 0;
}

static unsigned cmd_cdup(hs__ftp_t *s, const hs__ftp_cmd_t *c) {
  if (s->cwd->parent)
    s->cwd = s->cwd->parent;
  hs__ftp_say(s, 250, "directory changed");
  return 0;
}

/* The parent directory of a new name; replies 553/550 and returns NULL if
 * there is none. */
static hs__ftp_node_t *parent_for_new(hs__ftp_t *s, const char *path, char *name) {
  int bad = 0;
  hs__ftp_node_t *dir = hs__ftp_fs_parent(&s->fs, s->cwd, path, name, &bad);
  if (bad)
    hs__ftp_say(
        s, 553,
        "file name not allowed (empty, '.', '..', over 255 bytes, * ? \\ or a control byte)");
  else if (!dir)
    hs__ftp_say(s, 550, "no such directory");
  return dir;
}

static unsigned cmd_mkd(hs__ftp_t *s, const hs__ftp_cmd_t *c) {
  char name[HS_FTP_MAX_NAME + 1], p[HS_FTP_MAX_PATH + 1];
  if (!hs__ftp_may_write(s))
    return 0;
  hs__ftp_node_t *dir = parent_for_new(s, c->arg, name);
  if (!dir)
    return 0;
  hs__ftp_fs_path(dir, p, sizeof p);
  if (strlen(p) + strlen(name) + 2 > HS_FTP_MAX_PATH) {
    hs__ftp_say(s, 553, "path too long");
    return 0;
  }
  if (hs__ftp_fs_child(dir, name)) {
    hs__ftp_say(s, 550, "already exists");
    return 0;
  }
  hs__ftp_node_t *n = hs__ftp_fs_add(&s->fs, dir, name, 1, s->io.now ? s->io.now(s->io.ud) : 0);
  if (!n) {
    hs__ftp_say(s, 452, "too many files in this session");
    return 0;
  }
  char t[HS_FTP_MAX_PATH + 32];
  hs__ftp_fs_path(n, p, sizeof p);
  snprintf(t, sizeof t, "\"%s\" created", p);
  hs__ftp_reply_raw(s->out, 257, t);
  return 0;
}

static unsigned cmd_rmd(hs__ftp_t *s, const hs__ftp_cmd_t *c) {
  if (!hs__ftp_may_write(s))
    return 0;
  hs__ftp_node_t *n = find(s, c);
  if (!n)
    return 0;
  if (!n->dir || !n->parent || n->child || hs__ftp_fs_within(s->cwd, n)) {
    hs__ftp_say(s, 550, !n->dir ? "not a directory" : "directory not empty or in use");
    return 0;
  }
  hs__ftp_fs_remove(&s->fs, n);
  hs__ftp_say(s, 250, "directory removed");
  return 0;
}

static unsigned cmd_dele(hs__ftp_t *s, const hs__ftp_cmd_t *c) {
  if (!hs__ftp_may_write(s))
    return 0;
  hs__ftp_node_t *n = find(s, c);
  if (!n)
    return 0;
  if (n->dir) {
    hs__ftp_say(s, 550, "a directory: use RMD");
  } else if (n->busy || strcmp(n->name, "busy.txt") == 0) {
    hs__ftp_say(s, 450, "file busy: try again later (busy.txt always is)");
  } else {
    hs__ftp_fs_remove(&s->fs, n);
    hs__ftp_say(s, 250, "file deleted");
  }
  return 0;
}

static unsigned cmd_rnfr(hs__ftp_t *s, const hs__ftp_cmd_t *c) {
  if (!hs__ftp_may_write(s))
    return 0;
  hs__ftp_node_t *n = find(s, c);
  if (!n)
    return 0;
  if (!n->parent || n->busy) {
    hs__ftp_say(s, 550, "cannot rename this");
    return 0;
  }
  s->rnfr = n;
  s->rnfr_fresh = 1;
  hs__ftp_say(s, 350, "ready for RNTO");
  return 0;
}

static unsigned cmd_rnto(hs__ftp_t *s, const hs__ftp_cmd_t *c) {
  hs__ftp_node_t *from = s->rnfr;
  s->rnfr = NULL;
  if (!from) {
    hs__ftp_say(s, 503, "send RNFR first");
    return 0;
  }
  char name[HS_FTP_MAX_NAME + 1];
  hs__ftp_node_t *dir = parent_for_new(s, c->arg, name);
  if (!dir)
    return 0;
  if (hs__ftp_fs_child(dir, name) || hs__ftp_fs_within(dir, from)) {
    hs__ftp_say(s, 550, "the target exists or is inside the source");
    return 0;
  }
  if (hs__ftp_fs_move(from, dir, name) != 0) {
    hs__ftp_say(s, 451, "out of memory");
    return 0;
  }
  hs__ftp_say(s, 250, "renamed");
  return 0;
}

/* ---- file status (RFC 3659) ---- */

static unsigned cmd_size(hs__ftp_t *s, const hs__ftp_cmd_t *c) {
  hs__ftp_node_t *n = find(s, c);
  if (!n)
    return 0;
  if (n->dir) {
    hs__ftp_say(s, 550, "not a plain file");
    return 0;
  }
  char t[32];
  snprintf(t, sizeof t, "%zu", n->size);
  hs__ftp_reply_raw(s->out, 213, t);
  return 0;
}

static unsigned cmd_mdtm(hs__ftp_t *s, const hs__ftp_cmd_t *c) {
  hs__ftp_node_t *n = find(s, c);
  if (!n)
    return 0;
  if (n->dir) {
    hs__ftp_say(s, 550, "not a plain file");
    return 0;
  }
  char t[16];
  timeval(n->mtime, t);
  hs__ftp_reply_raw(s->out, 213, t);
  return 0;
}

/* One MLSx fact line (RFC 3659 §7): "type=..;size=..;modify=..;perm=..; name". */
static void facts(hs__ftp_t *s, hs__buf_t *b, const hs__ftp_node_t *n, const char *name,
                  const char *type) {
  char t[16];
  timeval(n->mtime, t);
  const char *perm = s->user == USER_ANON ? (n->dir ? "el" : "r") : (n->dir ? "elcmfp" : "rwadf");
  if (n->dir)
    hs__buf_printf(b, "type=%s;modify=%s;perm=%s; %s\r\n", type, t, perm, name);
  else
    hs__buf_printf(b, "type=file;size=%zu;modify=%s;perm=%s; %s\r\n", n->size, t, perm, name);
}

static unsigned cmd_mlst(hs__ftp_t *s, const hs__ftp_cmd_t *c) {
  hs__ftp_node_t *n = find(s, c);
  if (!n)
    return 0;
  char p[HS_FTP_MAX_PATH + 1];
  hs__ftp_fs_path(n, p, sizeof p);
  hs__buf_t b;
  hs__buf_init(&b, NULL);
  hs__buf_lit(&b, " ");
  facts(s, &b, n, p, "dir");
  hs__buf_printf(s->out, "250-Listing %s\r\n", p);
  hs__buf_append(s->out, b.base, b.len);
  hs__buf_lit(s->out, "250 End\r\n");
  hs__buf_release(&b);
  return 0;
}

/* STAT with a path: 212 for a directory, 213 for a file (RFC 959 §4.1.3). */
static unsigned cmd_stat_path(hs__ftp_t *s, const hs__ftp_cmd_t *c) {
  hs__ftp_node_t *n = find(s, c);
  if (!n)
    return 0;
  int code = n->dir ? 212 : 213;
  char p[HS_FTP_MAX_PATH + 1]; /* the resolved path: the argument may hold any byte */
  hs__ftp_fs_path(n, p, sizeof p);
  hs__buf_printf(s->out, "%d-Status of %s:\r\n", code, p);
  for (const hs__ftp_node_t *k = n->dir ? n->child : n; k; k = n->dir ? k->next : NULL)
    hs__buf_printf(s->out, " %s %zu %s\r\n", k->dir ? "dir " : "file", k->size, k->name);
  hs__buf_printf(s->out, "%d End of status\r\n", code);
  return 0;
}

/* ---- data connections ---- */

/* Counts one more data connection; replies 425 and returns 0 past the limit. */
static int data_allowed(hs__ftp_t *s) {
  if (s->data_count >= s->o.max_data) {
    hs__ftp_say(s, 425, "this session has used all its data connections");
    return 0;
  }
  s->data_count++;
  return 1;
}

/* PASV, EPSV and LPSV: a listener; `kind` 0 PASV, 1 EPSV, 2 LPSV. */
static void passive(hs__ftp_t *s, int kind) {
  if (s->epsv_all && kind != 1) {
    hs__ftp_say(s, 503, "after EPSV ALL only EPSV sets up data connections");
    return;
  }
  if (kind == 0 && s->o.local_v6) {
    hs__ftp_say(s, 521, "PASV cannot name an IPv6 address: use EPSV");
    return;
  }
  if (!data_allowed(s))
    return;
  hs__ftp_xfer_reset(s);
  int port = s->io.passive(s->io.ud);
  if (port <= 0) {
    hs__ftp_say(s, 425, "cannot listen for a data connection");
    return;
  }
  s->mode = DATA_PASV;
  char t[160];
  const unsigned char *ip = s->o.local_ip;
  if (kind == 1) {
    snprintf(t, sizeof t, "Entering Extended Passive Mode (|||%d|)", port);
    hs__ftp_reply_raw(s->out, 229, t);
  } else if (kind == 0) {
    snprintf(t, sizeof t, "Entering Passive Mode (%u,%u,%u,%u,%d,%d)", ip[0], ip[1], ip[2], ip[3],
             port >> 8, port & 0xff);
    hs__ftp_reply_raw(s->out, 227, t);
  } else {
    int k = snprintf(t, sizeof t, "Entering Long Passive Mode (%d,%d", s->o.local_v6 ? 6 : 4,
                     s->o.local_v6 ? 16 : 4);
    for (int i = 0; i < (s->o.local_v6 ? 16 : 4); i++)
      k += snprintf(t + k, sizeof t - (size_t)k, ",%u", ip[i]);
    snprintf(t + k, sizeof t - (size_t)k, ",2,%d,%d)", port >> 8, port & 0xff);
    hs__ftp_reply_raw(s->out, 228, t);
  }
}

static unsigned cmd_pasv(hs__ftp_t *s, const hs__ftp_cmd_t *c) {
  passive(s, 0);
  return 0;
}
static unsigned cmd_lpsv(hs__ftp_t *s, const hs__ftp_cmd_t *c) {
  passive(s, 2);
  return 0;
}

static unsigned cmd_epsv(hs__ftp_t *s, const hs__ftp_cmd_t *c) {
  if (strcasecmp(c->arg, "ALL") == 0) { /* RFC 2428 §3 */
    s->epsv_all = 1;
    hs__ftp_say(s, 200, "EPSV ALL: only EPSV from now on");
    return 0;
  }
  if (c->has_arg && strcmp(c->arg, s->o.local_v6 ? "2" : "1") != 0) {
    hs__ftp_reply_raw(s->out, 522,
                      s->o.local_v6 ? "Network protocol not supported, use (2)"
                                    : "Network protocol not supported, use (1)");
    return 0;
  }
  passive(s, 1);
  return 0;
}

/* PORT, EPRT, LPRT: where the server connects. RFC 2577 §3: only to the
 * client's own kind of address and ports from 1024 (no bounce attacks). */
static void active(hs__ftp_t *s, const hs__ftp_addr_t *a) {
  if (s->epsv_all) {
    hs__ftp_say(s, 503, "after EPSV ALL only EPSV sets up data connections");
    return;
  }
  if (a->v6 != s->o.local_v6) {
    hs__ftp_reply_raw(s->out, 522,
                      s->o.local_v6 ? "Network protocol not supported, use (2)"
                                    : "Network protocol not supported, use (1)");
    return;
  }
  if (a->port < 1024) {
    hs__ftp_say(s, 504, "ports below 1024 are refused (RFC 2577)");
    return;
  }
  if (!data_allowed(s))
    return;
  hs__ftp_xfer_reset(s);
  if (s->io.active(s->io.ud, a) != 0) {
    hs__ftp_say(s, 425, "cannot use that address");
    return;
  }
  s->mode = DATA_PORT;
  hs__ftp_say(s, 200, NULL);
}

static unsigned cmd_port(hs__ftp_t *s, const hs__ftp_cmd_t *c) {
  hs__ftp_addr_t a;
  if (hs__ftp_parse_port(c->arg, &a) != 0)
    hs__ftp_say(s, 501, "PORT h1,h2,h3,h4,p1,p2");
  else if (s->o.local_v6)
    hs__ftp_reply_raw(s->out, 522, "Network protocol not supported, use (2)");
  else
    active(s, &a);
  return 0;
}

static unsigned cmd_eprt(hs__ftp_t *s, const hs__ftp_cmd_t *c) {
  hs__ftp_addr_t a;
  int r = hs__ftp_parse_eprt(c->arg, &a);
  if (r == -2)
    hs__ftp_reply_raw(s->out, 522,
                      s->o.local_v6 ? "Network protocol not supported, use (2)"
                                    : "Network protocol not supported, use (1)");
  else if (r != 0)
    hs__ftp_say(s, 501, "EPRT |af|address|port|");
  else
    active(s, &a);
  return 0;
}

/* LPRT "af,hal,h1,...,pal,p1,p2" (RFC 1639 §2); unknown families → 521. */
static unsigned cmd_lprt(hs__ftp_t *s, const hs__ftp_cmd_t *c) {
  unsigned v[24];
  int n = 0;
  const char *p = c->arg;
  while (n < 24) {
    char *end;
    unsigned long x = strtoul(p, &end, 10);
    if (end == p || x > 255)
      break;
    v[n++] = (unsigned)x;
    if (*end != ',') {
      p = end;
      break;
    }
    p = end + 1;
  }
  if (n >= 1 && v[0] != 4 && v[0] != 6) {
    hs__ftp_reply_raw(s->out, 521, "Supported address families are (4, 6)");
    return 0;
  }
  int hal = v[0] == 4 ? 4 : 16;
  if (*p || n != 2 + hal + 3 || (int)v[1] != hal || v[2 + hal] != 2) {
    hs__ftp_say(s, 501, "LPRT af,hal,h1,...,pal,p1,p2");
    return 0;
  }
  hs__ftp_addr_t a;
  memset(&a, 0, sizeof a);
  a.v6 = hal == 16;
  for (int i = 0; i < hal; i++)
    a.ip[i] = (unsigned char)v[2 + i];
  a.port = (uint16_t)(v[3 + hal] * 256 + v[4 + hal]);
  active(s, &a);
  return 0;
}

/* Starts a transfer: 125 or 150, then the server does the rest. */
static void start(hs__ftp_t *s, hs__ftp_dir_t dir, hs__ftp_node_t *node, const char *data,
                  size_t len, const char *what) {
  if (s->mode == DATA_NONE) {
    hs__ftp_say(s, 425, "send PASV, EPSV, PORT or EPRT first");
    return;
  }
  s->xfer = 1;
  s->xdir = dir;
  s->xnode = node;
  hs__ftp_say(s, s->data_open ? 125 : 150, what);
  hs__ftp_xfer_t x = {dir, data, len};
  s->io.transfer(s->io.ud, &x);
}

static unsigned cmd_rest(hs__ftp_t *s, const hs__ftp_cmd_t *c) {
  uint64_t v = 0;
  const char *p = c->arg;
  for (; *p >= '0' && *p <= '9' && v < (1ULL << 50); p++)
    v = v * 10 + (uint64_t)(*p - '0');
  if (*p || p == c->arg) {
    hs__ftp_say(s, 501, "REST takes a byte offset (REST STREAM, RFC 3659 §5)");
    return 0;
  }
  s->rest = v;
  s->rest_set = 1;
  char t[64];
  snprintf(t, sizeof t, "Restarting at %llu. Send RETR, STOR or APPE", (unsigned long long)v);
  hs__ftp_reply_raw(s->out, 350, t);
  return 0;
}

static unsigned cmd_retr(hs__ftp_t *s, const hs__ftp_cmd_t *c) {
  uint64_t rest = s->rest_set ? s->rest : 0;
  int had_rest = s->rest_set;
  s->rest = 0;
  s->rest_set = 0;
  hs__ftp_node_t *n = find(s, c);
  if (!n)
    return 0;
  if (n->dir) {
    hs__ftp_say(s, 550, "not a plain file");
    return 0;
  }
  if (!n->parent->parent && strcmp(n->name, "busy.txt") == 0) {
    hs__ftp_say(s, 450, "file busy: try again later (busy.txt always is)");
    return 0;
  }
  if (!n->parent->parent && strcmp(n->name, "page.txt") == 0) {
    hs__ftp_say(s, 551, "page.txt is stored with page structure (STRU P), which is not offered");
    return 0;
  }
  if (rest > n->size) {
    hs__ftp_say(s, 554, "REST offset past the end of the file");
    return 0;
  }
  if (s->mode != DATA_NONE && had_rest && !n->parent->parent &&
      strcmp(n->name, "marker.txt") == 0) {
    char t[96]; /* RFC 959 §4.2: "MARK yyyy = mmmm" */
    snprintf(t, sizeof t, "MARK %llu = %llu", (unsigned long long)rest, (unsigned long long)rest);
    hs__ftp_reply_raw(s->out, 110, t);
  }
  int err = !n->parent->parent && strcmp(n->name, "error.txt") == 0;
  start(s, HS_FTP_SEND, n, n->data + rest, err ? 0 : n->size - rest, "opening data connection");
  if (s->xfer && err)
    s->xfail = 451;
  return 0;
}

/* STOR (mode 0), APPE (1), STOU (2). */
static unsigned store(hs__ftp_t *s, const hs__ftp_cmd_t *c, int mode) {
  uint64_t rest = s->rest_set ? s->rest : 0;
  s->rest = 0;
  s->rest_set = 0;
  if (!hs__ftp_may_write(s))
    return 0;
  char name[HS_FTP_MAX_NAME + 1];
  hs__ftp_node_t *dir;
  if (mode == 2) {
    dir = s->cwd;
    do
      snprintf(name, sizeof name, "stou.%u", ++s->stou_seq);
    while (hs__ftp_fs_child(dir, name));
  } else if (!(dir = parent_for_new(s, c->arg, name))) {
    return 0;
  }
  hs__ftp_node_t *n = hs__ftp_fs_child(dir, name);
  if (n && n->dir) {
    hs__ftp_say(s, 550, "a directory has that name");
    return 0;
  }
  if (n && (n->busy || (!n->parent->parent && strcmp(n->name, "busy.txt") == 0))) {
    hs__ftp_say(s, 450, "file busy: try again later (busy.txt always is)");
    return 0;
  }
  if (rest > (n ? n->size : 0)) { /* a new file is empty */
    hs__ftp_say(s, 554, "REST offset past the end of the file");
    return 0;
  }
  if (s->mode == DATA_NONE) {
    hs__ftp_say(s, 425, "send PASV, EPSV, PORT or EPRT first");
    return 0;
  }
  if (!n && !(n = hs__ftp_fs_add(&s->fs, dir, name, 0, s->io.now ? s->io.now(s->io.ud) : 0))) {
    hs__ftp_say(s, 452, "too many files in this session");
    return 0;
  }
  if (mode == 0 && rest) { /* keep the first `rest` bytes */
    size_t keep = (size_t)rest;
    if (!n->owned && hs__ftp_fs_append(&s->fs, n, "", 0) != 0) {
      hs__ftp_say(s, 451, "out of memory");
      return 0;
    }
    s->fs.stored -= n->size - keep;
    n->size = keep;
  } else if (mode == 0) {
    hs__ftp_fs_truncate(&s->fs, n);
  }
  char what[HS_FTP_MAX_NAME + 16];
  snprintf(what, sizeof what, mode == 2 ? "FILE: %s" : "receiving %s", name);
  start(s, HS_FTP_RECV, n, NULL, 0, what);
  return 0;
}

static unsigned cmd_stor(hs__ftp_t *s, const hs__ftp_cmd_t *c) { return store(s, c, 0); }
static unsigned cmd_appe(hs__ftp_t *s, const hs__ftp_cmd_t *c) { return store(s, c, 1); }
static unsigned cmd_stou(hs__ftp_t *s, const hs__ftp_cmd_t *c) { return store(s, c, 2); }

int hs__ftp_data_in(hs__ftp_t *s, const char *p, size_t n, hs__buf_t *out) {
  s->out = out;
  if (!s->xfer || s->xdir != HS_FTP_RECV || !s->xnode)
    return -1;
  hs__ftp_node_t *f = s->xnode;
  int code = 0;
  if (f->size + n > s->o.max_file)
    code = 552; /* RFC 959: the file's own allocation */
  else if (s->fs.stored + n > s->o.quota)
    code = 452; /* the session's storage */
  else if (hs__ftp_fs_append(&s->fs, f, p, n) != 0)
    code = 451;
  if (!code)
    return 0;
  hs__ftp_say(s, code,
              code == 552   ? "the file is larger than --ftp-max-file"
              : code == 452 ? "the session's uploads passed --ftp-quota"
                            : "out of memory");
  hs__ftp_xfer_reset(s);
  return -1;
}

/* ---- listings ---- */

/* LIST (ls -l lines), NLST (names) and MLSD (RFC 3659 §7) of a directory or
 * one file. */
static unsigned listing(hs__ftp_t *s, const hs__ftp_cmd_t *c, int kind) {
  hs__ftp_cmd_t cc = *c;
  if (kind != 2 && c->has_arg && c->arg[0] == '-') { /* "LIST -la": ls options, ignored */
    const char *sp = strchr(c->arg, ' ');
    cc.arg = sp ? sp + 1 : "";
    cc.has_arg = sp != NULL;
  }
  hs__ftp_node_t *n = find(s, &cc);
  if (!n)
    return 0;
  if (kind == 2 && !n->dir) {
    hs__ftp_say(s, 501, "MLSD lists directories: use MLST for a file");
    return 0;
  }
  if (s->mode == DATA_NONE) {
    hs__ftp_say(s, 425, "send PASV, EPSV, PORT or EPRT first");
    return 0;
  }
  hs__buf_release(&s->listing);
  hs__buf_t *b = &s->listing;
  if (kind == 2)
    facts(s, b, n, ".", "cdir");
  for (const hs__ftp_node_t *k = n->dir ? n->child : n; k; k = n->dir ? k->next : NULL) {
    if (kind == 1) {
      hs__buf_printf(b, "%s\r\n", k->name);
    } else if (kind == 2) {
      facts(s, b, k, k->name, "dir");
    } else {
      time_t tt = (time_t)k->mtime;
      struct tm tm;
      gmtime_r(&tt, &tm);
      hs__buf_printf(b, "%s 1 ftp ftp %12zu %s %2d %5d %s\r\n",
                     k->dir ? "drwxr-xr-x" : "-rw-r--r--", k->size, months[tm.tm_mon % 12],
                     tm.tm_mday, tm.tm_year + 1900, k->name);
    }
  }
  start(s, HS_FTP_SEND, NULL, b->base ? b->base : "", b->len, "here comes the listing");
  return 0;
}

static unsigned cmd_list(hs__ftp_t *s, const hs__ftp_cmd_t *c) { return listing(s, c, 0); }
static unsigned cmd_nlst(hs__ftp_t *s, const hs__ftp_cmd_t *c) { return listing(s, c, 1); }
static unsigned cmd_mlsd(hs__ftp_t *s, const hs__ftp_cmd_t *c) { return listing(s, c, 2); }

static unsigned cmd_abor(hs__ftp_t *s, const hs__ftp_cmd_t *c) {
  if (s->xfer) { /* RFC 959 §4.1.3: 426 for the transfer, then 226 for ABOR */
    s->io.data_close(s->io.ud);
    hs__ftp_say(s, 426, "transfer aborted by ABOR");
    hs__ftp_xfer_reset(s);
    hs__ftp_say(s, 226, "ABOR done");
  } else if (s->data_open) {
    hs__ftp_say(s, 225, "no transfer to abort; the data connection stays open");
  } else {
    hs__ftp_say(s, 226, "nothing to abort");
  }
  return 0;
}

static const struct {
  const char *verb;
  hs__ftp_cmd_fn fn;
  int needs_arg;
} file_commands[] = {
    {"PWD", cmd_pwd, 0},        {"XPWD", cmd_pwd, 0},  {"CWD", cmd_cwd, 1},   {"XCWD", cmd_cwd, 1},
    {"CDUP", cmd_cdup, 0},      {"XCUP", cmd_cdup, 0}, {"MKD", cmd_mkd, 1},   {"XMKD", cmd_mkd, 1},
    {"RMD", cmd_rmd, 1},        {"XRMD", cmd_rmd, 1},  {"DELE", cmd_dele, 1}, {"RNFR", cmd_rnfr, 1},
    {"RNTO", cmd_rnto, 1},      {"SIZE", cmd_size, 1}, {"MDTM", cmd_mdtm, 1}, {"MLST", cmd_mlst, 0},
    {"STAT", cmd_stat_path, 1}, {"PASV", cmd_pasv, 0}, {"EPSV", cmd_epsv, 0}, {"LPSV", cmd_lpsv, 0},
    {"PORT", cmd_port, 1},      {"EPRT", cmd_eprt, 1}, {"LPRT", cmd_lprt, 1}, {"REST", cmd_rest, 1},
    {"RETR", cmd_retr, 1},      {"STOR", cmd_stor, 1}, {"APPE", cmd_appe, 1}, {"STOU", cmd_stou, 0},
    {"LIST", cmd_list, 0},      {"NLST", cmd_nlst, 0}, {"MLSD", cmd_mlsd, 0}, {"ABOR", cmd_abor, 0},
};

hs__ftp_cmd_fn hs__ftp_file_cmd(const char *verb, int *needs_arg) {
  for (size_t i = 0; i < sizeof file_commands / sizeof file_commands[0]; i++)
    if (strcmp(file_commands[i].verb, verb) == 0) {
      if (needs_arg)
        *needs_arg = file_commands[i].needs_arg;
      return file_commands[i].fn;
    }
  return NULL;
}
