/* The FTP session (ftp.h): input lines, login (RFC 959 §4.1.1), security
 * (RFC 4217), settings and status commands. File and transfer commands are in
 * ftp_cmds.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftp/ftp_int.h"

#define IAC 255

void hs__ftp_say(hs__ftp_t *s, int code, const char *detail) {
  hs__ftp_reply(s->out, code, s->o.lang, detail);
}

hs__ftp_t *hs__ftp_new(const hs__ftp_opts_t *o, const hs__ftp_io_t *io) {
  hs__ftp_t *s = calloc(1, sizeof(*s));
  if (!s)
    return NULL;
  s->o = *o;
  s->io = *io;
  if (hs__ftp_fs_init(&s->fs) != 0) {
    hs__ftp_fs_free(&s->fs);
    free(s);
    return NULL;
  }
  s->cwd = s->fs.root;
  hs__buf_init(&s->listing, NULL);
  return s;
}

void hs__ftp_destroy(hs__ftp_t *s) {
  if (!s)
    return;
  hs__ftp_fs_free(&s->fs);
  hs__buf_release(&s->listing);
  free(s);
}

void hs__ftp_greet(hs__ftp_t *s, hs__buf_t *out) {
  s->out = out;
  if (s->o.busy_minutes) { /* RFC 959 §5.4: 120, then 220 once ready */
    char t[96];
    snprintf(t, sizeof t, "Service ready in %u minute%s", s->o.busy_minutes,
             s->o.busy_minutes == 1 ? "" : "s");
    hs__ftp_reply_raw(out, 120, t);
    s->waiting_220 = 1;
    return;
  }
  hs__ftp_say(s, 220, "httpstatus FTP responder");
}

unsigned hs__ftp_ready(hs__ftp_t *s, hs__buf_t *out) {
  if (!s->waiting_220)
    return 0;
  s->waiting_220 = 0;
  s->out = out;
  hs__ftp_say(s, 220, "httpstatus FTP responder, ready now");
  return hs__ftp_feed(s, 0, out);
}

char *hs__ftp_rbuf(hs__ftp_t *s, size_t *avail) {
  *avail = s->closing ? 0 : sizeof(s->in) - s->in_len;
  return s->in + s->in_len;
}

int hs__ftp_busy(const hs__ftp_t *s) { return s->xfer; }
int hs__ftp_prot_private(const hs__ftp_t *s) { return s->prot_p; }
void hs__ftp_tls_ready(hs__ftp_t *s) {
  s->tls_pending = 0;
  s->tls = 1;
}

void hs__ftp_bye(hs__ftp_t *s, const char *why, hs__buf_t *out) {
  s->out = out;
  hs__ftp_say(s, 421, why);
  s->closing = 1;
}

void hs__ftp_xfer_reset(hs__ftp_t *s) {
  s->xfer = 0;
  s->xfer_stopped = 0;
  s->data_open = 0;
  s->mode = DATA_NONE;
  s->xnode = NULL;
  s->xfail = 0;
  hs__buf_release(&s->listing);
}

/* ---- login (RFC 959 §4.1.1, RFC 4217 §6) ---- */

static user_t user_of(const char *name) {
  static const struct {
    const char *name;
    user_t u;
  } users[] = {{"anonymous", USER_ANON}, {"ftp", USER_ANON},    {"alice", USER_ALICE},
               {"acct", USER_ACCT},      {"store", USER_STORE}, {"secure", USER_SECURE}};
  for (size_t i = 0; i < sizeof users / sizeof users[0]; i++)
    if (strcmp(name, users[i].name) == 0)
      return users[i].u;
  return USER_UNKNOWN;
}

static void logout(hs__ftp_t *s) {
  s->logged_in = s->need_acct = s->have_acct = s->policy_refused = 0;
  s->user = USER_NONE;
  s->cwd = s->fs.root;
}

