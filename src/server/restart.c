/* Restart without loss (restart.h): the new copy of the binary. */
#include "server/restart.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server/listen.h"

extern char **environ;

static char self_path[PATH_MAX];
static int saved_argc;
static char **saved_argv;

void hs__restart_setup(int argc, char **argv) {
  ssize_t n = readlink("/proc/self/exe", self_path, sizeof self_path - 1);
  self_path[n > 0 ? n : 0] = '\0';
  saved_argc = argc;
  saved_argv = argv;
}

/* Builds "NAME=value" into a new string; NULL on allocation failure. */
static char *env_entry(const char *name, const char *value) {
  size_t n = strlen(name) + strlen(value) + 2;
  char *s = malloc(n);
  if (s)
    snprintf(s, n, "%s=%s", name, value);
  return s;
}

pid_t hs__restart_spawn(const int *listen_fds, int nkinds, int *ready_fd) {
  if (!self_path[0] || !saved_argv) {
    errno = ENOENT;
    return -1;
  }
  /* everything the child needs is prepared before fork: after it, a
   * multithreaded process may only make async-signal-safe calls */
  char fds_value[128] = "";
  size_t off = 0;
  for (int k = 0; k < nkinds; k++)
    off += (size_t)snprintf(fds_value + off, sizeof fds_value - off, "%s%d", k ? "," : "",
                            listen_fds[k]);
  int pipefd[2];
  if (pipe2(pipefd, O_CLOEXEC | O_NONBLOCK) != 0)
    return -1;
  char ready_value[16];
  snprintf(ready_value, sizeof ready_value, "%d", pipefd[1]);
  size_t nenv = 0;
  while (environ[nenv])
    nenv++;
  char **envp = calloc(nenv + 3, sizeof(char *));
  char **args = calloc((size_t)saved_argc + 1, sizeof(char *));
  char *fds_entry = env_entry(HS_LISTEN_FDS_ENV, fds_value);
  char *ready_entry = env_entry(HS_READY_FD_ENV, ready_value);
  pid_t pid = -1;
  if (envp && args && fds_entry && ready_entry) {
    size_t j = 0;
    for (size_t i = 0; i < nenv; i++) /* ours replace any inherited value */
      if (strncmp(environ[i], HS_LISTEN_FDS_ENV "=", sizeof HS_LISTEN_FDS_ENV) != 0 &&
          strncmp(environ[i], HS_READY_FD_ENV "=", sizeof HS_READY_FD_ENV) != 0)
        envp[j++] = environ[i];
    envp[j++] = fds_entry;
    envp[j] = ready_entry;
    args[0] = "httpstatus-serve"; /* its main() sets argv[0] back to "serve" */
    for (int i = 1; i < saved_argc; i++)
      args[i] = saved_argv[i];
    pid = fork();
    if (pid == 0) {
      sigset_t none;
      sigemptyset(&none);
      sigprocmask(SIG_SETMASK, &none, NULL);
      for (int k = 0; k < nkinds; k++) /* these alone cross the exec */
        if (listen_fds[k] >= 0)
          fcntl(listen_fds[k], F_SETFD, 0);
      fcntl(pipefd[1], F_SETFD, 0);
      execve(self_path, args, envp);
      _exit(127);
    }
  }
  int saved = errno;
  close(pipefd[1]);
  free(envp);
  free(args);
  free(fds_entry);
  free(ready_entry);
  if (pid < 0) {
    close(pipefd[0]);
    errno = saved;
    return -1;
  }
  *ready_fd = pipefd[0];
  return pid;
}

void hs__restart_notify_ready(void) {
  const char *env = getenv(HS_READY_FD_ENV);
  if (!env)
    return;
  int fd = atoi(env);
  unsetenv(HS_READY_FD_ENV);
  if (fd > 2) {
    ssize_t n;
    do
      n = write(fd, "R", 1);
    while (n < 0 && errno == EINTR);
    close(fd);
  }
}
