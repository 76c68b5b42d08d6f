/* The in-memory file tree of one FTP session: directories and files seeded
 * with sample content (shared, read-only) and the files the client uploads
 * (owned, bounded by the session's limits). No disk. */
#ifndef HS_FTP_FTP_FS_H
#define HS_FTP_FTP_FS_H

#include <stddef.h>
#include <stdint.h>

#define HS_FTP_MAX_NAME 255   /* longest file name; more → 553 */
#define HS_FTP_MAX_PATH 1024  /* longest path */
#define HS_FTP_MAX_NODES 1000 /* files and directories in a session; more → 452 */

typedef struct hs__ftp_node_s hs__ftp_node_t;
struct hs__ftp_node_s {
  char *name;
  int dir;
  const char *data; /* file content: `owned` or shared seed bytes */
  size_t size;
  char *owned; /* uploaded content (capacity cap) */
  size_t cap;
  int64_t mtime; /* Unix time */
  int busy;      /* a transfer reads or writes it (RNFR/DELE wait) */
  hs__ftp_node_t *parent, *child, *next;
};

typedef struct hs__ftp_fs_s {
  hs__ftp_node_t *root;
  size_t nodes;
  size_t stored; /* bytes of uploaded content in the tree */
} hs__ftp_fs_t;

/* Builds the seeded tree (README.txt, pub/, upload/, the magic files).
 * Returns 0 or -1 (out of memory). */
int hs__ftp_fs_init(hs__ftp_fs_t *fs);
void hs__ftp_fs_free(hs__ftp_fs_t *fs);

/* Resolves `path` (absolute, or relative to cwd; ".", ".." and repeated "/"
 * allowed) to a node, or NULL. */
hs__ftp_node_t *hs__ftp_fs_find(hs__ftp_fs_t *fs, hs__ftp_node_t *cwd, const char *path);

/* Resolves the directory part of `path` and copies the last component to
 * name[HS_FTP_MAX_NAME + 1]. Returns the parent directory, or NULL when it
 * does not exist (*bad_name = 0) or the last name is not allowed (*bad_name = 1:
 * empty, ".", "..", too long, or holding '*', '?', '\\'). */
hs__ftp_node_t *hs__ftp_fs_parent(hs__ftp_fs_t *fs, hs__ftp_node_t *cwd, const char *path,
                                  char *name, int *bad_name);

/* The child of dir named name, or NULL. */
hs__ftp_node_t *hs__ftp_fs_child(hs__ftp_node_t *dir, const char *name);

/* Adds an empty file or directory `name` under dir. Returns it, or NULL
 * (out of memory or HS_FTP_MAX_NODES reached). */
hs__ftp_node_t *hs__ftp_fs_add(hs__ftp_fs_t *fs, hs__ftp_node_t *dir, const char *name, int is_dir,
                               int64_t mtime);

/* Removes a file or an empty directory (the caller checked). */
void hs__ftp_fs_remove(hs__ftp_fs_t *fs, hs__ftp_node_t *n);

/* Moves n under dir as name (the caller checked that nothing is there and
 * that dir is not inside n). Returns 0 or -1 (out of memory). */
int hs__ftp_fs_move(hs__ftp_node_t *n, hs__ftp_node_t *dir, const char *name);

/* Is a inside b (or b itself)? */
int hs__ftp_fs_within(const hs__ftp_node_t *a, const hs__ftp_node_t *b);

/* Empties a file (STOR replaces). */
void hs__ftp_fs_truncate(hs__ftp_fs_t *fs, hs__ftp_node_t *n);

/* Appends n bytes to a file, growing its own storage. Returns 0 or -1. */
int hs__ftp_fs_append(hs__ftp_fs_t *fs, hs__ftp_node_t *f, const char *p, size_t n);

/* Writes the absolute path of n into buf (cap bytes). */
void hs__ftp_fs_path(const hs__ftp_node_t *n, char *buf, size_t cap);

#endif