static unsigned cmd_user(hs__ftp_t *s, const hs__ftp_cmd_t *c) {
  logout(s);
  user_t u = user_of(c->arg);
  if (u == USER_SECURE && !s->tls) { /* RFC 4217 §6: policy may demand TLS first */
    s->policy_refused = 1;
    hs__ftp_say(s, 534, "this account logs in only after AUTH TLS");
    return 0;
  }
  s->user = u;
  hs__ftp_say(s, 331,
              u == USER_ANON ? "anonymous login: send your e-mail address as the password" : NULL);
  return 0;
}

static unsigned cmd_pass(hs__ftp_t *s, const hs__ftp_cmd_t *c) {
  if (s->policy_refused) {
    s->policy_refused = 0;
    hs__ftp_say(s, 530, "this account logs in only after AUTH TLS");
    return 0;
  }
  if (s->user == USER_NONE || s->logged_in || s->need_acct) {
    hs__ftp_say(s, 503, s->logged_in ? "already logged in" : "send USER first");
    return 0;
  }
  if (s->user != USER_ANON && (s->user == USER_UNKNOWN || strcmp(c->arg, "secret") != 0)) {
    s->user = USER_NONE;
    hs__ftp_say(s, 530, "wrong user name or password");
    return 0;
  }
  if (s->user == USER_ACCT) {
    s->need_acct = 1;
    hs__ftp_say(s, 332, "this account logs in once ACCT names an account");
    return 0;
  }
  s->logged_in = 1;
  hs__ftp_say(s, 230, s->user == USER_ANON ? "anonymous, read-only" : NULL);
  return 0;
}

static unsigned cmd_acct(hs__ftp_t *s, const hs__ftp_cmd_t *c) {
  if (s->need_acct) {
    s->need_acct = 0;
    s->logged_in = 1;
    hs__ftp_say(s, 230, "account accepted");
  } else if (s->logged_in && s->user == USER_STORE && !s->have_acct) {
    s->have_acct = 1;
    hs__ftp_say(s, 230, "account accepted: storing allowed");
  } else if (s->logged_in) {
    hs__ftp_say(s, 202, "no account is needed");
  } else {
    hs__ftp_say(s, 503, "send USER and PASS first");
  }
  return 0;
}

int hs__ftp_may_write(hs__ftp_t *s) {
  if (s->user == USER_ANON) {
    hs__ftp_say(s, 550, "permission denied: anonymous is read-only");
    return 0;
  }
  if (s->user == USER_STORE && !s->have_acct) {
    hs__ftp_say(s, 532, "send ACCT before storing files");
    return 0;
  }
  return 1;
}

static unsigned cmd_rein(hs__ftp_t *s, const hs__ftp_cmd_t *c) {
  logout(s);
  s->io.data_close(s->io.ud);
  hs__ftp_xfer_reset(s);
  s->rnfr = NULL;
  hs__ftp_say(s, 220, "session reset: log in again");
  return 0;
}

static unsigned cmd_quit(hs__ftp_t *s, const hs__ftp_cmd_t *c) {
  if (s->xfer || s->data_open)
    s->io.data_close(s->io.ud);
  hs__ftp_xfer_reset(s);
  hs__ftp_say(s, 221, "goodbye");
  s->closing = 1;
  return HS_FTP_CLOSE;
}

/* ---- security (RFC 4217) ---- */

static unsigned cmd_auth(hs__ftp_t *s, const hs__ftp_cmd_t *c) {
  if (strcasecmp(c->arg, "TLS") != 0 && strcasecmp(c->arg, "SSL") != 0 &&
      strcasecmp(c->arg, "TLS-C") != 0) {
    hs__ftp_say(s, 504, "only AUTH TLS is offered");
    return 0;
  }
  if (s->tls || s->tls_pending) {
    hs__ftp_say(s, 503, "TLS is already on");
    return 0;
  }
  if (!s->o.tls_available) {
    hs__ftp_say(s, 431, "no TLS certificate is loaded on this server");
    return 0;
  }
  hs__ftp_say(s, 234, "AUTH TLS accepted: start the TLS handshake");
  s->tls_pending = 1;
  s->io.start_tls(s->io.ud);
  return 0;
}

