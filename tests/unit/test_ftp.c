/* Unit tests of src/ftp: the command parser, the reply writer, the file tree
 * and the session's login and transfer rules, with a fake I/O table. */
#include <stdlib.h>
#include <string.h>

#include "ftp/ftp.h"
#include "ftp/ftp_fs.h"
#include "ftp/transcripts.h"
#include "hs_test.h"

HS_TEST(parse_verbs_and_arguments) {
  hs__ftp_cmd_t c;
  char l1[] = "retr  /a b  ";
  CHECK_EQ_INT(hs__ftp_parse(l1, strlen(l1), &c), 0);
  CHECK_EQ_STR(c.verb, "RETR");
  CHECK_EQ_STR(c.arg, " /a b");
  char l2[] = "NOOP";
  CHECK_EQ_INT(hs__ftp_parse(l2, 4, &c), 0);
  CHECK_EQ_INT(c.has_arg, 0);
  char l3[] = "NO";
  CHECK_EQ_INT(hs__ftp_parse(l3, 2, &c), -1); /* too short */
  char l4[] = "RETRX a";
  CHECK_EQ_INT(hs__ftp_parse(l4, 7, &c), -1); /* too long */
  char l5[] = "US\0R a";
  CHECK_EQ_INT(hs__ftp_parse(l5, 6, &c), -1); /* NUL */
}

HS_TEST(parse_addresses) {
  hs__ftp_addr_t a;
  CHECK_EQ_INT(hs__ftp_parse_port("127,0,0,1,4,1", &a), 0);
  CHECK_EQ_UINT(a.port, 1025);
  CHECK_EQ_UINT(a.ip[0], 127);
  CHECK_EQ_INT(hs__ftp_parse_port("127,0,0,1,4,256", &a), -1);
  CHECK_EQ_INT(hs__ftp_parse_port("127,0,0,1,4", &a), -1);
  CHECK_EQ_INT(hs__ftp_parse_eprt("|2|::1|2000|", &a), 0);
  CHECK_EQ_INT(a.v6, 1);
  CHECK_EQ_UINT(a.port, 2000);
  CHECK_EQ_INT(hs__ftp_parse_eprt("|3|x|2000|", &a), -2); /* → 522 */
  CHECK_EQ_INT(hs__ftp_parse_eprt("|1|1.2.3|2000|", &a), -1);
}

HS_TEST(reply_writer) {
  hs__buf_t b;
  hs__buf_init(&b, NULL);
  hs__ftp_reply(&b, 550, HS_LANG_EN, "a\r\nb");
  CHECK_EQ_MEM(b.base, b.len, "550 Requested action not taken: file unavailable (a  b)\r\n", 57);
  b.len = 0;
  const char *lines[] = {"220 looks like a reply"};
  hs__ftp_reply_multi(&b, 211, "first", lines, 1, "End");
  const char *want = "211-first\r\n 220 looks like a reply\r\n211 End\r\n";
  CHECK_EQ_MEM(b.base, b.len, want, strlen(want));
  hs__buf_release(&b);
}

HS_TEST(file_tree) {
  hs__ftp_fs_t fs;
  CHECK_EQ_INT(hs__ftp_fs_init(&fs), 0);
  hs__ftp_node_t *f = hs__ftp_fs_find(&fs, fs.root, "/pub/../pub//./1k.bin");
  CHECK(f && f->size == 1024, "1k.bin found through . and ..");
  char name[HS_FTP_MAX_NAME + 1], path[HS_FTP_MAX_PATH + 1];
  int bad;
  hs__ftp_node_t *up = hs__ftp_fs_parent(&fs, fs.root, "upload/x.txt", name, &bad);
  CHECK(up && !bad, "upload/ is a directory");
  CHECK_EQ_STR(name, "x.txt");
  CHECK(!hs__ftp_fs_parent(&fs, fs.root, "upload/a*b", name, &bad) && bad, "* not allowed");
  CHECK(!hs__ftp_fs_parent(&fs, fs.root, "nope/x", name, &bad) && !bad, "missing parent");
  hs__ftp_node_t *x = hs__ftp_fs_add(&fs, up, "x.txt", 0, 0);
  CHECK_EQ_INT(hs__ftp_fs_append(&fs, x, "abc", 3), 0);
  CHECK_EQ_UINT(fs.stored, 3);
  hs__ftp_fs_path(x, path, sizeof path);
  CHECK_EQ_STR(path, "/upload/x.txt");
  CHECK_EQ_INT(hs__ftp_fs_move(x, fs.root, "y.txt"), 0);
  hs__ftp_fs_path(x, path, sizeof path);
  CHECK_EQ_STR(path, "/y.txt");
  hs__ftp_fs_remove(&fs, x);
  CHECK_EQ_UINT(fs.stored, 0);
  hs__ftp_fs_free(&fs);
}

/* ---- a session with fake I/O ---- */

typedef struct {
  int port; /* what passive() returns */
  int transfers, closes, tls;
  hs__ftp_xfer_t x;
} fake_t;

static int f_passive(void *ud) { return ((fake_t *)ud)->port; }
static int f_active(void *ud, const hs__ftp_addr_t *a) { return 0; }
static void f_transfer(void *ud, const hs__ftp_xfer_t *x) {
  fake_t *f = ud;
  f->transfers++;
  f->x = *x;
}
static void f_close(void *ud) { ((fake_t *)ud)->closes++; }
static void f_tls(void *ud) { ((fake_t *)ud)->tls++; }
static int64_t f_now(void *ud) { return 0; }

