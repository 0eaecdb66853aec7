import path from 'node:path';
import { Readable } from 'node:stream';

import { FsBlobStore } from '../../src/blobs/fs-blob-store.js';
import type { Image } from '../../src/domain/types.js';
import type { ScanReport } from '../../src/scanner/scan/scan-report.js';
import { sampleReport } from '../scanner/reports/report-fixture.js';
import { submitGroup, writeTempFile, type Harness, type TestAccount } from './goldsmith-harness.js';

/** What {@link seedScanReports} stored for one account. */
export interface SeededScanReports {
  /** A build the gate stopped (`IssuesFound`), with the report. */
  readonly scannedBuildId: string;
  /** A build still `Building`, with no report. */
  readonly unscannedBuildId: string;
  /** An image with the report. */
  readonly scannedImageId: string;
  /** An image with no report. */
  readonly unscannedImageId: string;
  readonly report: ScanReport;
}

/**
 * Stores a scan report blob and the builds and images that point at it, as the Scanning stage
 * would, without running a sandbox: the harness must have no workers, so builds stay `Building`.
 */
export async function seedScanReports(
  harness: Harness,
  account: TestAccount,
  groupName: string,
  report: ScanReport = sampleReport,
): Promise<SeededScanReports> {
  const blobs = new FsBlobStore(path.join(harness.dataDir, 'blobs'));
  const { digest } = await blobs.put(Readable.from([Buffer.from(JSON.stringify(report))]));
  const installer = await writeTempFile('install.sh', '#!/bin/sh\ntrue\n');
  const group = await submitGroup(
    account.client,
    groupName,
    ['debian-12', 'debian-13'],
    [installer],
  );
  const [scanned, unscanned] = group.builds;
  const { store } = harness.server;
  await store.builds.update(scanned!.id, { state: 'IssuesFound', scanReportDigest: digest });

  const image = (suffix: string, scanReportDigest: string | null): Image => ({
    id: `img-${groupName.replace(/[^a-z0-9]/g, '')}${suffix}`,
    accountId: account.accountId,
    kind: 'test',
    osVersion: 'debian-12',
    manifestDigest: `sha256:${'a'.repeat(64)}`,
    configDigest: `sha256:${'b'.repeat(64)}`,
    layers: [],
    parentImageId: null,
    sbomDigest: null,
    scanReportDigest,
    createdAt: '2026-11-27T10:15:30.000Z',
  });
  const scannedImage = image('1', digest);
  const unscannedImage = image('0', null);
  await store.images.insert(scannedImage);
  await store.images.insert(unscannedImage);
  return {
    scannedBuildId: scanned!.id,
    unscannedBuildId: unscanned!.id,
    scannedImageId: scannedImage.id,
    unscannedImageId: unscannedImage.id,
    report,
  };
}