static unsigned cmd_pbsz(hs__ftp_t *s, const hs__ftp_cmd_t *c) {
  if (!s->tls) {
    hs__ftp_say(s, 503, "PBSZ comes after AUTH TLS");
    return 0;
  }
  for (const char *p = c->arg; *p; p++)
    if (*p < '0' || *p > '9') {
      hs__ftp_say(s, 501, "PBSZ takes a number");
      return 0;
    }
  s->pbsz = 1;
  hs__ftp_reply_raw(s->out, 200, "PBSZ=0");
  return 0;
}

static unsigned cmd_prot(hs__ftp_t *s, const hs__ftp_cmd_t *c) {
  if (!s->pbsz) {
    hs__ftp_say(s, 503, "PROT comes after PBSZ");
    return 0;
  }
  char l = (char)(c->arg_len == 1 ? c->arg[0] & ~0x20 : 0);
  if (l == 'C' || l == 'P') {
    s->prot_p = l == 'P';
    hs__ftp_say(s, 200, l == 'P' ? "data connections use TLS" : "data connections in clear");
  } else if (l == 'S' || l == 'E') {
    hs__ftp_say(s, 536, "TLS offers only PROT C and PROT P");
  } else {
    hs__ftp_say(s, 504, "unknown protection level");
  }
  return 0;
}

static unsigned cmd_ccc(hs__ftp_t *s, const hs__ftp_cmd_t *c) {
  hs__ftp_say(s, s->tls ? 533 : 503,
              s->tls ? "the control connection stays encrypted" : "TLS is not on");
  return 0;
}

/* ---- settings and status ---- */

static unsigned cmd_noop(hs__ftp_t *s, const hs__ftp_cmd_t *c) {
  hs__ftp_say(s, 200, NULL);
  return 0;
}

static unsigned cmd_syst(hs__ftp_t *s, const hs__ftp_cmd_t *c) {
  hs__ftp_reply_raw(s->out, 215, "UNIX Type: L8");
  return 0;
}

static unsigned cmd_feat(hs__ftp_t *s, const hs__ftp_cmd_t *c) {
  static const char *const plain[] = {
      "EPRT",     "EPSV",        "LPSV", "MDTM", "MLST type*;size*;modify*;perm*;",
      "PASV",     "REST STREAM", "SIZE", "TVFS", "UTF8",
      "AUTH TLS", "PBSZ",        "PROT"};
  size_t n = sizeof plain / sizeof plain[0];
  if (!s->o.tls_available)
    n -= 3;
  hs__ftp_reply_multi(s->out, 211, "Extensions supported:", plain, n, "End"); /* RFC 2389 §3.2 */
  return 0;
}

static unsigned cmd_opts(hs__ftp_t *s, const hs__ftp_cmd_t *c) {
  if (strncasecmp(c->arg, "UTF8", 4) == 0 || strncasecmp(c->arg, "MLST", 4) == 0)
    hs__ftp_say(s, 200, NULL);
  else
    hs__ftp_say(s, 501, "OPTS takes UTF8 or MLST");
  return 0;
}

static const char *const help_lines[] = {
    "ABOR ACCT ALLO APPE AUTH CCC  CDUP CWD  DELE EPRT EPSV FEAT HELP LIST LPRT LPSV",
    "MDTM MKD  MLSD MLST MODE NLST NOOP OPTS PASS PASV PBSZ PORT PROT PWD  QUIT REIN",
    "REST RETR RMD  RNFR RNTO SITE SIZE SMNT STAT STOR STOU STRU SYST TYPE USER XCUP",
    "XCWD XMKD XPWD XRMD",
};

static unsigned cmd_help(hs__ftp_t *s, const hs__ftp_cmd_t *c) {
  if (c->has_arg) {
    char t[64];
    snprintf(t, sizeof t, "%.8s: see RFC 959, 2389, 2428, 3659 and 4217", c->arg);
    hs__ftp_reply_raw(s->out, 214, t);
    return 0;
  }
  hs__ftp_reply_multi(s->out, 214, "The following commands are recognized:", help_lines,
                      sizeof help_lines / sizeof help_lines[0], "Help OK");
  return 0;
}