/* Feeds a line and returns the codes of the replies it produced, as text. */
static const char *say(hs__ftp_t *s, hs__buf_t *out, const char *line) {
  static char codes[256];
  out->len = 0;
  size_t avail;
  char *d = hs__ftp_rbuf(s, &avail);
  size_t n = strlen(line);
  memcpy(d, line, n);
  hs__ftp_feed(s, n, out);
  size_t k = 0;
  for (size_t i = 0; i + 3 < out->len && k + 5 < sizeof codes; i++)
    if ((i == 0 || out->base[i - 1] == '\n') && out->base[i] != ' ' && out->base[i + 3] == ' ') {
      memcpy(codes + k, out->base + i, 3);
      codes[k + 3] = ' ';
      k += 4;
    }
  codes[k ? k - 1 : 0] = 0;
  return codes;
}

static hs__ftp_t *session(fake_t *f, hs__buf_t *out) {
  hs__ftp_opts_t o = {0};
  o.max_file = 100;
  o.quota = 150;
  o.max_data = 10;
  o.tls_available = 1;
  o.local_ip[0] = 127;
  o.local_ip[3] = 1;
  hs__ftp_io_t io = {f, f_passive, f_active, f_transfer, f_close, f_tls, f_now};
  hs__ftp_t *s = hs__ftp_new(&o, &io);
  hs__ftp_greet(s, out);
  return s;
}

HS_TEST(session_login_codes) {
  fake_t f = {.port = 5000};
  hs__buf_t out;
  hs__buf_init(&out, NULL);
  hs__ftp_t *s = session(&f, &out);
  CHECK_EQ_STR(say(s, &out, "PWD\r\n"), "530");
  CHECK_EQ_STR(say(s, &out, "PASS x\r\n"), "503");
  CHECK_EQ_STR(say(s, &out, "USER alice\r\nPASS no\r\n"), "331 530");
  CHECK_EQ_STR(say(s, &out, "USER secure\r\nPASS secret\r\n"), "534 530");
  CHECK_EQ_STR(say(s, &out, "USER acct\r\nPASS secret\r\nPWD\r\nACCT a\r\n"), "331 332 530 230");
  CHECK_EQ_STR(say(s, &out, "USER store\r\nPASS secret\r\nPASV\r\nSTOR /upload/a\r\n"),
               "331 230 227 532");
  CHECK_EQ_STR(say(s, &out, "ACCT a\r\nACCT a\r\n"), "230 202");
  CHECK_EQ_STR(say(s, &out, "AUTH TLS\r\nNOOP\r\n"), "234"); /* NOOP waits for TLS */
  CHECK_EQ_INT(f.tls, 1);
  hs__ftp_tls_ready(s);
  CHECK_EQ_STR(say(s, &out, ""), "200");
  hs__ftp_destroy(s);
  hs__buf_release(&out);
}

HS_TEST(session_transfer_codes) {
  fake_t f = {.port = 5000};
  hs__buf_t out;
  hs__buf_init(&out, NULL);
  hs__ftp_t *s = session(&f, &out);
  CHECK_EQ_STR(say(s, &out, "USER alice\r\nPASS secret\r\nRETR /pub/1k.bin\r\n"), "331 230 425");
  CHECK_EQ_STR(say(s, &out, "PASV\r\nRETR /pub/1k.bin\r\nPWD\r\n"), "227 150");
  CHECK(strstr(out.base, "(127,0,0,1,19,136)") != NULL, "227 names 127.0.0.1:5000");
  CHECK_EQ_UINT(f.x.len, 1024);
  CHECK_EQ_INT(hs__ftp_busy(s), 1);
  out.len = 0;
  hs__ftp_data_event(s, HS_FTP_EV_DONE, &out); /* then the PWD that waited */
  CHECK(out.len > 8 && !memcmp(out.base, "226 ", 4) && strstr(out.base, "\n257 "), "226 257");
  CHECK_EQ_STR(say(s, &out, "PASV\r\nSTOR /upload/u\r\n"), "227 150");
  out.len = 0;
  char big[120];
  memset(big, 'x', sizeof big);
  CHECK_EQ_INT(hs__ftp_data_in(s, big, 60, &out), 0);
  CHECK_EQ_INT(hs__ftp_data_in(s, big, 60, &out), -1); /* 120 > max_file 100 */
  CHECK(!memcmp(out.base, "552 ", 4), "552");
  CHECK_EQ_STR(say(s, &out, "SIZE /upload/u\r\n"), "213");
  CHECK_EQ_STR(say(s, &out, "PASV\r\nRETR /pub/4m.bin\r\nABOR\r\n"), "227 150 426 226");
  CHECK_EQ_STR(say(s, &out, "RETR /busy.txt\r\nRETR /page.txt\r\nRETR /nope\r\n"), "450 551 550");
  CHECK_EQ_STR(say(s, &out, "QUIT\r\n"), "221");
  hs__ftp_destroy(s);
  hs__buf_release(&out);
}

HS_TEST(transcripts_recorded) {
  CHECK(hs__ftp_transcript(426) && strstr(hs__ftp_transcript(426), "S: 426 "), "426 recorded");
  CHECK(hs__ftp_transcript(232) == NULL, "232 is never given");
}

static const hs_test_case_t cases[] = {
    HS_CASE(parse_verbs_and_arguments),
    HS_CASE(parse_addresses),
    HS_CASE(reply_writer),
    HS_CASE(file_tree),
    HS_CASE(session_login_codes),
    HS_CASE(session_transfer_codes),
    HS_CASE(transcripts_recorded),
};

int main(int argc, char **argv) { return hs_test_main(argc, argv, cases, HS_COUNT(cases)); }
