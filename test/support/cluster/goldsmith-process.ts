import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

import { repoRoot } from '../paths.js';

const bin = path.join(repoRoot, 'bin', 'goldsmith.js');

/** What a process of a test cluster runs: the API alone, build workers, or both. */
export type ProcessRole = 'api' | 'worker' | 'all';

/** How to start one Goldsmith process; a restart reuses the same spec. */
export interface ProcessSpec {
  readonly role: ProcessRole;
  readonly dataDir: string;
  /** Every flag but the role's own (database, blobs, data dir, keys, lease, …). */
  readonly args: readonly string[];
  /** Concurrent builds of a worker or `all` process. */
  readonly workers: number;
  readonly env: Readonly<Record<string, string>>;
}

/** One running `goldsmith` process of a test cluster. */
export interface GoldsmithProcess {
  readonly spec: ProcessSpec;
  readonly pid: number;
  /** Its HTTP address: the API, or a worker's health and metrics endpoint. */
  readonly url: string;
  /** The first operator's token, when this start created it. */
  readonly operatorToken: string | undefined;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** Its JSON log records so far (pino lines of stdout). */
  logRecords(): Record<string, unknown>[];
  /** Sends `signal` to the process alone (not its children) and waits until it exits. */
  kill(signal: NodeJS.Signals): Promise<void>;
  /**
   * Stops it gracefully (SIGTERM), so it gives builds back and removes its networks; SIGKILLs
   * its whole process group if it has not exited after `graceMs`.
   */
  stop(graceMs?: number): Promise<void>;
}

/** The command line of a role. */
function roleArgs(spec: ProcessSpec): string[] {
  const listen = ['--host', '127.0.0.1', '--port', '0'];
  const workers = ['--workers', String(spec.workers)];
  switch (spec.role) {
    case 'api':
      return ['server', ...listen, '--no-workers'];
    case 'all':
      return ['server', ...listen, ...workers];
    case 'worker':
      // A short drain, so stopping a worker at cleanup does not wait for its builds.
      return ['worker', ...listen, ...workers, '--drain-timeout', '5'];
  }
}

/**
 * Starts `goldsmith` with `spec` in its own process group and waits until it listens. Its logs
 * are JSON at level info, so tests can see which process ran which job.
 */
export function startGoldsmithProcess(spec: ProcessSpec): Promise<GoldsmithProcess> {
  const child = spawn(process.execPath, [bin, ...roleArgs(spec), ...spec.args], {
    env: { ...process.env, GOLDSMITH_LOG_LEVEL: 'info', ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own group, so cleanup can end whatever it spawned (runc, recorders) with it.
    detached: true,
  });
  let output = '';
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  return new Promise((resolve, reject) => {
    let listening = false;
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (listening) return;
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      if (url === undefined) return;
      listening = true;
      resolve(
        processHandle(spec, child, url, /^operator token: (\S+)$/m.exec(output)?.[1], {
          output: () => output,
          exited: () => exited,
          exit,
        }),
      );
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exit.then(() => {
      if (!listening)
        reject(new Error(`goldsmith ${spec.role} exited before listening:\n${output}`));
    });
  });
}

function processHandle(
  spec: ProcessSpec,
  child: ChildProcess,
  url: string,
  operatorToken: string | undefined,
  state: { output: () => string; exited: () => boolean; exit: Promise<void> },
): GoldsmithProcess {
  const pid = child.pid!;
  const kill = async (signal: NodeJS.Signals): Promise<void> => {
    if (state.exited()) return;
    child.kill(signal);
    await state.exit;
  };
  return {
    spec,
    pid,
    url,
    operatorToken,
    output: state.output,
    logRecords: () => parseLogLines(state.output()),
    kill,
    async stop(graceMs = 30_000) {
      if (!state.exited()) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => killGroup(pid), graceMs);
        await state.exit;
        clearTimeout(timer);
      }
      // Whatever it left running in its group (it may have been SIGKILLed before).
      killGroup(pid);
    },
  };
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // No process left in the group.
  }
}

/** The JSON objects among `output`'s lines. */
export function parseLogLines(output: string): Record<string, unknown>[] {
  const records: Record<string, unknown>[] = [];
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      records.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // A line cut by a kill, or not a log record.
    }
  }
  return records;
}
