/*
 * goldsmith-agent: PID 1 of a Goldsmith build sandbox, and a shim for the commands that ask init
 * to reboot.
 *
 * As PID 1 (`goldsmith-agent [--input-wait-ms N] -- INSTALLER ARGS...`) it runs the installer
 * with an empty standard input pipe whose write end it keeps open, reaps every process, and
 * reports on fd 3, one JSON object a line:
 *   {"event":"input-wait","pid":P,"command":"...","waitedMs":N}  installer blocked on stdin
 *   {"event":"reboot","via":"initctl"|"command","kind":"...","command":"...","parent":"..."}
 *   {"event":"leftover","processes":[{"pid":P,"ppid":Q,"command":"..."}]}
 *   {"event":"exit","status":N|null,"signal":S|null}              always last
 * After the exit event it waits (bounded) for one byte back on fd 3, so the host can read the
 * container's cgroup counters before the container, and so its cgroup, goes away.
 * SIGTERM to the agent (a graceful stop) is passed on to every other process of the namespace,
 * as an init does at shutdown; what is still running when the installer exits is killed.
 *
 * Invoked under any other name (bound over systemctl, reboot, ...), it reports a reboot or
 * power-off request to the agent and never returns, or execs the real program.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define EVENTS_FD 3
#define AGENT_DIR "/run/goldsmith"
#define AGENT_SOCKET AGENT_DIR "/agent.sock"
/* Where the sandbox binds the programs the shim stands in for. */
#define REAL_DIR AGENT_DIR "/agent/real"
#define INITCTL "/run/initctl"
#define SCAN_INTERVAL_MS 200
#define ACK_TIMEOUT_MS 10000

/* sysvinit's initreq.h: what `telinit 6` and systemd's fallback write into /run/initctl. */
#define INIT_MAGIC 0x03091969
#define INIT_CMD_RUNLVL 1
struct init_request {
  int magic;
  int cmd;
  int runlevel;
  int sleeptime;
  char data[368];
};

/* ---------- small helpers ---------- */

struct buf {
  char *data;
  size_t len, cap;
};

static void buf_add(struct buf *b, const char *s, size_t n) {
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap == 0 ? 256 : b->cap;
    while (b->len + n + 1 > cap) cap *= 2;
    char *data = realloc(b->data, cap);
    if (data == NULL) abort();
    b->data = data;
    b->cap = cap;
  }
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

static void buf_str(struct buf *b, const char *s) { buf_add(b, s, strlen(s)); }

static void buf_fmt(struct buf *b, const char *format, ...) {
  char text[128];
  va_list args;
  va_start(args, format);
  int n = vsnprintf(text, sizeof text, format, args);
  va_end(args);
  if (n > 0) buf_add(b, text, (size_t)n < sizeof text ? (size_t)n : sizeof text - 1);
}

/* RFC 8259 string; NULL is null. Bytes >= 0x80 pass through (the host decodes them leniently). */
static void buf_json(struct buf *b, const char *s) {
  if (s == NULL) {
    buf_str(b, "null");
    return;
  }
  buf_str(b, "\"");
  for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
    if (*p == '"' || *p == '\\') {
      char esc[2] = {'\\', (char)*p};
      buf_add(b, esc, 2);
    } else if (*p < 0x20) {
      buf_fmt(b, "\\u%04x", *p);
    } else {
      buf_add(b, (const char *)p, 1);
    }
  }
  buf_str(b, "\"");
}

static int events_fd = -1;

static void write_all(int fd, const char *data, size_t len) {
  while (len > 0) {
    ssize_t n = write(fd, data, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;
    }
    data += n;
    len -= (size_t)n;
  }
}

