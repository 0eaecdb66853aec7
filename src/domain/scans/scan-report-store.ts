import { text } from 'node:stream/consumers';

import type { BlobStore, Digest } from '../../blobs/blob-store.js';
import { SCAN_REPORT_VERSION, type ScanReport } from '../../scanner/scan/scan-report.js';

/**
 * Reads a stored scan report blob. A blob that is not a report of the current version is a
 * fault of the installation, not of the caller, so it is an ordinary error (HTTP 500).
 */
export async function readScanReport(blobs: BlobStore, digest: string): Promise<ScanReport> {
  const content = await text(await blobs.get(digest as Digest));
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch (error) {
    throw new Error(`scan report blob ${digest} is not JSON`, { cause: error });
  }
  const version =
    typeof parsed === 'object' && parsed !== null
      ? (parsed as { reportVersion?: unknown }).reportVersion
      : undefined;
  if (version !== SCAN_REPORT_VERSION) {
    throw new Error(
      `scan report blob ${digest} has report version ${String(version)}, expected ${SCAN_REPORT_VERSION}`,
    );
  }
  return parsed as ScanReport;
}
