import type { BuildState, OsBuild } from '../types.js';

/**
 * The state of a package group, derived from its builds as the seed describes:
 * Building while any build is; then Scanning; once all are done Investigating
 * if any build is, else IssuesFound if any is, else Cancelled if the seller
 * cancelled any (the group is not whole), else Successful.
 */
export function deriveGroupState(builds: readonly Pick<OsBuild, 'state'>[]): BuildState {
  const states = new Set(builds.map((b) => b.state));
  if (states.has('Building')) return 'Building';
  if (states.has('Scanning')) return 'Scanning';
  if (states.has('Investigating')) return 'Investigating';
  if (states.has('IssuesFound')) return 'IssuesFound';
  if (states.has('Cancelled')) return 'Cancelled';
  return 'Successful';
}

/** True when a build has reached a final state. */
export function isFinalState(state: BuildState): boolean {
  return (
    state === 'Successful' ||
    state === 'IssuesFound' ||
    state === 'Investigating' ||
    state === 'Cancelled'
  );
}
