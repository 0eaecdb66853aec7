/** Source of the current time, replaceable in tests that need a fixed clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** The time `ms` milliseconds after `from`, as an ISO string. */
export function isoAfter(from: Date, ms: number): string {
  return new Date(from.getTime() + ms).toISOString();
}
