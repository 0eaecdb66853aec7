import { mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Sandbox, SandboxPrepareOptions, SandboxSession } from '../sandbox.js';
import { SandboxError } from '../sandbox.js';
import { mountOverlay } from './host-mounts.js';
import { RuncCli } from './runc-cli.js';
import { RuncSession, sessionPaths, teardownSession } from './runc-session.js';
import type { SessionPaths } from './runc-session.js';
import { currentOwner, ownerIsAlive, readOwner, writeOwner } from './session-owner.js';

/** Where a RuncSandbox keeps its sessions and containers. */
export interface RuncSandboxOptions {
  /** Host directory holding one directory per session. */
  readonly stateDir: string;
  /** runc's `--root`; by default inside stateDir, so every container there is ours. */
  readonly runcRoot?: string;
  readonly runcPath?: string;
}

/** runc's own rule for container ids, shortened so paths and cgroup names stay small. */
const SESSION_ID = /^[A-Za-z0-9][A-Za-z0-9_.+-]{0,127}$/;
const OWNER_FILE = 'owner.json';
/** A session directory without an owner record yet is being prepared, unless it is this old. */
const UNOWNED_GRACE_MS = 60_000;

/**
 * Sandboxes as runc containers over an overlay of the base roots: own PID, mount, UTS, IPC,
 * network (only `lo`) and cgroup namespaces, cgroup limits, no stdin and no terminal.
 */
export class RuncSandbox implements Sandbox {
  readonly kind = 'runc';
  private readonly stateDir: string;
  private readonly runc: RuncCli;

  constructor(options: RuncSandboxOptions) {
    this.stateDir = path.resolve(options.stateDir);
    this.runc = new RuncCli(
      options.runcPath ?? 'runc',
      path.resolve(options.runcRoot ?? path.join(this.stateDir, '.runc')),
    );
  }

  /** Mounts a fresh overlay for session `id`; the upper directory starts empty. */
  async prepare(options: SandboxPrepareOptions): Promise<SandboxSession> {
    if (!SESSION_ID.test(options.id)) {
      throw new SandboxError(`Invalid sandbox session id ${JSON.stringify(options.id)}`);
    }
    if (options.lowerDirs.length === 0) throw new SandboxError('A sandbox needs a base root');
    const paths = sessionPaths(this.stateDir, options.id);
    await mkdir(this.stateDir, { recursive: true });
    try {
      await mkdir(paths.sessionDir);
    } catch (error) {
      throw new SandboxError(`Sandbox session ${options.id} cannot be created: ${message(error)}`, {
        cause: error,
      });
    }
    try {
      // First, so that cleanupStale can tell whose session this is from here on.
      await writeOwner(path.join(paths.sessionDir, OWNER_FILE), await currentOwner());
      for (const dir of [paths.upperDir, paths.workDir, paths.mergedDir, paths.bundleDir]) {
        await mkdir(dir);
      }
      await mountOverlay({
        lowerDirs: options.lowerDirs.map((dir) => path.resolve(dir)),
        upperDir: paths.upperDir,
        workDir: paths.workDir,
        mergedDir: paths.mergedDir,
      });
    } catch (error) {
      await teardownSession(this.runc, paths).catch(() => undefined);
      throw new SandboxError(`Could not prepare sandbox ${options.id}: ${message(error)}`, {
        cause: error,
      });
    }
    return new RuncSession(paths, this.runc, options.hostname);
  }

  /**
   * Removes sessions whose owner process is gone (their containers, mounts and directories), and
   * containers in our runc root that belong to no session.
   */
  async cleanupStale(): Promise<string[]> {
    const cleaned: string[] = [];
    const names = await readdir(this.stateDir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    for (const name of names) {
      if (name.startsWith('.') || !SESSION_ID.test(name)) continue;
      const paths = sessionPaths(this.stateDir, name);
      if (!(await this.isStale(paths))) continue;
      await teardownSession(this.runc, paths);
      cleaned.push(name);
    }
    // Containers first: a session directory always exists before its container, so one listed
    // here and still without a directory after is an orphan, never a session being prepared.
    const containers = await this.runc.list().catch(() => []);
    const live = new Set(await readdir(this.stateDir).catch(() => []));
    for (const id of containers) {
      if (live.has(id)) continue;
      await this.runc.deleteForce(id);
      if (!cleaned.includes(id)) cleaned.push(id);
    }
    return cleaned;
  }

  private async isStale(paths: SessionPaths): Promise<boolean> {
    const info = await stat(paths.sessionDir).catch(() => undefined);
    if (info === undefined || !info.isDirectory()) return false;
    const owner = await readOwner(path.join(paths.sessionDir, OWNER_FILE));
    if (owner === undefined) return Date.now() - info.mtimeMs > UNOWNED_GRACE_MS;
    return !(await ownerIsAlive(owner));
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
