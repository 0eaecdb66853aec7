import { createHash } from 'node:crypto';

import type { AdvisoryStatus } from '../../store/store.js';
import type { AdvisorySnapshot } from './scan-report.js';

/**
 * Names the state of the advisory database: every import records its time and changes the
 * record counts or newest dates, so equal ids mean matching would find the same. Part of the
 * scan cache key.
 */
export function advisorySnapshotOf(status: AdvisoryStatus): AdvisorySnapshot {
  const newest = status.ecosystems.reduce<string | null>(
    (max, e) => (max === null || e.newestModified > max ? e.newestModified : max),
    null,
  );
  const id = createHash('sha256').update(JSON.stringify(status)).digest('hex').slice(0, 32);
  return { id, records: status.records, newestModified: newest };
}