/* Sends one event line and frees it. */
static void emit(struct buf *b) {
  buf_str(b, "\n");
  write_all(events_fd >= 0 ? events_fd : STDERR_FILENO, b->data, b->len);
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads up to cap-1 bytes of a /proc file; -1 when it cannot be read. */
static ssize_t read_small(const char *path, char *out, size_t cap) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  size_t len = 0;
  while (len + 1 < cap) {
    ssize_t n = read(fd, out + len, cap - 1 - len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    len += (size_t)n;
  }
  close(fd);
  out[len] = '\0';
  return (ssize_t)len;
}

/* A process's command line, arguments joined by spaces; "[comm]" when it has none. */
static char *command_of(pid_t pid) {
  char path[64], text[4096];
  snprintf(path, sizeof path, "/proc/%d/cmdline", (int)pid);
  ssize_t n = read_small(path, text, sizeof text);
  if (n < 0) return NULL;
  while (n > 0 && text[n - 1] == '\0') n--;
  if (n == 0) {
    snprintf(path, sizeof path, "/proc/%d/comm", (int)pid);
    char comm[64];
    if (read_small(path, comm, sizeof comm) < 0) return NULL;
    comm[strcspn(comm, "\n")] = '\0';
    char *out = malloc(strlen(comm) + 3);
    if (out != NULL) sprintf(out, "[%s]", comm);
    return out;
  }
  for (ssize_t i = 0; i < n; i++)
    if (text[i] == '\0') text[i] = ' ';
  text[n] = '\0';
  return strdup(text);
}

struct proc_stat {
  pid_t pid, ppid;
  char state;
  unsigned long long cpu;   /* utime + stime, in clock ticks */
  unsigned long long start; /* starttime: tells a reused pid apart */
};

/* proc(5) /proc/PID/stat; the command name may hold spaces and parentheses. */
static int read_stat(pid_t pid, struct proc_stat *st) {
  char path[64], text[1024];
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  if (read_small(path, text, sizeof text) <= 0) return -1;
  char *p = strrchr(text, ')');
  if (p == NULL) return -1;
  p += 2;
  unsigned long long field[23] = {0};
  char state = *p;
  p++;
  /* Fields 4 (ppid) to 22 (starttime). */
  for (int i = 4; i <= 22; i++) {
    char *end;
    field[i] = strtoull(p, &end, 10);
    if (end == p) return -1;
    p = end;
  }
  st->pid = pid;
  st->ppid = (pid_t)field[4];
  st->state = state;
  st->cpu = field[14] + field[15];
  st->start = field[22];
  return 0;
}

/* Calls fn for every process of the namespace but this one. */
static void for_each_process(void (*fn)(const struct proc_stat *, void *), void *arg) {
  DIR *dir = opendir("/proc");
  if (dir == NULL) return;
  struct dirent *entry;
  while ((entry = readdir(dir)) != NULL) {
    char *end;
    long pid = strtol(entry->d_name, &end, 10);
    if (*end != '\0' || pid <= 1) continue;
    struct proc_stat st;
    if (read_stat((pid_t)pid, &st) == 0) fn(&st, arg);
  }
  closedir(dir);
}

/* ---------- the agent (PID 1) ---------- */

static pid_t installer = -1;
static int installer_done = 0;
static int installer_status = 0;
static char stdin_link[64]; /* "pipe:[INODE]" of the installer's stdin */

static void reap(void) {
  int status;
  pid_t pid;
  while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
    if (pid == installer) {
      installer_done = 1;
      installer_status = status;
    }
  }
}

/* Kills every other process of the PID namespace and reaps them all. */
static void kill_all(void) {
  if (getpid() == 1) kill(-1, SIGKILL);
  int status;
  pid_t pid;
  while ((pid = waitpid(-1, &status, 0)) > 0 || (pid < 0 && errno == EINTR)) {
    if (pid == installer && !installer_done) {
      installer_done = 1;
      installer_status = status;
    }
  }
}

/* ----- input wait: blocked in read(2) on the stdin pipe, using no CPU ----- */

struct watch {
  pid_t pid;
  unsigned long long start, cpu;
  long long since;
  int seen;
};
static struct watch *watches;
static size_t watch_count, watch_cap;
static long input_wait_ms;
static long long scan_now;
static pid_t waiting_pid = -1;
static long long waiting_ms;

/* True when /proc/PID/syscall shows a read(2) family call on an fd that is our stdin pipe. */
static int blocked_on_stdin(pid_t pid) {
  char path[64], text[512];
  snprintf(path, sizeof path, "/proc/%d/syscall", (int)pid);
  if (read_small(path, text, sizeof text) <= 0) return 0;
  char *end;
  long nr = strtol(text, &end, 10);
  if (end == text) return 0; /* "running" */
  /* x86_64: read 0, pread64 17, readv 19, preadv 295, preadv2 327; fd is the first argument. */
  if (nr != 0 && nr != 17 && nr != 19 && nr != 295 && nr != 327) return 0;
  unsigned long long fd = strtoull(end, NULL, 16);
  char link[64], target[64];
  snprintf(link, sizeof link, "/proc/%d/fd/%llu", (int)pid, fd);
  ssize_t n = readlink(link, target, sizeof target - 1);
  if (n < 0) return 0;
  target[n] = '\0';
  return strcmp(target, stdin_link) == 0;
}

