import type { LogStream } from '../domain/types.js';

export interface SandboxMount {
  readonly source: string;
  readonly destination: string;
  readonly readOnly: boolean;
}

export interface SandboxLimits {
  readonly memoryBytes: number;
  readonly pids: number;
  /** CPU share in cores, e.g. 1.5. */
  readonly cpus: number;
  readonly wallClockMs: number;
}

export interface SandboxCommand {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  readonly mounts: readonly SandboxMount[];
  readonly limits: SandboxLimits;
  /** Called for every complete output line, in order per stream. */
  readonly onLine: (stream: Exclude<LogStream, 'system'>, text: string) => void;
  /** How long the command may block on its standard input, using no CPU, before the run is stopped; 0 never stops it. */
  readonly inputWaitMs: number;
  /** Ends the run: at once with SIGKILL, or as `stop` says. */
  readonly signal?: AbortSignal;
  /**
   * How `signal` ends the run: this signal first (a name or number as `runc kill` takes it, e.g.
   * `TERM`), SIGKILL after `graceMs` if the run is still going. Without it, SIGKILL at once.
   */
  readonly stop?: { readonly signal: string; readonly graceMs: number };
  /**
   * Run argv itself as the sandbox's first process (PID 1), as a kernel starts an init, instead
   * of under the sandbox's agent: no reboot reports, leftover processes or input waits. Its
   * console is a terminal whose lines arrive as stdout; /sys/fs/cgroup is writable below the
   * sandbox's own cgroup, as an init like systemd needs.
   */
  readonly asInit?: boolean;
}

/** A process seen inside the sandbox. */
export interface SandboxProcess {
  readonly pid: number;
  readonly ppid: number;
  /** Its command line, arguments joined by spaces. */
  readonly command: string;
}

/** A reboot or power-off asked for from inside; it ends the run. */
export interface RebootAttempt {
  /** How it was asked for: the reboot(2) system call, the /run/initctl FIFO, or a command (systemctl, reboot, shutdown, init ...). */
  readonly via: 'syscall' | 'initctl' | 'command';
  readonly kind: 'restart' | 'power-off' | 'halt' | 'unknown';
  /** The command that asked, when known. */
  readonly command: string | null;
  /** The command line of its parent, when known: which script ran the command. */
  readonly parentCommand?: string | null;
}

/** The installer blocked reading its (empty) standard input without using CPU. */
export interface InputWait {
  readonly pid: number;
  readonly command: string;
  readonly waitedMs: number;
}

export interface SandboxOutcome {
  /** Exit status of the command; null when it was killed by a signal or the limit. */
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  readonly durationMs: number;
  /** Processes still running when the command exited; they were killed afterwards. */
  readonly leftoverProcesses: readonly SandboxProcess[];
  /** Set when the run was stopped because the command waited for input. */
  readonly inputWait: InputWait | null;
  /** Set when the run ended by a reboot or power-off from inside. */
  readonly reboot: RebootAttempt | null;
  readonly limitsHit: {
    readonly memory: boolean;
    readonly processes: boolean;
    readonly disk: boolean;
  };
}

/** A prepared root: base layers read-only, a fresh upper directory on top. */
export interface SandboxSession {
  /** The merged view of the root, readable by the host while the session lives. */
  readonly rootDir: string;
  /** What the command changed: overlay upper directory, with overlay whiteouts. */
  readonly upperDir: string;
  /** Runs one command under the sandbox's init: an empty standard input that never ends, no terminal. */
  run(command: SandboxCommand): Promise<SandboxOutcome>;
  /** Unmounts and removes everything the session made on the host. Idempotent. */
  dispose(): Promise<void>;
}

export interface SandboxPrepareOptions {
  /** Unique id; names the container and its host directories. */
  readonly id: string;
  /** Read-only lower roots, uppermost first. */
  readonly lowerDirs: readonly string[];
  readonly hostname: string;
  /** Largest size the upper directory may grow to. */
  readonly diskLimitBytes: number;
  /** A network namespace to join (a sink network); without it the sandbox gets one with only lo. */
  readonly networkNamespacePath?: string;
  /** Files to bind read-only over existing files of the root, e.g. /etc/resolv.conf. */
  readonly fileOverlays?: readonly { readonly source: string; readonly destination: string }[];
}

/** An isolation kind that can run installers: runc today, virtual machines later. */
export interface Sandbox {
  readonly kind: string;
  prepare(options: SandboxPrepareOptions): Promise<SandboxSession>;
  /** Removes sessions left by a process that died (mounts, containers, directories). */
  cleanupStale(): Promise<string[]>;
}

/** The sandbox itself failed (not the command inside it): an Investigating case. */
export class SandboxError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SandboxError';
  }
}
