import { readFile, writeFile } from 'node:fs/promises';

import { readTextIfExists } from '../../util/read-text-if-exists.js';

/** The process that owns a sandbox session; its start time tells a reused pid apart. */
export interface SessionOwner {
  readonly pid: number;
  /** Field 22 of /proc/PID/stat: clock ticks after boot when the process started. */
  readonly startTicks: string;
}

/** This process as a session owner. */
export async function currentOwner(): Promise<SessionOwner> {
  const startTicks = await processStartTicks(process.pid);
  if (startTicks === undefined) throw new Error('cannot read /proc/self/stat');
  return { pid: process.pid, startTicks };
}

/** Writes the owner record of a session. */
export async function writeOwner(file: string, owner: SessionOwner): Promise<void> {
  await writeFile(file, `${JSON.stringify(owner)}\n`);
}

/** The owner record of a session, or undefined when there is none (yet). */
export async function readOwner(file: string): Promise<SessionOwner | undefined> {
  const text = await readTextIfExists(file);
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (
      typeof value === 'object' &&
      value !== null &&
      'pid' in value &&
      typeof value.pid === 'number' &&
      'startTicks' in value &&
      typeof value.startTicks === 'string'
    ) {
      return { pid: value.pid, startTicks: value.startTicks };
    }
  } catch {
    // A torn write by a dying owner: treated as no owner.
  }
  return undefined;
}

/** True while the owner process runs (the same process, not a later one with its pid). */
export async function ownerIsAlive(owner: SessionOwner): Promise<boolean> {
  return (await processStartTicks(owner.pid)) === owner.startTicks;
}

async function processStartTicks(pid: number): Promise<string | undefined> {
  let stat: string;
  try {
    stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // proc(5): the command name in field 2 may hold spaces and parentheses; fields after it do not.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19];
}
