/** Job kind of one OS build of a package group. Payload: `{ buildId }`. */
export const OS_BUILD_JOB = 'os-build';

/** Job kind of an operator's base image refresh. Payload: `{ osVersion }`. */
export const BASE_REFRESH_JOB = 'base-refresh';
