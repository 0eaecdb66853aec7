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
  readonly signal?: AbortSignal;
}

export interface SandboxOutcome {
  /** Exit status of the command; null when it was killed by a signal or the limit. */
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  readonly durationMs: number;
}

/** A prepared root: base layers read-only, a fresh upper directory on top. */
export interface SandboxSession {
  /** The merged view of the root, readable by the host while the session lives. */
  readonly rootDir: string;
  /** What the command changed: overlay upper directory, with overlay whiteouts. */
  readonly upperDir: string;
  /** Runs one command as the container's first process: no stdin, no terminal. */
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
