import type { NetworkAttempt } from './network-types.js';

/** Every attempt to reach one host: its DNS queries and its connections together. */
export interface HostAttempts {
  /** The name or address; null when the recorder could not tell where a flow was going. */
  readonly host: string | null;
  readonly firstAt: string;
  readonly protocols: readonly NetworkAttempt['protocol'][];
  /** Ports connected to (53 of a DNS query alone is not listed). */
  readonly ports: readonly number[];
  readonly urls: readonly string[];
  /** Only looked up, never connected to. */
  readonly lookupOnly: boolean;
  readonly count: number;
}

/** Groups attempts by host, in the order hosts were first seen, without duplicates. */
export function summarizeAttempts(attempts: readonly NetworkAttempt[]): HostAttempts[] {
  const groups = new Map<string | null, NetworkAttempt[]>();
  for (const attempt of attempts) {
    const key = attempt.host === null ? null : attempt.host.toLowerCase();
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [attempt]);
    else group.push(attempt);
  }
  return [...groups].map(([host, group]) => {
    const connections = group.filter((attempt) => attempt.protocol !== 'dns');
    return {
      host,
      firstAt: group[0]?.at ?? '',
      protocols: unique(group.map((attempt) => attempt.protocol)),
      ports: unique(
        connections.flatMap((attempt) => (attempt.port === null ? [] : [attempt.port])),
      ),
      urls: unique(connections.flatMap((attempt) => (attempt.url === null ? [] : [attempt.url]))),
      lookupOnly: connections.length === 0,
      count: group.length,
    };
  });
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
