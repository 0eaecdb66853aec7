/*
 * goldsmith-console: runs a command (`runc run` of a container whose process has a terminal) with
 * a fresh pseudo-terminal as its controlling terminal and standard streams, and copies what the
 * terminal shows to standard output. Runs on the host.
 *
 *   goldsmith-console COLUMNS ROWS -- COMMAND ARGS...
 *
 * runc in the foreground gives a container a console only when its own standard input is a
 * terminal; it then relays the container's /dev/console to it. An init such as systemd writes its
 * boot status only to a console that is a terminal. The terminal gets the given size, which runc
 * passes on, so long status lines are not cut to 80 columns. Nothing is ever typed into it.
 * Exits with the command's status, or 128+N when signal N ended it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static int write_all(int fd, const char *data, size_t length) {
  while (length > 0) {
    ssize_t written = write(fd, data, length);
    if (written < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    data += written;
    length -= (size_t)written;
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 5 || strcmp(argv[3], "--") != 0) {
    fprintf(stderr, "usage: goldsmith-console COLUMNS ROWS -- COMMAND ARGS...\n");
    return 125;
  }
  struct winsize size = {.ws_col = (unsigned short)atoi(argv[1]),
                         .ws_row = (unsigned short)atoi(argv[2])};
  /* Output as it is written: no echo of input, no \n to \r\n translation added here. */
  struct termios mode;
  memset(&mode, 0, sizeof mode);
  cfmakeraw(&mode);
  int master;
  pid_t child = forkpty(&master, NULL, &mode, &size);
  if (child < 0) {
    perror("goldsmith-console: forkpty");
    return 125;
  }
  if (child == 0) {
    execvp(argv[4], &argv[4]);
    fprintf(stderr, "goldsmith-console: cannot run %s: %s\n", argv[4], strerror(errno));
    _exit(errno == ENOENT ? 127 : 126);
  }
  char buffer[8192];
  for (;;) {
    ssize_t count = read(master, buffer, sizeof buffer);
    if (count < 0 && errno == EINTR) continue;
    /* EIO: every process holding the terminal's other end has closed it. */
    if (count <= 0) break;
    if (write_all(STDOUT_FILENO, buffer, (size_t)count) != 0) break;
  }
  int status;
  while (waitpid(child, &status, 0) < 0) {
    if (errno != EINTR) {
      perror("goldsmith-console: waitpid");
      return 125;
    }
  }
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}
