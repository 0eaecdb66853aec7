import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Duplex, Readable } from 'node:stream';
import { HostToolError, runHostTool } from './host-tool.js';

/** runc's answer when the id names no container in its root. */
const NO_SUCH_CONTAINER = /does not exist|not exist/i;

/** The runc command line, bound to one state root so only our containers are seen. */
export class RuncCli {
  constructor(
    readonly runcPath: string,
    readonly root: string,
  ) {}

  /**
   * Starts `runc run` in the foreground: the container's stdout and stderr are the pipes, and its
   * fd 3 is `agent`, a socket pair (Node makes `pipe` stdio so) on which the agent reports.
   */
  run(id: string, bundleDir: string, logFile: string): RuncRun {
    return this.spawnRun(this.runcPath, [
      ...this.global(logFile),
      'run',
      '--preserve-fds',
      '1',
      '--bundle',
      bundleDir,
      id,
    ]);
  }

  /**
   * Starts `runc run` of a container whose process has a terminal (`process.terminal`) under the
   * console relay (agent/goldsmith-console.c), which gives runc a terminal of `columns` to relay
   * the container's console to; what the console shows arrives on `stdout`.
   */
  runWithConsole(
    id: string,
    bundleDir: string,
    logFile: string,
    console: { readonly relayPath: string; readonly columns: number; readonly rows: number },
  ): RuncRun {
    return this.spawnRun(console.relayPath, [
      String(console.columns),
      String(console.rows),
      '--',
      this.runcPath,
      ...this.global(logFile),
      'run',
      '--bundle',
      bundleDir,
      id,
    ]);
  }

  private spawnRun(command: string, args: readonly string[]): RuncRun {
    const child = spawn(
      command,
      args,
      // No stdin (the container gets /dev/null) and pipes: no terminal unless the relay makes one.
      { stdio: ['ignore', 'pipe', 'pipe', 'pipe'] },
    );
    const [, stdout, stderr, agent] = child.stdio;
    if (stdout === null || stderr === null || agent === null || agent === undefined) {
      throw new Error('runc was spawned without its pipes');
    }
    return { child, stdout, stderr, agent: agent as Duplex };
  }

  /** Sends a signal to the container's first process; false when there is no such container. */
  async kill(id: string, signal = 'KILL'): Promise<boolean> {
    try {
      await runHostTool(this.runcPath, [...this.global(), 'kill', id, signal]);
      return true;
    } catch (error) {
      if (error instanceof HostToolError) return false;
      throw error;
    }
  }

  /** Kills and deletes the container (and its cgroup); nothing when it does not exist. */
  async deleteForce(id: string): Promise<void> {
    // `runc run` in the foreground deletes its container itself; runc keeps a container's state
    // in `<root>/<id>`, so its absence saves spawning runc on every run and dispose.
    if (!(await pathExists(path.join(this.root, id)))) return;
    try {
      await runHostTool(this.runcPath, [...this.global(), 'delete', '--force', id]);
    } catch (error) {
      if (error instanceof HostToolError && NO_SUCH_CONTAINER.test(error.stderr)) return;
      throw error;
    }
  }

  /** Ids of every container in this root. */
  async list(): Promise<string[]> {
    const { stdout } = await runHostTool(this.runcPath, [...this.global(), 'list', '--quiet']);
    return stdout.split('\n').filter((line) => line !== '');
  }

  private global(logFile?: string): string[] {
    const args = ['--root', this.root];
    // runc's own errors go to the log as JSON, apart from the command's output.
    if (logFile !== undefined) args.push('--log', logFile, '--log-format', 'json');
    return args;
  }
}

/** A running `runc run` and its pipes. */
export interface RuncRun {
  readonly child: ChildProcess;
  readonly stdout: Readable;
  readonly stderr: Readable;
  /** The container's fd 3, readable and writable. */
  readonly agent: Duplex;
}

/** The error messages runc wrote to its JSON log. */
export async function runcLogErrors(logFile: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(logFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const errors: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const entry: unknown = JSON.parse(line);
      if (
        typeof entry === 'object' &&
        entry !== null &&
        'level' in entry &&
        (entry.level === 'error' || entry.level === 'fatal') &&
        'msg' in entry
      ) {
        errors.push(String(entry.msg));
      }
    } catch {
      errors.push(line);
    }
  }
  return errors;
}

async function pathExists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
