/* The in-memory file tree (ftp_fs.h). */
#include "ftp/ftp_fs.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define SEED_MTIME 1704067200 /* 2024-01-01 00:00:00 UTC: the seeded files' MDTM */
#define BIG_SIZE (4u * 1024 * 1024)

static char pattern[BIG_SIZE];
static pthread_once_t pattern_once = PTHREAD_ONCE_INIT;

/* Binary sample content: every byte value, in a sequence that does not repeat
 * on a power of two (so a misplaced block shows in a comparison). */
static void fill_pattern(void) {
  for (size_t i = 0; i < BIG_SIZE; i++)
    pattern[i] = (char)((i * 7 + i / 251) & 0xff);
}

static const char readme[] =
    "httpstatus FTP responder: every FTP reply code, for a real reason.\r\n"
    "Accounts: anonymous (read-only), alice/secret, acct/secret (needs ACCT),\r\n"
    "secure/secret (only after AUTH TLS). See docs/ftp.md.\r\n"
    "Magic names: busy.txt (450), error.txt (451), page.txt (551), marker.txt (110 with REST),\r\n"
    "pub/1k.bin, pub/64k.bin, pub/4m.bin (sample data), upload/ (write here).\r\n";
static const char hello[] = "Hello, FTP!\r\n";

hs__ftp_node_t *hs__ftp_fs_child(hs__ftp_node_t *dir, const char *name) {
  for (hs__ftp_node_t *c = dir->child; c; c = c->next)
    if (strcmp(c->name, name) == 0)
      return c;
  return NULL;
}

hs__ftp_node_t *hs__ftp_fs_add(hs__ftp_fs_t *fs, hs__ftp_node_t *dir, const char *name, int is_dir,
                               int64_t mtime) {
  if (fs->nodes >= HS_FTP_MAX_NODES)
    return NULL;
  hs__ftp_node_t *n = calloc(1, sizeof(*n));
  if (!n || !(n->name = strdup(name))) {
    free(n);
    return NULL;
  }
  n->dir = is_dir;
  n->data = "";
  n->mtime = mtime;
  n->parent = dir;
  if (dir) { /* appended: listings keep the order of creation */
    hs__ftp_node_t **p = &dir->child;
    while (*p)
      p = &(*p)->next;
    *p = n;
  }
  fs->nodes++;
  return n;
}

static int seed(hs__ftp_fs_t *fs, hs__ftp_node_t *dir, const char *name, const char *data,
                size_t n) {
  hs__ftp_node_t *f = hs__ftp_fs_add(fs, dir, name, data == NULL, SEED_MTIME);
  if (!f)
    return -1;
  if (data) {
    f->data = data;
    f->size = n;
  }
  return 0;
}

int hs__ftp_fs_init(hs__ftp_fs_t *fs) {
  pthread_once(&pattern_once, fill_pattern);
  memset(fs, 0, sizeof(*fs));
  fs->root = hs__ftp_fs_add(fs, NULL, "", 1, SEED_MTIME);
  if (!fs->root)
    return -1;
  hs__ftp_node_t *r = fs->root;
  if (seed(fs, r, "README.txt", readme, sizeof readme - 1) ||
      seed(fs, r, "busy.txt", hello, sizeof hello - 1) ||
      seed(fs, r, "error.txt", hello, sizeof hello - 1) ||
      seed(fs, r, "page.txt", hello, sizeof hello - 1) ||
      seed(fs, r, "marker.txt", pattern, 65536) || seed(fs, r, "pub", NULL, 0) ||
      seed(fs, r, "upload", NULL, 0) || seed(fs, r, "private", NULL, 0))
    return -1;
  hs__ftp_node_t *pub = hs__ftp_fs_child(r, "pub");
  if (seed(fs, pub, "hello.txt", hello, sizeof hello - 1) ||
      seed(fs, pub, "1k.bin", pattern, 1024) || seed(fs, pub, "64k.bin", pattern, 65536) ||
      seed(fs, pub, "4m.bin", pattern, BIG_SIZE))
    return -1;
  return 0;
}

static void free_node(hs__ftp_node_t *n) {
  while (n) {
    hs__ftp_node_t *next = n->next;
    free_node(n->child);
    free(n->owned);
    free(n->name);
    free(n);
    n = next;
  }
}

void hs__ftp_fs_free(hs__ftp_fs_t *fs) {
  free_node(fs->root);
  fs->root = NULL;
}

/* Walks `len` bytes of `path` from `start`; NULL if a component is missing or
 * a file is used as a directory. */
