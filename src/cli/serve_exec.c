/* `httpstatus serve`: replace this process with the server binary, so lookups
 * never load the server's libraries. Looked for, in order: $HTTPSTATUS_SERVE,
 * `httpstatus-serve` beside this executable, then on PATH. exec keeps the
 * process id, so signals sent to `httpstatus serve` reach the server. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

int hs__exec_serve(int argc, char **argv) {
  (void)argc;
  static char name[] = "httpstatus-serve";
  argv[0] = name; /* argv is NULL-terminated by the C runtime */
  const char *env = getenv("HTTPSTATUS_SERVE");
  if (env && *env)
    execv(env, argv);
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n > 0) {
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    if (slash && (size_t)(slash - self) + sizeof name + 1 < sizeof self) {
      memcpy(slash + 1, name, sizeof name);
      execv(self, argv);
    }
  }
  execvp(name, argv);
  fprintf(stderr, "httpstatus: cannot run the server (httpstatus-serve): %s\n", strerror(errno));
  return 1;
}