static unsigned cmd_type(hs__ftp_t *s, const hs__ftp_cmd_t *c) {
  char t = (char)(c->arg[0] & ~0x20);
  if ((t == 'A' || t == 'I') && (c->arg[1] == 0 || strcasecmp(c->arg + 1, " N") == 0))
    hs__ftp_say(s, 200, t == 'A' ? "TYPE A" : "TYPE I");
  else if (t == 'L' && strcmp(c->arg + 1, " 8") == 0)
    hs__ftp_say(s, 200, "TYPE L 8");
  else if (t == 'E' || t == 'L' || t == 'A')
    hs__ftp_say(s, 504, "only TYPE A, I and L 8");
  else
    hs__ftp_say(s, 501, "unknown TYPE");
  return 0;
}

/* STRU and MODE: one letter among `known`; only `ok` is implemented. */
static void one_letter(hs__ftp_t *s, const hs__ftp_cmd_t *c, const char *known, char ok) {
  char l = (char)(c->arg_len == 1 ? c->arg[0] & ~0x20 : 0);
  if (l == ok)
    hs__ftp_say(s, 200, NULL);
  else if (l && strchr(known, l))
    hs__ftp_say(s, 504, ok == 'F' ? "only STRU F" : "only MODE S");
  else
    hs__ftp_say(s, 501, NULL);
}

static unsigned cmd_stru(hs__ftp_t *s, const hs__ftp_cmd_t *c) {
  one_letter(s, c, "FRP", 'F');
  return 0;
}
static unsigned cmd_mode(hs__ftp_t *s, const hs__ftp_cmd_t *c) {
  one_letter(s, c, "SBC", 'S');
  return 0;
}

static unsigned cmd_allo(hs__ftp_t *s, const hs__ftp_cmd_t *c) {
  hs__ftp_say(s, 202, "no storage needs reserving here");
  return 0;
}

static unsigned cmd_unimpl(hs__ftp_t *s, const hs__ftp_cmd_t *c) {
  hs__ftp_say(s, 502, NULL);
  return 0;
}

static unsigned cmd_stat(hs__ftp_t *s, const hs__ftp_cmd_t *c);

/* ---- dispatch ---- */

#define F_ARG 1u  /* needs an argument (501 without) */
#define F_ANY 2u  /* allowed before login */
#define F_XFER 4u /* runs while a transfer is in progress */

static const struct {
  const char *verb;
  hs__ftp_cmd_fn fn;
  unsigned flags;
} commands[] = {
    {"USER", cmd_user, F_ARG | F_ANY},
    {"PASS", cmd_pass, F_ANY},
    {"ACCT", cmd_acct, F_ARG | F_ANY},
    {"REIN", cmd_rein, F_ANY},
    {"QUIT", cmd_quit, F_ANY | F_XFER},
    {"AUTH", cmd_auth, F_ARG | F_ANY},
    {"PBSZ", cmd_pbsz, F_ARG | F_ANY},
    {"PROT", cmd_prot, F_ARG | F_ANY},
    {"CCC", cmd_ccc, F_ANY},
    {"NOOP", cmd_noop, F_ANY | F_XFER},
    {"SYST", cmd_syst, F_ANY},
    {"FEAT", cmd_feat, F_ANY},
    {"OPTS", cmd_opts, F_ARG | F_ANY},
    {"HELP", cmd_help, F_ANY},
    {"STAT", cmd_stat, F_XFER},
    {"TYPE", cmd_type, F_ARG},
    {"STRU", cmd_stru, F_ARG},
    {"MODE", cmd_mode, F_ARG},
    {"ALLO", cmd_allo, F_ARG},
    {"SMNT", cmd_unimpl, 0},
    {"SITE", cmd_unimpl, 0},
    {"ADAT", cmd_unimpl, F_ANY},
    {"CONF", cmd_unimpl, F_ANY},
    {"ENC", cmd_unimpl, F_ANY},
    {"MIC", cmd_unimpl, F_ANY},
};

