import { access, constants, mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Sandbox, SandboxPrepareOptions, SandboxSession } from '../sandbox.js';
import { SandboxError } from '../sandbox.js';
import { mountOverlay } from './host-mounts.js';
import { RuncCli } from './runc-cli.js';
import { RuncSession, sessionPaths, teardownSession } from './runc-session.js';
import type { SessionPaths } from './runc-session.js';
import { currentOwner, ownerIsAlive, readOwner, writeOwner } from './session-owner.js';
import { MIN_DISK_LIMIT_BYTES, mountUpperDisk } from './upper-disk.js';

/** Where a RuncSandbox keeps its sessions and containers. */
export interface RuncSandboxOptions {
  /** Host directory holding one directory per session. */
  readonly stateDir: string;
  /** runc's `--root`; by default inside stateDir, so every container there is ours. */
  readonly runcRoot?: string;
  readonly runcPath?: string;
  /** The PID-1 agent binary; by default `agent/build/goldsmith-agent` of this checkout. */
  readonly agentPath?: string;
  /** The host's console relay for runs of an init; by default `goldsmith-console` beside the agent. */
  readonly consolePath?: string;
}

/** Where `make -C agent` (scripts/setup.sh) puts the agent, from src/ or dist/ alike. */
export const DEFAULT_AGENT_PATH = fileURLToPath(
  new URL('../../../agent/build/goldsmith-agent', import.meta.url),
);

/** runc's own rule for container ids, shortened so paths and cgroup names stay small. */
const SESSION_ID = /^[A-Za-z0-9][A-Za-z0-9_.+-]{0,127}$/;
const OWNER_FILE = 'owner.json';
/** A session directory without an owner record yet is being prepared, unless it is this old. */
const UNOWNED_GRACE_MS = 60_000;

/**
 * Sandboxes as runc containers over an overlay of the base roots: own PID, mount, UTS, IPC,
 * network (only `lo`, or a given one) and cgroup namespaces, cgroup limits, a seccomp filter,
 * the upper directory on a size-limited filesystem, and the PID-1 agent that watches the
 * installer (input waits, leftovers, reboot requests).
 */
export class RuncSandbox implements Sandbox {
  readonly kind = 'runc';
  private readonly stateDir: string;
  private readonly runc: RuncCli;
  private readonly agentPath: string;
  private readonly consolePath: string;

  constructor(options: RuncSandboxOptions) {
    this.stateDir = path.resolve(options.stateDir);
    this.agentPath = path.resolve(options.agentPath ?? DEFAULT_AGENT_PATH);
    this.consolePath = path.resolve(
      options.consolePath ?? path.join(path.dirname(this.agentPath), 'goldsmith-console'),
    );
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
    if (!(options.diskLimitBytes >= MIN_DISK_LIMIT_BYTES)) {
      throw new SandboxError(
        `A sandbox disk limit must be at least ${MIN_DISK_LIMIT_BYTES} bytes: ${options.diskLimitBytes}`,
      );
    }
    for (const program of [this.agentPath, this.consolePath]) {
      await access(program, constants.X_OK).catch((error: unknown) => {
        throw new SandboxError(
          `The sandbox program ${program} is missing; build it with \`make -C agent\``,
          { cause: error },
        );
      });
    }
    const fileOverlays = (options.fileOverlays ?? []).map((overlay) => ({
      source: path.resolve(overlay.source),
      destination: overlay.destination,
      readOnly: true,
    }));
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
      for (const dir of [paths.diskDir, paths.mergedDir, paths.bundleDir]) await mkdir(dir);
      await mountUpperDisk(paths.diskImage, paths.diskDir, options.diskLimitBytes);
      for (const dir of [paths.upperDir, paths.workDir]) await mkdir(dir);
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
    return new RuncSession(paths, this.runc, {
      hostname: options.hostname,
      agentPath: this.agentPath,
      consolePath: this.consolePath,
      fileOverlays,
      ...(options.networkNamespacePath === undefined
        ? {}
        : { networkNamespacePath: options.networkNamespacePath }),
    });
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