static hs__ftp_node_t *walk(hs__ftp_fs_t *fs, hs__ftp_node_t *start, const char *path, size_t len) {
  hs__ftp_node_t *n = path[0] == '/' ? fs->root : start;
  size_t i = 0;
  while (i < len) {
    while (i < len && path[i] == '/')
      i++;
    size_t j = i;
    while (j < len && path[j] != '/')
      j++;
    size_t k = j - i;
    if (k == 0)
      break;
    if (!n->dir || k > HS_FTP_MAX_NAME)
      return NULL;
    if (k == 1 && path[i] == '.') {
    } else if (k == 2 && path[i] == '.' && path[i + 1] == '.') {
      if (n->parent)
        n = n->parent;
    } else {
      char name[HS_FTP_MAX_NAME + 1];
      memcpy(name, path + i, k);
      name[k] = 0;
      if (!(n = hs__ftp_fs_child(n, name)))
        return NULL;
    }
    i = j;
  }
  return n;
}

hs__ftp_node_t *hs__ftp_fs_find(hs__ftp_fs_t *fs, hs__ftp_node_t *cwd, const char *path) {
  return walk(fs, cwd, path, strlen(path));
}

hs__ftp_node_t *hs__ftp_fs_parent(hs__ftp_fs_t *fs, hs__ftp_node_t *cwd, const char *path,
                                  char *name, int *bad_name) {
  size_t len = strlen(path);
  while (len > 1 && path[len - 1] == '/')
    len--;
  size_t slash = len;
  while (slash > 0 && path[slash - 1] != '/')
    slash--;
  size_t k = len - slash;
  *bad_name = 1;
  if (k == 0 || k > HS_FTP_MAX_NAME)
    return NULL;
  memcpy(name, path + slash, k);
  name[k] = 0;
  if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || strpbrk(name, "*?\\"))
    return NULL;
  for (size_t i = 0; i < k; i++) /* control bytes (CR, NUL, ...) would reach reply lines */
    if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
      return NULL;
  *bad_name = 0;
  hs__ftp_node_t *dir = slash ? walk(fs, cwd, path, slash) : cwd;
  return dir && dir->dir ? dir : NULL;
}

void hs__ftp_fs_remove(hs__ftp_fs_t *fs, hs__ftp_node_t *n) {
  hs__ftp_node_t **p = &n->parent->child;
  while (*p != n)
    p = &(*p)->next;
  *p = n->next;
  n->next = NULL;
  fs->stored -= n->owned ? n->size : 0;
  fs->nodes--;
  free_node(n);
}

int hs__ftp_fs_within(const hs__ftp_node_t *a, const hs__ftp_node_t *b) {
  for (; a; a = a->parent)
    if (a == b)
      return 1;
  return 0;
}

int hs__ftp_fs_move(hs__ftp_node_t *n, hs__ftp_node_t *dir, const char *name) {
  char *nn = strdup(name);
  if (!nn)
    return -1;
  free(n->name);
  n->name = nn;
  hs__ftp_node_t **p = &n->parent->child;
  while (*p != n)
    p = &(*p)->next;
  *p = n->next;
  n->next = NULL;
  n->parent = dir;
  p = &dir->child;
  while (*p)
    p = &(*p)->next;
  *p = n;
  return 0;
}

void hs__ftp_fs_truncate(hs__ftp_fs_t *fs, hs__ftp_node_t *n) {
  if (n->owned)
    fs->stored -= n->size;
  free(n->owned);
  n->owned = NULL;
  n->cap = 0;
  n->data = "";
  n->size = 0;
}

int hs__ftp_fs_append(hs__ftp_fs_t *fs, hs__ftp_node_t *f, const char *p, size_t n) {
  if (!f->owned && f->size) { /* a seeded file gets its own copy first (APPE) */
    char *c = malloc(f->size);
    if (!c)
      return -1;
    memcpy(c, f->data, f->size);
    f->owned = c;
    f->cap = f->size;
    f->data = c;
    fs->stored += f->size;
  }
  if (f->size + n > f->cap) {
    size_t cap = f->cap ? f->cap : 4096;
    while (cap < f->size + n)
      cap *= 2;
    char *c = realloc(f->owned, cap);
    if (!c)
      return -1;
    f->owned = c;
    f->cap = cap;
    f->data = c;
  }
  if (n)
    memcpy(f->owned + f->size, p, n);
  f->size += n;
  fs->stored += n;
  if (!f->owned) /* n == 0 on an empty file */
    f->data = "";
  return 0;
}

void hs__ftp_fs_path(const hs__ftp_node_t *n, char *buf, size_t cap) {
  if (!n->parent) {
    strcpy(buf, "/");
    return;
  }
  /* collect from the leaf up, then write from the root down */
  const hs__ftp_node_t *chain[HS_FTP_MAX_PATH / 2 + 2];
  size_t depth = 0;
  for (; n->parent && depth < HS_FTP_MAX_PATH / 2 + 2; n = n->parent)
    chain[depth++] = n;
  size_t len = 0;
  buf[0] = 0;
  while (depth--) {
    size_t k = strlen(chain[depth]->name);
    if (len + 1 + k + 1 > cap)
      break;
    buf[len++] = '/';
    memcpy(buf + len, chain[depth]->name, k);
    len += k;
    buf[len] = 0;
  }
}
