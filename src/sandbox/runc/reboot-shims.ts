import { lstat, readlink } from 'node:fs/promises';
import path from 'node:path';
import type { SandboxMount } from '../sandbox.js';

/** Where the agent binary appears in every container; /run is the container's own tmpfs. */
export const AGENT_IN_CONTAINER = '/run/goldsmith/agent/goldsmith-agent';
/** Where the shim finds the programs it stands in for (agent/goldsmith-agent.c, REAL_DIR). */
const REAL_DIR = '/run/goldsmith/agent/real';

/** systemctl: where Debian puts it, merged-/usr (bookworm, trixie) or split (bullseye). */
const SYSTEMCTL_PATHS = ['/usr/bin/systemctl', '/bin/systemctl'];
/** The init commands that can ask for a reboot; with systemd-sysv they are symlinks to systemctl. */
const INIT_COMMANDS = ['reboot', 'poweroff', 'halt', 'shutdown', 'telinit', 'init'];
const INIT_DIRS = ['/usr/sbin', '/sbin'];
/** Linux's own limit on symlinks followed in one lookup (path_resolution(7)). */
const MAX_SYMLINKS = 40;

/**
 * Bind mounts that put the agent, as a shim, in place of systemctl and of every init command
 * that is a real file in the root (a symlink to systemctl is covered by systemctl). The real
 * programs move to REAL_DIR, where the shim execs them for anything but a reboot request.
 */
export async function rebootShimMounts(
  rootDir: string,
  agentPath: string,
): Promise<SandboxMount[]> {
  const mounts: SandboxMount[] = [];
  const shadowed = new Set<string>();
  const shadow = (inRoot: string, name: string): void => {
    if (shadowed.has(inRoot)) return;
    shadowed.add(inRoot);
    // The real one first: the agent is bound over the same path next.
    mounts.push({
      source: path.join(rootDir, inRoot),
      destination: `${REAL_DIR}/${name}`,
      readOnly: true,
    });
    mounts.push({ source: agentPath, destination: inRoot, readOnly: true });
  };
  for (const candidate of SYSTEMCTL_PATHS) {
    const resolved = await resolveInRoot(rootDir, candidate);
    if (resolved !== null && (await isRegularFile(rootDir, resolved))) {
      shadow(resolved, 'systemctl');
      break;
    }
  }
  for (const name of INIT_COMMANDS) {
    for (const dir of INIT_DIRS) {
      const parent = await resolveInRoot(rootDir, dir);
      if (parent === null) continue;
      const inRoot = path.posix.join(parent, name);
      if (await isRegularFile(rootDir, inRoot)) shadow(inRoot, name);
    }
  }
  return mounts;
}

async function isRegularFile(rootDir: string, inRoot: string): Promise<boolean> {
  const info = await lstat(path.join(rootDir, inRoot)).catch(() => undefined);
  return info?.isFile() === true;
}

/**
 * Resolves `target` as the container would see it: symlinks (absolute ones included) stay inside
 * rootDir. The path inside the root, or null when it does not exist.
 */
export async function resolveInRoot(rootDir: string, target: string): Promise<string | null> {
  let pending = target.split('/').filter((part) => part !== '');
  let current = '/';
  let hops = 0;
  while (pending.length > 0) {
    const [part, ...rest] = pending;
    pending = rest;
    if (part === undefined || part === '.') continue;
    if (part === '..') {
      current = path.posix.dirname(current);
      continue;
    }
    const next = path.posix.join(current, part);
    const info = await lstat(path.join(rootDir, next)).catch(() => undefined);
    if (info === undefined) return null;
    if (!info.isSymbolicLink()) {
      current = next;
      continue;
    }
    hops += 1;
    if (hops > MAX_SYMLINKS) return null;
    const link = await readlink(path.join(rootDir, next));
    if (link.startsWith('/')) current = '/';
    pending = [...link.split('/').filter((segment) => segment !== ''), ...pending];
  }
  return current;
}
