/* Inside the FTP session: its state, shared by ftp_session.c (input, login,
 * security, settings) and ftp_cmds.c (files, directories, transfers). */
#ifndef HS_FTP_FTP_INT_H
#define HS_FTP_FTP_INT_H

#include "ftp/ftp.h"
#include "ftp/ftp_fs.h"

/* The accounts (docs/ftp.md). */
typedef enum {
  USER_NONE = 0,
  USER_ANON,   /* anonymous / ftp: any password, read-only */
  USER_ALICE,  /* password "secret" */
  USER_ACCT,   /* password "secret", then ACCT to log in (332) */
  USER_STORE,  /* password "secret"; storing needs ACCT (532) */
  USER_SECURE, /* password "secret", only over TLS (534 before AUTH TLS) */
  USER_UNKNOWN /* any other name: PASS fails with 530 */
} user_t;

typedef enum { DATA_NONE = 0, DATA_PASV, DATA_PORT } data_mode_t;

struct hs__ftp_s {
  hs__ftp_opts_t o;
  hs__ftp_io_t io;
  hs__ftp_fs_t fs;
  hs__ftp_node_t *cwd;
  hs__buf_t *out; /* where replies go during a call */
  char in[HS_FTP_IN_MAX];
  size_t in_len;
  unsigned discarding : 1;  /* the rest of a too-long line is dropped */
  unsigned waiting_220 : 1; /* greeted with 120: commands wait */
  unsigned logged_in : 1;
  unsigned need_acct : 1;      /* PASS accepted, ACCT missing (USER_ACCT: not logged in yet) */
  unsigned have_acct : 1;      /* USER_STORE sent ACCT */
  unsigned policy_refused : 1; /* USER refused: TLS first; PASS → 530 */
  unsigned tls_pending : 1;    /* 234 sent, handshake not done */
  unsigned tls : 1;            /* the control connection is encrypted */
  unsigned pbsz : 1;
  unsigned prot_p : 1;
  unsigned epsv_all : 1;
  unsigned rest_set : 1;
  unsigned data_open : 1;    /* a data connection is up */
  unsigned xfer : 1;         /* a transfer is in progress */
  unsigned xfer_stopped : 1; /* an upload was stopped (452/552 sent) */
  unsigned closing : 1;      /* QUIT or 421: nothing more is read */
  user_t user;               /* USER given (logged in or waiting for PASS) */
  data_mode_t mode;          /* how the next transfer connects */
  unsigned data_count;
  uint64_t rest;
  hs__ftp_node_t *rnfr; /* RNFR's file, for the next command only */
  int rnfr_fresh;
  hs__ftp_dir_t xdir;
  hs__ftp_node_t *xnode; /* the file of the transfer */
  int xfail;             /* reply at the end instead of 226 (451) */
  hs__buf_t listing;     /* LIST/NLST/MLSD output being sent */
  unsigned stou_seq;
};

/* Appends a reply with the registry's text (and detail) to s->out. */
void hs__ftp_say(hs__ftp_t *s, int code, const char *detail);

/* One command of ftp_cmds.c: returns HS_FTP_* flags. */
typedef unsigned (*hs__ftp_cmd_fn)(hs__ftp_t *s, const hs__ftp_cmd_t *c);

/* Looks up the file-system or transfer command `verb` (ftp_cmds.c). */
hs__ftp_cmd_fn hs__ftp_file_cmd(const char *verb, int *needs_arg);

/* Can this user write (STOR, MKD, DELE, ...)? Replies 550/532 and returns 0 if not. */
int hs__ftp_may_write(hs__ftp_t *s);

/* Ends the current transfer state (data connection gone). */
void hs__ftp_xfer_reset(hs__ftp_t *s);

#endif
