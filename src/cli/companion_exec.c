/* `httpstatus serve`, `httpstatus check` and `httpstatus lint`: replace this
 * process with a companion binary, so lookups never load the server's or
 * libcurl's libraries. A companion is looked for, in order: the environment
 * variable naming it, the binary beside this executable, then on PATH. exec
 * keeps the process id, so signals sent to `httpstatus serve` reach the server. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* Execs companion `name` with `args` (args[0] is replaced by name); returns
 * only on failure, the errno of the last try. */
static int exec_companion(const char *name, const char *env_var, char **args) {
  args[0] = (char *)name;
  const char *env = getenv(env_var);
  if (env && *env)
    execv(env, args);
  char self[PATH_MAX];
  size_t nlen = strlen(name);
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n > 0) {
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    if (slash && (size_t)(slash - self) + nlen + 2 < sizeof self) {
      memcpy(slash + 1, name, nlen + 1);
      execv(self, args);
    }
  }
  execvp(name, args);
  return errno;
}

int hs__exec_serve(int argc, char **argv) {
  (void)argc; /* argv is NULL-terminated by the C runtime; argv[0] is "serve" */
  int err = exec_companion("httpstatus-serve", "HTTPSTATUS_SERVE", argv);
  fprintf(stderr, "httpstatus: cannot run the server (httpstatus-serve): %s\n", strerror(err));
  return 1;
}

int hs__exec_check(int argc, char **argv) {
  /* argv[0] is "check" or "lint": the companion's own command, kept as args[1] */
  char **args = calloc((size_t)argc + 2, sizeof *args);
  if (!args)
    return 2;
  for (int i = 0; i < argc; i++)
    args[i + 1] = argv[i];
  int err = exec_companion("httpstatus-check", "HTTPSTATUS_CHECK", args);
  fprintf(stderr, "httpstatus: cannot run httpstatus-check (needed by `httpstatus %s`): %s\n",
          argv[0], strerror(err));
  free(args);
  return 2;
}