static unsigned cmd_stat(hs__ftp_t *s, const hs__ftp_cmd_t *c) {
  if (c->has_arg && !s->xfer) {
    hs__ftp_cmd_fn fn = hs__ftp_file_cmd("STAT", NULL); /* 212/213: ftp_cmds.c */
    return fn(s, c);
  }
  char l[3][96];
  snprintf(l[0], sizeof l[0], "Logged in: %s", s->logged_in ? "yes" : "no");
  snprintf(l[1], sizeof l[1], "TLS: %s, PROT %s", s->tls ? "on" : "off", s->prot_p ? "P" : "C");
  snprintf(l[2], sizeof l[2], "Transfer: %s",
           s->xfer ? (s->xdir == HS_FTP_SEND ? "sending" : "receiving") : "none");
  const char *const lines[] = {l[0], l[1], l[2]};
  hs__ftp_reply_multi(s->out, 211, "httpstatus FTP status:", lines, 3, "End of status");
  return 0;
}

/* Runs one command line. */
static unsigned run(hs__ftp_t *s, char *line, size_t len) {
  hs__ftp_cmd_t c;
  if (hs__ftp_parse(line, len, &c) != 0) {
    hs__ftp_say(s, 500, memchr(line, 0, len) ? "NUL byte in the command" : "not a command");
    return 0;
  }
  hs__ftp_cmd_fn fn = NULL;
  unsigned flags = 0;
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (strcmp(commands[i].verb, c.verb) == 0) {
      fn = commands[i].fn;
      flags = commands[i].flags;
    }
  int needs_arg = 0;
  if (!fn && (fn = hs__ftp_file_cmd(c.verb, &needs_arg)) != NULL)
    flags = needs_arg ? F_ARG : 0;
  if (strcmp(c.verb, "ABOR") == 0)
    flags |= F_XFER;
  if (!fn) {
    hs__ftp_say(s, 500, "unknown command");
    return 0;
  }
  /* RNFR's file is kept for the command right after it only */
  if (s->rnfr && !s->rnfr_fresh)
    s->rnfr = NULL;
  s->rnfr_fresh = 0;
  if (!(flags & F_ANY) && !s->logged_in) {
    hs__ftp_say(s, 530, s->need_acct ? "send ACCT first" : "log in with USER and PASS first");
    return 0;
  }
  if ((flags & F_ARG) && !c.has_arg) {
    hs__ftp_say(s, 501, "this command needs an argument");
    return 0;
  }
  return fn(s, &c);
}

/* Drops Telnet commands (RFC 959 §4.1.3, RFC 854) from a line in place:
 * IAC IAC is a 0xff byte, IAC WILL/WONT/DO/DONT take an option byte, other
 * IAC pairs (IP, DM, ...) go. Returns the new length. */
static size_t strip_telnet(char *p, size_t n) {
  size_t j = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char b = (unsigned char)p[i];
    if (b != IAC) {
      p[j++] = p[i];
      continue;
    }
    if (i + 1 < n && (unsigned char)p[i + 1] == IAC) {
      p[j++] = p[i++];
      continue;
    }
    if (i + 1 < n && (unsigned char)p[i + 1] >= 251 && (unsigned char)p[i + 1] <= 254)
      i++;
    i++;
  }
  return j;
}

/* During a transfer, an ABOR behind commands that wait runs first (RFC 959
 * §4.1.3: it is urgent). Looks for one among the complete lines after
 * `from`; runs it and removes it from the buffer. Returns 1 if it did. */
static unsigned run(hs__ftp_t *s, char *line, size_t len);
static int urgent_abor(hs__ftp_t *s, size_t from) {
  size_t off = from;
  while (off < s->in_len) {
    char *start = s->in + off;
    char *lf = memchr(start, '\n', s->in_len - off);
    if (!lf)
      return 0;
    size_t len = (size_t)(lf - start);
    char line[HS_FTP_MAX_LINE];
    if (len < sizeof line) {
      memcpy(line, start, len);
      size_t n = len && line[len - 1] == '\r' ? len - 1 : len;
      n = strip_telnet(line, n);
      if (n == 4 && strncasecmp(line, "ABOR", 4) == 0) {
        memmove(start, lf + 1, s->in_len - (off + len + 1));
        s->in_len -= len + 1;
        run(s, line, n);
        return 1;
      }
    }
    off += len + 1;
  }
  return 0;
}

