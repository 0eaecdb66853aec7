import { Readable } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { FsBlobStore } from '../../src/blobs/fs-blob-store.js';
import { readScanReport } from '../../src/domain/scans/scan-report-store.js';
import { sampleReport } from '../scanner/reports/report-fixture.js';
import { tempDir } from '../support/paths.js';

describe('readScanReport', () => {
  const blobs = new FsBlobStore(tempDir('scan-report-store'));
  const put = async (content: string) =>
    (await blobs.put(Readable.from([Buffer.from(content)]))).digest;

  it('reads back a stored report', async () => {
    const digest = await put(JSON.stringify(sampleReport));
    expect(await readScanReport(blobs, digest)).toEqual(sampleReport);
  });

  it.each([
    { name: 'not JSON', content: '{"reportVersion": 1', error: /is not JSON/ },
    { name: 'another version', content: '{"reportVersion": 2}', error: /report version 2/ },
    { name: 'not an object', content: '[1]', error: /report version undefined/ },
  ])('refuses a blob that is $name, naming the blob', async ({ content, error }) => {
    const digest = await put(content);
    await expect(readScanReport(blobs, digest)).rejects.toThrow(error);
    await expect(readScanReport(blobs, digest)).rejects.toThrow(digest);
  });
});
