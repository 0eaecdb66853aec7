import { createHash } from 'node:crypto';

import type { AdvisoryDatabaseState } from '../../store/store.js';
import type { AdvisorySnapshot } from './scan-report.js';

/**
 * Names the state of the advisory database: every upsert and delete bumps its generation in
 * the same transaction, so equal ids mean matching would find the same. Part of the scan
 * cache key.
 */
export function advisorySnapshotOf(state: AdvisoryDatabaseState): AdvisorySnapshot {
  const id = createHash('sha256').update(JSON.stringify(state)).digest('hex').slice(0, 32);
  return { id, records: state.records, newestModified: state.newestModified };
}
