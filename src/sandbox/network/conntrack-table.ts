import { readFile } from 'node:fs/promises';

/** Where a redirected connection or datagram was originally going. */
export interface OriginalDestination {
  readonly address: string;
  readonly port: number;
}

/**
 * The original destination of the flow from `peerAddress:peerPort`, read from the conntrack
 * table of the calling process's network namespace (the first tuple of an entry is the
 * direction as sent, before REDIRECT rewrote it).
 */
export function findOriginalDestination(
  table: string,
  protocol: 'tcp' | 'udp',
  peerAddress: string,
  peerPort: number,
): OriginalDestination | undefined {
  for (const line of table.split('\n')) {
    const fields = line.split(/\s+/);
    if (fields[2] !== protocol) continue;
    const first = new Map<string, string>();
    for (const field of fields) {
      const equals = field.indexOf('=');
      if (equals === -1) continue;
      const key = field.slice(0, equals);
      if (first.has(key)) break; // the reply tuple starts
      first.set(key, field.slice(equals + 1));
    }
    if (first.get('src') !== peerAddress || first.get('sport') !== String(peerPort)) continue;
    const address = first.get('dst');
    const port = Number(first.get('dport'));
    if (address !== undefined && Number.isInteger(port)) return { address, port };
  }
  return undefined;
}

/** The conntrack table of this process's network namespace (empty when there is none). */
export async function readConntrackTable(): Promise<string> {
  try {
    return await readFile('/proc/net/nf_conntrack', 'utf8');
  } catch {
    return '';
  }
}
