import type { Account, OsBuild } from '../types.js';

/** A build as `viewer` may see it: the internal error is for operators; sellers see Investigating. */
export function buildForViewer(build: OsBuild, viewer: Account): OsBuild {
  return viewer.roles.includes('operator') ? build : { ...build, internalError: null };
}