static void scan_one(const struct proc_stat *st, void *arg) {
  (void)arg;
  if (st->state != 'S' || !blocked_on_stdin(st->pid)) return;
  struct watch *w = NULL;
  for (size_t i = 0; i < watch_count; i++)
    if (watches[i].pid == st->pid) w = &watches[i];
  if (w == NULL) {
    if (watch_count == watch_cap) {
      watch_cap = watch_cap == 0 ? 16 : watch_cap * 2;
      watches = realloc(watches, watch_cap * sizeof *watches);
      if (watches == NULL) abort();
    }
    w = &watches[watch_count++];
    w->pid = 0;
  }
  if (w->pid != st->pid || w->start != st->start || w->cpu != st->cpu) {
    *w = (struct watch){.pid = st->pid, .start = st->start, .cpu = st->cpu, .since = scan_now};
  }
  w->seen = 1;
  if (waiting_pid < 0 && scan_now - w->since >= input_wait_ms) {
    waiting_pid = st->pid;
    waiting_ms = scan_now - w->since;
  }
}

/* Returns 1 (and reports) when some process has waited for input longer than allowed. */
static int scan_input_wait(void) {
  scan_now = now_ms();
  for (size_t i = 0; i < watch_count; i++) watches[i].seen = 0;
  for_each_process(scan_one, NULL);
  size_t kept = 0;
  for (size_t i = 0; i < watch_count; i++)
    if (watches[i].seen) watches[kept++] = watches[i];
  watch_count = kept;
  if (waiting_pid < 0) return 0;
  char *command = command_of(waiting_pid);
  struct buf b = {0};
  buf_fmt(&b, "{\"event\":\"input-wait\",\"pid\":%d,\"command\":", (int)waiting_pid);
  buf_json(&b, command);
  buf_fmt(&b, ",\"waitedMs\":%lld}", waiting_ms);
  emit(&b);
  free(command);
  return 1;
}

/* ----- leftovers ----- */

static void list_one(const struct proc_stat *st, void *arg) {
  if (st->state == 'Z' || st->state == 'X') return;
  struct buf *b = arg;
  if (b->data[b->len - 1] == '}') buf_str(b, ",");
  char *command = command_of(st->pid);
  buf_fmt(b, "{\"pid\":%d,\"ppid\":%d,\"command\":", (int)st->pid, (int)st->ppid);
  buf_json(b, command);
  buf_str(b, "}");
  free(command);
}

/* The leftover event, or an empty buffer when no process is left. */
static struct buf list_leftovers(void) {
  struct buf b = {0};
  buf_str(&b, "{\"event\":\"leftover\",\"processes\":[");
  size_t empty = b.len;
  for_each_process(list_one, &b);
  if (b.len == empty) {
    free(b.data);
    return (struct buf){0};
  }
  buf_str(&b, "]}");
  return b;
}

/* A child forked just before the installer exited may not have exec'd its program yet and still
 * show the installer's command line: list again until two lists agree (at most 0.5 s). */
#define SETTLE_STEP_US 100000
#define SETTLE_STEPS 5

static void report_leftovers(void) {
  struct buf b = list_leftovers();
  for (int step = 0; b.len > 0 && step < SETTLE_STEPS; step++) {
    usleep(SETTLE_STEP_US);
    reap();
    struct buf again = list_leftovers();
    int same = again.len == b.len && memcmp(again.data, b.data, b.len) == 0;
    free(b.data);
    b = again;
    if (same) break;
  }
  if (b.len > 0) emit(&b);
}

/* ----- reboot requests ----- */

static void report_reboot(const char *via, const char *kind, pid_t pid) {
  char *command = pid > 0 ? command_of(pid) : NULL;
  char *parent = NULL;
  struct proc_stat st;
  if (pid > 0 && read_stat(pid, &st) == 0 && st.ppid > 0) parent = command_of(st.ppid);
  struct buf b = {0};
  buf_str(&b, "{\"event\":\"reboot\",\"via\":");
  buf_json(&b, via);
  buf_str(&b, ",\"kind\":");
  buf_json(&b, kind);
  buf_str(&b, ",\"command\":");
  buf_json(&b, command);
  buf_str(&b, ",\"parent\":");
  buf_json(&b, parent);
  buf_str(&b, "}");
  emit(&b);
  free(command);
  free(parent);
}

