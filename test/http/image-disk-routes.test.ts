import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { ApiClient } from '../../src/cli/api-client.js';
import { readDiskImage } from '../../src/image/disk/disk-image-reader.js';
import { apiErrorOf } from '../support/goldsmith-harness.js';
import { smallImageEachFile } from '../image/disk/stored-small-image.js';

describe('image disk export over HTTP', () => {
  const fixture = smallImageEachFile('Disk HTTP');

  it('describes the route in /openapi.json', async () => {
    const doc = await new ApiClient(fixture.harness.url, undefined).request<{
      paths: Record<string, { get?: { parameters?: { name: string }[] } }>;
    }>('GET', '/openapi.json');
    const route = doc.paths['/v1/images/{imageId}/disk'];
    expect(route?.get?.parameters?.map((p) => p.name)).toEqual(
      expect.arrayContaining(['imageId', 'format']),
    );
  });

  it('streams a qcow2 of the image to its owner', async () => {
    const response = await fetch(
      `${fixture.harness.url}/v1/images/${fixture.image.id}/disk?format=qcow2`,
      {
        headers: { authorization: `Bearer ${fixture.owner.token}` },
      },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="${fixture.image.id}.qcow2"`,
    );
    const file = path.join(fixture.work, 'download.qcow2');
    writeFileSync(file, Buffer.from(await response.arrayBuffer()));
    expect(readFileSync(file).subarray(0, 4)).toEqual(Buffer.from('QFI\xfb', 'latin1'));
    execFileSync('qemu-img', ['check', '-f', 'qcow2', file]);
    const target = path.join(fixture.work, 'read');
    await readDiskImage(file, target, { workDir: fixture.work });
    expect(readFileSync(path.join(target, 'opt/added.txt'), 'utf8')).toBe(
      'from the second layer\n',
    );
    // The export's temporary files are gone once it was sent.
    expect(readdirSync(path.join(fixture.harness.dataDir, 'staging', 'disk-exports'))).toEqual([]);
  });

  it('refuses another account with 404 and an unknown format with 400', async () => {
    expect(
      await apiErrorOf(
        fixture.other.client.download(`/v1/images/${fixture.image.id}/disk?format=raw`),
      ),
    ).toMatchObject({ status: 404, code: 'IMAGE_NOT_FOUND' });
    expect(
      await apiErrorOf(
        fixture.owner.client.download(`/v1/images/${fixture.image.id}/disk?format=vmdk`),
      ),
    ).toMatchObject({ status: 400 });
  });
});
