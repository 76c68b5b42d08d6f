/* `httpstatus check` and `httpstatus lint`: replace this process with the
 * companion binary httpstatus-check (libcurl and the lint engine), so lookups
 * never load them. Looked for, in order: $HTTPSTATUS_CHECK, `httpstatus-check`
 * beside this executable, then on PATH. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

int hs__exec_check(int argc, char **argv) {
  (void)argc;
  static const char name[] = "httpstatus-check";
  char **args = calloc((size_t)argc + 2, sizeof *args);
  if (!args)
    return 2;
  args[0] = (char *)name;
  for (int i = 0; i < argc; i++)
    args[i + 1] = argv[i]; /* argv[0] is "check" or "lint": the companion's command */
  const char *env = getenv("HTTPSTATUS_CHECK");
  if (env && *env)
    execv(env, args);
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n > 0) {
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    if (slash && (size_t)(slash - self) + sizeof name + 1 < sizeof self) {
      memcpy(slash + 1, name, sizeof name);
      execv(self, args);
    }
  }
  execvp(name, args);
  fprintf(stderr, "httpstatus: cannot run %s (needed by `httpstatus %s`): %s\n", name, argv[0],
          strerror(errno));
  free(args);
  return 2;
}