/* The process (not us) that has /run/initctl open, if it is still there. */
static pid_t initctl_writer(void) {
  pid_t found = -1;
  DIR *proc = opendir("/proc");
  if (proc == NULL) return -1;
  struct dirent *entry;
  while (found < 0 && (entry = readdir(proc)) != NULL) {
    char *end;
    long pid = strtol(entry->d_name, &end, 10);
    if (*end != '\0' || pid <= 1) continue;
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/fd", pid);
    DIR *fds = opendir(path);
    if (fds == NULL) continue;
    struct dirent *fd;
    while ((fd = readdir(fds)) != NULL) {
      char link[384], target[64];
      snprintf(link, sizeof link, "%s/%s", path, fd->d_name);
      ssize_t n = readlink(link, target, sizeof target - 1);
      if (n < 0) continue;
      target[n] = '\0';
      if (strcmp(target, INITCTL) == 0) {
        found = (pid_t)pid;
        break;
      }
    }
    closedir(fds);
  }
  closedir(proc);
  return found;
}

/* Returns 1 (and reports) for a request to enter runlevel 0 or 6. A writer may split a request
 * over several writes, so bytes gather until a whole one is there; a bad magic resynchronises. */
static int read_initctl(int fd) {
  static struct init_request request;
  static size_t have;
  for (;;) {
    ssize_t n = read(fd, (char *)&request + have, sizeof request - have);
    if (n <= 0) return 0;
    have += (size_t)n;
    if (have < sizeof request) continue;
    have = 0;
    if (request.magic != INIT_MAGIC || request.cmd != INIT_CMD_RUNLVL) continue;
    if (request.runlevel != '0' && request.runlevel != '6') continue;
    report_reboot("initctl", request.runlevel == '6' ? "restart" : "power-off", initctl_writer());
    return 1;
  }
}

/* A shim's datagram: "reboot KIND PID". */
static int read_shim(int fd) {
  char text[128];
  ssize_t n = recv(fd, text, sizeof text - 1, 0);
  if (n <= 0) return 0;
  text[n] = '\0';
  char kind[32];
  int pid;
  if (sscanf(text, "reboot %31s %d", kind, &pid) != 2) return 0;
  report_reboot("command", kind, (pid_t)pid);
  return 1;
}

static void usage(void) {
  fprintf(stderr, "usage: goldsmith-agent [--input-wait-ms N] -- COMMAND [ARG...]\n");
  exit(125);
}

/*
 * The sandbox gives the agent CAP_SYS_PTRACE, which reading /proc/PID/syscall and /proc/PID/fd of
 * a process that changed its user (su, setpriv) needs; the installer and everything it starts
 * must not have it: drop it from the bounding, ambient, inheritable, permitted and effective sets.
 */
static void drop_agent_capabilities(void) {
  prctl(PR_CAPBSET_DROP, CAP_SYS_PTRACE, 0, 0, 0);
  prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_LOWER, CAP_SYS_PTRACE, 0, 0);
  struct __user_cap_header_struct header = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
  struct __user_cap_data_struct data[2];
  if (syscall(SYS_capget, &header, data) != 0) return;
  unsigned int bit = 1u << (CAP_SYS_PTRACE % 32);
  data[CAP_SYS_PTRACE / 32].effective &= ~bit;
  data[CAP_SYS_PTRACE / 32].permitted &= ~bit;
  data[CAP_SYS_PTRACE / 32].inheritable &= ~bit;
  syscall(SYS_capset, &header, data);
}