/* Is the command on this line one that runs during a transfer? */
static int runs_during_xfer(const char *p, size_t n) {
  while (n && (unsigned char)*p == IAC) { /* "IAC IP IAC DM ABOR" */
    p += n >= 2 ? 2 : 1;
    n -= n >= 2 ? 2 : 1;
  }
  static const char *const ok[] = {"ABOR", "STAT", "QUIT", "NOOP"};
  for (size_t i = 0; i < 4; i++)
    if (n >= 4 && strncasecmp(p, ok[i], 4) == 0 && (n == 4 || p[4] == ' ' || p[4] == '\r'))
      return 1;
  return 0;
}

unsigned hs__ftp_feed(hs__ftp_t *s, size_t n, hs__buf_t *out) {
  s->out = out;
  s->in_len += n;
  unsigned flags = 0;
  size_t off = 0;
  while (!s->closing && !s->waiting_220 && !s->tls_pending && !(flags & HS_FTP_CLOSE)) {
    char *start = s->in + off;
    size_t avail = s->in_len - off;
    char *lf = memchr(start, '\n', avail);
    if (!lf) {
      if (avail >= HS_FTP_MAX_LINE) { /* too long: answer once, drop up to the LF */
        if (!s->discarding)
          hs__ftp_say(s, 500, "command line too long");
        s->discarding = 1;
        off = s->in_len;
      }
      break;
    }
    size_t len = (size_t)(lf - start);
    if (s->discarding) {
      s->discarding = 0;
      off += len + 1;
      continue;
    }
    if (len + 1 > HS_FTP_MAX_LINE) {
      hs__ftp_say(s, 500, "command line too long");
      off += len + 1;
      continue;
    }
    if (s->xfer && !runs_during_xfer(start, len)) {
      if (urgent_abor(s, off))
        continue;
      break; /* RFC 959 §5.4: later commands wait for the transfer's reply */
    }
    off += len + 1;
    if (len && start[len - 1] == '\r')
      len--;
    len = strip_telnet(start, len);
    if (len == 0)
      continue; /* an empty line (or only Telnet commands): nothing to answer */
    flags |= run(s, start, len);
  }
  if (off) {
    memmove(s->in, s->in + off, s->in_len - off);
    s->in_len -= off;
  }
  return flags | (s->closing ? HS_FTP_CLOSE : 0);
}

unsigned hs__ftp_data_event(hs__ftp_t *s, hs__ftp_ev_t ev, hs__buf_t *out) {
  s->out = out;
  switch (ev) {
  case HS_FTP_EV_OPEN:
    s->data_open = 1;
    return 0;
  case HS_FTP_EV_CLOSED:
    if (!s->xfer) {
      s->data_open = 0;
      s->mode = DATA_NONE;
      return 0;
    }
    ev = HS_FTP_EV_RESET;
    break;
  default:
    break;
  }
  if (!s->xfer)
    return 0;
  int stopped = s->xfer_stopped;
  if (ev == HS_FTP_EV_DONE && !stopped) {
    if (s->xdir == HS_FTP_RECV && s->xnode && s->io.now)
      s->xnode->mtime = s->io.now(s->io.ud);
    if (s->xfail)
      hs__ftp_say(s, s->xfail, "the file could not be read (error.txt fails on purpose)");
    else
      hs__ftp_say(s, 226, "transfer complete");
  } else if (ev == HS_FTP_EV_NOCONN) {
    hs__ftp_say(s, 425, "no data connection was made in time");
  } else if (!stopped) {
    hs__ftp_say(s, 426,
                ev == HS_FTP_EV_STALL ? "the data connection stalled"
                                      : "the data connection was reset");
  }
  hs__ftp_xfer_reset(s);
  return hs__ftp_feed(s, 0, out); /* commands that waited */
}
