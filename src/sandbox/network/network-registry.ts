import { randomBytes } from 'node:crypto';
import { link, mkdir, readdir, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { readTextIfExists } from '../../util/read-text-if-exists.js';
import type { SessionOwner } from '../runc/session-owner.js';

/** The record of one sink network: which namespaces, which subnet, which process owns them. */
export interface NetworkRecord {
  readonly id: string;
  readonly buildNamespace: string;
  readonly sinkNamespace: string;
  /** The third octet of the 10.213.X.0/24 subnet. */
  readonly subnet: number;
  readonly owner: SessionOwner;
}

const RECORD_SUFFIX = '.network.json';

function recordFile(stateDir: string, subnet: number): string {
  return path.join(stateDir, `subnet-${subnet}${RECORD_SUFFIX}`);
}

/**
 * Claims the first free subnet from `preferred` on, by creating its record file atomically
 * (link(2) fails when it exists), so concurrent builds sharing a state directory never share one.
 */
export async function claimSubnet(
  stateDir: string,
  preferred: number,
  record: Omit<NetworkRecord, 'subnet'>,
): Promise<NetworkRecord> {
  await mkdir(stateDir, { recursive: true });
  const temporary = path.join(stateDir, `.claim-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    for (let step = 0; step < 256; step += 1) {
      const subnet = (preferred + step) % 256;
      const claimed: NetworkRecord = { ...record, subnet };
      // The whole record is written before it is linked, so a reader never sees half of it.
      await writeFile(temporary, `${JSON.stringify(claimed)}\n`);
      try {
        await link(temporary, recordFile(stateDir, subnet));
        return claimed;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
  throw new Error(`no free sink subnet in ${stateDir}: 256 networks in use`);
}

/** Removes a network's record, freeing its subnet; nothing when it is gone already. */
export async function releaseSubnet(stateDir: string, subnet: number): Promise<void> {
  await unlink(recordFile(stateDir, subnet)).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}

/** Every network record in the state directory; unreadable ones are skipped. */
export async function listNetworkRecords(stateDir: string): Promise<NetworkRecord[]> {
  let names: string[];
  try {
    names = await readdir(stateDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const records: NetworkRecord[] = [];
  for (const name of names.filter((entry) => entry.endsWith(RECORD_SUFFIX))) {
    const text = await readTextIfExists(path.join(stateDir, name));
    const record = text === undefined ? undefined : parseRecord(text);
    if (record !== undefined) records.push(record);
  }
  return records;
}

function parseRecord(text: string): NetworkRecord | undefined {
  try {
    const value = JSON.parse(text) as Partial<Record<keyof NetworkRecord, unknown>>;
    const owner = value.owner as Partial<Record<keyof SessionOwner, unknown>> | undefined;
    if (
      typeof value.id === 'string' &&
      typeof value.buildNamespace === 'string' &&
      typeof value.sinkNamespace === 'string' &&
      typeof value.subnet === 'number' &&
      typeof owner?.pid === 'number' &&
      typeof owner.startTicks === 'string'
    ) {
      return {
        id: value.id,
        buildNamespace: value.buildNamespace,
        sinkNamespace: value.sinkNamespace,
        subnet: value.subnet,
        owner: { pid: owner.pid, startTicks: owner.startTicks },
      };
    }
  } catch {
    // Not JSON: skipped like any bad item.
  }
  return undefined;
}
