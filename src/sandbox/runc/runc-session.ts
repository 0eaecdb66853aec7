import { lstat, mkdir, rm, rmdir, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { SandboxCommand, SandboxMount, SandboxOutcome, SandboxSession } from '../sandbox.js';
import { SandboxError } from '../sandbox.js';
import { containerExit } from './exit-status.js';
import { removeTreeOnOneFileSystem, unmountAllUnder } from './host-mounts.js';
import {
  hostOpenFilesHardLimit,
  isInsideContainerMount,
  ociRuntimeConfig,
} from './oci-runtime-config.js';
import { OutputLines } from './output-lines.js';
import type { RuncCli } from './runc-cli.js';
import { runcLogErrors } from './runc-cli.js';
import { waitForChildExit } from '../../util/child-exit.js';

/** Host directories of one session under the sandbox's state directory. */
export interface SessionPaths {
  readonly id: string;
  readonly sessionDir: string;
  readonly upperDir: string;
  readonly workDir: string;
  readonly mergedDir: string;
  readonly bundleDir: string;
}

/** The directories of session `id` under `stateDir`. */
export function sessionPaths(stateDir: string, id: string): SessionPaths {
  const sessionDir = path.join(stateDir, id);
  return {
    id,
    sessionDir,
    upperDir: path.join(sessionDir, 'upper'),
    workDir: path.join(sessionDir, 'work'),
    mergedDir: path.join(sessionDir, 'merged'),
    bundleDir: path.join(sessionDir, 'bundle'),
  };
}

/** How often a kill is retried while runc is still creating the container. */
const KILL_RETRY_MS = 100;
/** Output may still arrive this long after runc exited. */

/** `runc run` failed to exec the command: the command's fault (127/126, as a shell reports). */
const EXEC_FAILURE = /unable to start container process: exec/;

/** A mount point the session made in the root for one run, removed afterwards. */
interface CreatedPath {
  readonly path: string;
  readonly isDirectory: boolean;
  /** The parent's times before, restored so the mount point leaves no trace in its metadata. */
  readonly parentTimes: { readonly atime: Date; readonly mtime: Date };
}

/** One prepared overlay root on which runc runs commands, one at a time. */
export class RuncSession implements SandboxSession {
  readonly rootDir: string;
  readonly upperDir: string;
  private active: Promise<SandboxOutcome> | undefined;
  private stopActive: AbortController | undefined;
  private disposing: Promise<void> | undefined;

  constructor(
    private readonly paths: SessionPaths,
    private readonly runc: RuncCli,
    private readonly hostname: string,
  ) {
    this.rootDir = paths.mergedDir;
    this.upperDir = paths.upperDir;
  }

  /** Runs one command as the container's first process: no stdin, no terminal. */
  async run(command: SandboxCommand): Promise<SandboxOutcome> {
    if (this.disposing !== undefined) {
      throw new SandboxError(`Sandbox session ${this.paths.id} is disposed`);
    }
    if (this.active !== undefined) {
      throw new SandboxError(`Sandbox session ${this.paths.id} is already running a command`);
    }
    command.signal?.throwIfAborted();
    this.stopActive = new AbortController();
    this.active = this.runOnce(command, this.stopActive.signal);
    try {
      return await this.active;
    } finally {
      this.active = undefined;
      this.stopActive = undefined;
    }
  }

  /** Stops a running command, deletes the container, unmounts and removes the session. */
  dispose(): Promise<void> {
    this.disposing ??= this.disposeOnce().catch((error: unknown) => {
      // Let a later call try again, e.g. after whatever kept the mount busy is gone.
      this.disposing = undefined;
      throw error;
    });
    return this.disposing;
  }

  private async disposeOnce(): Promise<void> {
    if (this.active !== undefined) {
      this.stopActive?.abort();
      await this.active.catch(() => undefined);
    }
    await teardownSession(this.runc, this.paths);
  }

  private async runOnce(command: SandboxCommand, stop: AbortSignal): Promise<SandboxOutcome> {
    const { id, bundleDir, mergedDir } = this.paths;
    if (command.argv.length === 0 || !path.posix.isAbsolute(command.cwd)) {
      throw new SandboxError('A sandbox command needs an argv and an absolute cwd');
    }
    const created = await createMountPoints(mergedDir, command.mounts);
    try {
      const config = ociRuntimeConfig({
        id,
        rootDir: mergedDir,
        hostname: this.hostname,
        command,
        openFilesHardLimit: await hostOpenFilesHardLimit(),
      });
      await writeFile(path.join(bundleDir, 'config.json'), JSON.stringify(config, null, 2));
      const logFile = path.join(bundleDir, 'runc.log');
      await rm(logFile, { force: true });

      let callbackError: unknown;
      const deliver = (stream: 'stdout' | 'stderr') => (text: string) => {
        try {
          command.onLine(stream, text);
        } catch (error) {
          callbackError ??= error;
        }
      };
      const stdout = new OutputLines(deliver('stdout'));
      const stderr = new OutputLines(deliver('stderr'));

      const startedAt = Date.now();
      const child = this.runc.run(id, bundleDir, logFile);
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => stdout.push(chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
      const exited = waitForChildExit(child);

      let timedOut = false;
      let killed = false;
      let exitedYet = false;
      void exited.finally(() => (exitedYet = true)).catch(() => undefined);
      const killContainer = (): void => {
        if (killed) return;
        killed = true;
        // PID 1 ignores SIGTERM; SIGKILL to it ends the whole PID namespace. runc may still be
        // creating the container, so the kill is repeated until runc run returns.
        void (async () => {
          while (!exitedYet) {
            await this.runc.kill(id, 'KILL').catch(() => false);
            await delay(KILL_RETRY_MS);
          }
        })();
      };
      const timer = setTimeout(() => {
        timedOut = true;
        killContainer();
      }, command.limits.wallClockMs);
      command.signal?.addEventListener('abort', killContainer, { once: true });
      stop.addEventListener('abort', killContainer, { once: true });
      // An abort while the mount points were made fired before anyone listened.
      if (command.signal?.aborted === true || stop.aborted) killContainer();

      let exit: { code: number | null; signal: NodeJS.Signals | null };
      try {
        exit = await exited;
      } catch (error) {
        throw new SandboxError(`Could not start runc: ${errorMessage(error)}`, { cause: error });
      } finally {
        clearTimeout(timer);
        command.signal?.removeEventListener('abort', killContainer);
        stop.removeEventListener('abort', killContainer);
      }
      stdout.end();
      stderr.end();
      const durationMs = Date.now() - startedAt;
      await this.runc.deleteForce(id);
      if (callbackError !== undefined) throw callbackError;

      if (killed) return { exitCode: null, signal: 'SIGKILL', timedOut, durationMs };
      const runcErrors = await runcLogErrors(logFile);
      if (runcErrors.length > 0) {
        const execFailure = runcErrors.find((message) => EXEC_FAILURE.test(message));
        if (execFailure !== undefined) {
          // runc has printed the reason on stderr already, so the log shows it.
          const notExecutable = /permission denied|exec format error/i.test(execFailure);
          return { exitCode: notExecutable ? 126 : 127, signal: null, timedOut, durationMs };
        }
        throw new SandboxError(`runc could not run container ${id}: ${runcErrors.join('; ')}`);
      }
      if (exit.code === null) {
        throw new SandboxError(`runc run of ${id} was ended by ${exit.signal ?? 'a signal'}`);
      }
      return { ...containerExit(exit.code), timedOut, durationMs };
    } finally {
      await removeMountPoints(created);
    }
  }
}

/** Kills and deletes the session's container, unmounts its root and removes its directory. */
export async function teardownSession(runc: RuncCli, paths: SessionPaths): Promise<void> {
  try {
    await runc.deleteForce(paths.id);
    await unmountAllUnder(paths.sessionDir);
    await removeTreeOnOneFileSystem(paths.sessionDir);
  } catch (error) {
    throw new SandboxError(`Could not remove sandbox session ${paths.id}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
}

/**
 * Makes the bind-mount destinations that the root lacks, so that runc does not leave them in the
 * upper directory (they would end up in the committed layer). Destinations inside the container's
 * own tmpfs mounts (/run, /dev) need nothing.
 */
async function createMountPoints(
  mergedDir: string,
  mounts: readonly SandboxMount[],
): Promise<CreatedPath[]> {
  const created: CreatedPath[] = [];
  try {
    for (const mount of mounts) {
      const destination = path.posix.normalize(mount.destination);
      if (!path.posix.isAbsolute(destination) || destination === '/') {
        throw new SandboxError(
          `Mount destination must be an absolute path below /: ${destination}`,
        );
      }
      const source = await stat(mount.source).catch((error: unknown) => {
        throw new SandboxError(`Mount source ${mount.source}: ${errorMessage(error)}`);
      });
      if (isInsideContainerMount(destination)) continue;
      const parts = destination.split('/').filter((part) => part !== '');
      let current = mergedDir;
      for (const [index, part] of parts.entries()) {
        const parent = current;
        current = path.join(current, part);
        const existing = await lstat(current).catch(() => undefined);
        // runc resolves symlinks inside the root itself; the path is not ours to manage.
        if (existing?.isSymbolicLink()) break;
        if (existing !== undefined) continue;
        const parentStat = await stat(parent);
        const isDirectory = index < parts.length - 1 || source.isDirectory();
        if (isDirectory) await mkdir(current);
        else await writeFile(current, '', { flag: 'wx' });
        created.push({
          path: current,
          isDirectory,
          parentTimes: { atime: parentStat.atime, mtime: parentStat.mtime },
        });
      }
    }
    return created;
  } catch (error) {
    await removeMountPoints(created);
    if (error instanceof SandboxError) throw error;
    throw new SandboxError(`Could not create mount points: ${errorMessage(error)}`, {
      cause: error,
    });
  }
}

async function removeMountPoints(created: readonly CreatedPath[]): Promise<void> {
  for (const entry of [...created].reverse()) {
    try {
      if (entry.isDirectory) await rmdir(entry.path);
      else await unlink(entry.path);
      await utimes(path.dirname(entry.path), entry.parentTimes.atime, entry.parentTimes.mtime);
    } catch {
      // The command put files next to its mount point: they are its changes and stay.
    }
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