static int agent_main(int argc, char **argv) {
  int i = 1;
  while (i < argc && strncmp(argv[i], "--", 2) == 0) {
    if (strcmp(argv[i], "--") == 0) {
      i++;
      break;
    }
    if (strcmp(argv[i], "--input-wait-ms") == 0 && i + 1 < argc) {
      input_wait_ms = atol(argv[i + 1]);
      i += 2;
      continue;
    }
    usage();
  }
  if (i >= argc) usage();
  /* kill(-1) below ends every process of the namespace: only ever as a namespace's PID 1. */
  if (getpid() != 1) {
    fprintf(stderr, "goldsmith-agent: must run as PID 1 of its own PID namespace\n");
    return 125;
  }
  if (fcntl(EVENTS_FD, F_SETFD, FD_CLOEXEC) == 0) events_fd = EVENTS_FD;

  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGCHLD);
  sigaddset(&mask, SIGTERM);
  sigprocmask(SIG_BLOCK, &mask, NULL);
  int sigfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);

  mkdir(AGENT_DIR, 0755);
  unlink(INITCTL);
  int fifo = -1;
  if (mkfifo(INITCTL, 0600) == 0) fifo = open(INITCTL, O_RDWR | O_NONBLOCK | O_CLOEXEC);
  unlink(AGENT_SOCKET);
  int sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  strcpy(addr.sun_path, AGENT_SOCKET);
  if (sock >= 0 && bind(sock, (struct sockaddr *)&addr, sizeof addr) != 0) {
    close(sock);
    sock = -1;
  }

  /* An empty pipe nobody writes to: a read blocks as on a terminal nobody types into. */
  int input[2];
  if (pipe2(input, O_CLOEXEC) != 0) {
    perror("goldsmith-agent: pipe");
    return 125;
  }
  struct stat pipe_stat;
  fstat(input[0], &pipe_stat);
  snprintf(stdin_link, sizeof stdin_link, "pipe:[%lu]", (unsigned long)pipe_stat.st_ino);

  installer = fork();
  if (installer < 0) {
    perror("goldsmith-agent: fork");
    return 125;
  }
  if (installer == 0) {
    sigprocmask(SIG_UNBLOCK, &mask, NULL);
    drop_agent_capabilities();
    dup2(input[0], STDIN_FILENO);
    execvp(argv[i], &argv[i]);
    int error = errno;
    fprintf(stderr, "goldsmith-agent: cannot run %s: %s\n", argv[i], strerror(error));
    _exit(error == ENOENT || error == ENOTDIR ? 127 : 126);
  }
  close(input[0]);

  int stopped = 0;
  long long next_scan = now_ms() + SCAN_INTERVAL_MS;
  while (!installer_done && !stopped) {
    struct pollfd fds[3] = {
        {.fd = sigfd, .events = POLLIN},
        {.fd = fifo, .events = POLLIN},
        {.fd = sock, .events = POLLIN},
    };
    long long wait = next_scan - now_ms();
    poll(fds, 3, wait < 0 ? 0 : (int)wait);
    if (fds[0].revents & POLLIN) {
      struct signalfd_siginfo info;
      while (read(sigfd, &info, sizeof info) > 0) {
        /* kill(-1) from PID 1 reaches every process of the namespace but the agent itself. */
        if (info.ssi_signo == SIGTERM) kill(-1, SIGTERM);
      }
    }
    reap();
    if (installer_done) break;
    if ((fds[1].revents & POLLIN) && read_initctl(fifo)) stopped = 1;
    if (!stopped && (fds[2].revents & POLLIN) && read_shim(sock)) stopped = 1;
    if (!stopped && now_ms() >= next_scan) {
      if (input_wait_ms > 0 && scan_input_wait()) stopped = 1;
      next_scan = now_ms() + SCAN_INTERVAL_MS;
    }
  }
  if (!stopped) report_leftovers();
  kill_all();

  struct buf b = {0};
  int code;
  if (WIFSIGNALED(installer_status)) {
    buf_fmt(&b, "{\"event\":\"exit\",\"status\":null,\"signal\":%d}", WTERMSIG(installer_status));
    code = 128 + WTERMSIG(installer_status);
  } else {
    code = WEXITSTATUS(installer_status);
    buf_fmt(&b, "{\"event\":\"exit\",\"status\":%d,\"signal\":null}", code);
  }
  emit(&b);
  if (events_fd >= 0) {
    struct pollfd ack = {.fd = events_fd, .events = POLLIN};
    if (poll(&ack, 1, ACK_TIMEOUT_MS) > 0 && (ack.revents & POLLIN)) {
      char byte;
      (void)read(events_fd, &byte, 1);
    }
  }
  return code;
}

/* ---------- the shim ---------- */

static int has_arg(int argc, char **argv, const char *arg) {
  for (int i = 1; i < argc; i++)
    if (strcmp(argv[i], arg) == 0) return 1;
  return 0;
}

/* True when a short-option group (e.g. "-rf") holds letter. */
static int has_short(int argc, char **argv, char letter) {
  for (int i = 1; i < argc; i++)
    if (argv[i][0] == '-' && argv[i][1] != '-' && strchr(argv[i] + 1, letter) != NULL) return 1;
  return 0;
}

static const char *first_operand(int argc, char **argv, int *index) {
  for (int i = 1; i < argc; i++) {
    if (argv[i][0] != '-') {
      if (index != NULL) *index = i;
      return argv[i];
    }
  }
  return NULL;
}

