import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** Where the host mounts the cgroup v1 hierarchies (one per controller). */
const CGROUP_ROOT = '/sys/fs/cgroup';

/** Limit counters of one container's cgroups. */
export interface CgroupCounters {
  /** The memory controller's OOM killer ran (memory.oom_control `oom_kill`). */
  readonly memoryOomKills: number;
  /** fork/clone refused at the pids limit (pids.events `max`). */
  readonly pidsLimitHits: number;
}

/**
 * Reads the counters of cgroup `cgroupsPath` (as in config.json). They vanish with the container,
 * so this runs while it is alive; a counter that cannot be read counts as 0.
 */
export async function readCgroupCounters(cgroupsPath: string): Promise<CgroupCounters> {
  const [oomControl, pidsEvents] = await Promise.all([
    readCounterFile(path.join(CGROUP_ROOT, 'memory', cgroupsPath, 'memory.oom_control')),
    readCounterFile(path.join(CGROUP_ROOT, 'pids', cgroupsPath, 'pids.events')),
  ]);
  return {
    memoryOomKills: oomControl.get('oom_kill') ?? 0,
    pidsLimitHits: pidsEvents.get('max') ?? 0,
  };
}

/** The larger of each counter: counters only grow while the cgroup lives. */
export function maxCounters(a: CgroupCounters, b: CgroupCounters): CgroupCounters {
  return {
    memoryOomKills: Math.max(a.memoryOomKills, b.memoryOomKills),
    pidsLimitHits: Math.max(a.pidsLimitHits, b.pidsLimitHits),
  };
}

/** A `name value` per line file, as the cgroup v1 controllers write them. */
async function readCounterFile(file: string): Promise<Map<string, number>> {
  const counters = new Map<string, number>();
  const text = await readFile(file, 'utf8').catch(() => '');
  for (const line of text.split('\n')) {
    const [name, value] = line.trim().split(/\s+/);
    if (name !== undefined && value !== undefined && /^\d+$/.test(value)) {
      counters.set(name, Number(value));
    }
  }
  return counters;
}
