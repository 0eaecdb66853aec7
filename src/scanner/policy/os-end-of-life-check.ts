import { readOsRelease } from '../inventory/os-release.js';
import { findOsLifecycle } from './os-end-of-life.js';
import { PolicyCheckNotRun } from './policy-check.js';
import type { PolicyCheck } from './policy-check.js';
import { policyViolation } from './policy-finding-catalogue.js';

const CHECK_ID = 'os-end-of-life';

/** Policy: no end-of-life OS. An OS the table does not know is "not run", never a pass. */
export const osEndOfLifeCheck: PolicyCheck = {
  id: CHECK_ID,
  version: 1,
  title: 'No end-of-life operating system',
  perFile: false,
  async check(root, context) {
    const release = await readOsRelease(root);
    if (release === undefined) throw new PolicyCheckNotRun('no os-release file in the image');
    const lifecycle = findOsLifecycle(release);
    if (lifecycle === undefined) {
      throw new PolicyCheckNotRun(
        `no end-of-life date known for ${release.prettyName} (ID=${release.id}, VERSION_ID=${release.versionId ?? 'unset'})`,
      );
    }
    const today = (context.now ?? new Date()).toISOString().slice(0, 10);
    // The end-of-life date is the last supported day.
    if (today <= lifecycle.endOfLife) return [];
    return [
      policyViolation(
        CHECK_ID,
        'POLICY_OS_END_OF_LIFE',
        `${lifecycle.name} reached end of life on ${lifecycle.endOfLife}`,
        { path: 'etc/os-release', date: lifecycle.endOfLife, excerpt: release.prettyName },
      ),
    ];
  },
};