/* The kind of a systemd target or verb name: "reboot", "reboot.target", ... */
static const char *kind_of_target(const char *name) {
  size_t len = strcspn(name, ".");
  if (strncmp(name, "reboot", len) == 0 && len == 6) return "restart";
  if (strncmp(name, "soft-reboot", len) == 0 && len == 11) return "restart";
  if (strncmp(name, "kexec", len) == 0 && len == 5) return "restart";
  if (strncmp(name, "poweroff", len) == 0 && len == 8) return "power-off";
  if (strncmp(name, "halt", len) == 0 && len == 4) return "halt";
  return NULL;
}

/* What the invocation asks for: a kind, or NULL for anything else (run the real program). */
static const char *requested_kind(const char *name, int argc, char **argv) {
  if (has_arg(argc, argv, "--help") || has_arg(argc, argv, "--version")) return NULL;
  if (strcmp(name, "systemctl") == 0) {
    int at = 0;
    const char *verb = first_operand(argc, argv, &at);
    if (verb == NULL) return NULL;
    const char *kind = strchr(verb, '.') == NULL ? kind_of_target(verb) : NULL;
    if (kind != NULL) return kind;
    if (strcmp(verb, "isolate") == 0 || strcmp(verb, "start") == 0) {
      for (int i = at + 1; i < argc; i++) {
        if (argv[i][0] == '-') continue;
        kind = kind_of_target(argv[i]);
        if (kind != NULL) return kind;
      }
    }
    return NULL;
  }
  if (strcmp(name, "reboot") == 0 || strcmp(name, "poweroff") == 0 || strcmp(name, "halt") == 0) {
    if (has_arg(argc, argv, "--reboot")) return "restart";
    if (has_arg(argc, argv, "--halt")) return "halt";
    if (has_arg(argc, argv, "--poweroff") || has_short(argc, argv, 'p')) return "power-off";
    return strcmp(name, "reboot") == 0 ? "restart" : strcmp(name, "halt") == 0 ? "halt"
                                                                               : "power-off";
  }
  if (strcmp(name, "shutdown") == 0) {
    /* -c cancels and -k only warns: neither shuts down. */
    if (has_short(argc, argv, 'c') || has_short(argc, argv, 'k')) return NULL;
    if (has_arg(argc, argv, "--reboot") || has_short(argc, argv, 'r')) return "restart";
    if (has_arg(argc, argv, "--halt") || has_short(argc, argv, 'H')) return "halt";
    return "power-off";
  }
  if (strcmp(name, "init") == 0 || strcmp(name, "telinit") == 0) {
    const char *level = first_operand(argc, argv, NULL);
    if (level == NULL) return NULL;
    if (strcmp(level, "6") == 0) return "restart";
    if (strcmp(level, "0") == 0) return "power-off";
    return NULL;
  }
  return NULL;
}

static int shim_main(const char *name, int argc, char **argv) {
  const char *kind = requested_kind(name, argc, argv);
  if (kind == NULL) {
    char path[256];
    snprintf(path, sizeof path, "%s/%s", REAL_DIR, name);
    if (access(path, X_OK) != 0) snprintf(path, sizeof path, "%s/systemctl", REAL_DIR);
    execv(path, argv);
    fprintf(stderr, "%s: not available in the build sandbox\n", name);
    return 1;
  }
  int sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  strcpy(addr.sun_path, AGENT_SOCKET);
  char message[64];
  int len = snprintf(message, sizeof message, "reboot %s %d", kind, (int)getpid());
  if (sock < 0 ||
      sendto(sock, message, (size_t)len, 0, (struct sockaddr *)&addr, sizeof addr) != len) {
    /* The socket is gone (removed by the installer?): ask as telinit would; the agent reads it. */
    struct init_request request = {.magic = INIT_MAGIC, .cmd = INIT_CMD_RUNLVL};
    request.runlevel = strcmp(kind, "restart") == 0 ? '6' : '0';
    int fifo = open(INITCTL, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (fifo < 0 || write(fifo, &request, sizeof request) != (ssize_t)sizeof request) {
      fprintf(stderr, "%s: the build sandbox could not record this request\n", name);
    }
  }
  /* A real reboot never returns either; the agent ends the run. */
  for (;;) pause();
}

int main(int argc, char **argv) {
  const char *name = strrchr(argv[0], '/');
  name = name == NULL ? argv[0] : name + 1;
  if (strcmp(name, "goldsmith-agent") == 0) return agent_main(argc, argv);
  return shim_main(name, argc, argv);
}
