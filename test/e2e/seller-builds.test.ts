import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { LogPage } from '../../src/domain/builds/build-service.js';
import type { Image, OsBuild } from '../../src/domain/types.js';
import {
  apiErrorOf,
  startHarness,
  submitGroup,
  waitForGroup,
  writeTempFile,
  type Harness,
  type TestAccount,
} from '../support/goldsmith-harness.js';
import { repoRoot, tempDir } from '../support/paths.js';

const run = promisify(execFile);

async function allLogs(account: TestAccount, buildId: string): Promise<LogPage['lines']> {
  const page = await account.client.request<LogPage>(
    'GET',
    `/v1/builds/${buildId}/logs?after=0&limit=10000`,
  );
  return page.lines;
}

describe('seller builds on Debian, through the real sandbox', () => {
  let harness: Harness;
  let seller: TestAccount;

  beforeAll(async () => {
    harness = await startHarness({ workers: 2 });
    seller = await harness.createAccount('Acme Software', ['seller']);
  });
  afterAll(async () => harness?.stop());

  it('builds a .sh group to Successful on debian-12, with its output, phases and an OCI image skopeo accepts', async () => {
    const installer = await writeTempFile(
      'install.sh',
      [
        '#!/bin/sh',
        'set -e',
        'mkdir -p /opt/acme',
        'echo "acme agent 2.4" > /opt/acme/VERSION',
        'rm /etc/motd',
        'echo "installing acme agent"',
        'echo "a warning on stderr" >&2',
        '',
      ].join('\n'),
    );
    const submitted = await submitGroup(seller.client, 'acme_sh_r1', ['debian-12'], [installer]);
    const group = await waitForGroup(seller.client, submitted.id);
    expect(group.state).toBe('Successful');
    const build = group.builds[0]!;
    expect(build.state).toBe('Successful');
    expect(build.findings).toEqual([]);
    expect(build.imageId).toMatch(/^img-[0-9a-f]{17}$/);
    expect(build.baseDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    for (const phase of [
      'base',
      'network',
      'sandbox',
      'install',
      'checks',
      'commit',
      'scan',
    ] as const) {
      expect(build.phases[phase]?.finishedAt, phase).toBeTruthy();
    }

    const lines = await allLogs(seller, build.id);
    expect(lines).toContainEqual(
      expect.objectContaining({ stream: 'stdout', text: 'installing acme agent' }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({ stream: 'stderr', text: 'a warning on stderr' }),
    );
    expect(lines.map((l) => l.seq)).toEqual(lines.map((_, i) => i + 1));
    for (const line of lines) expect(Date.parse(line.at)).not.toBeNaN();

    // The live view replays the output and ends with the final state once the build is done.
    const events = await fetch(`${harness.url}/v1/builds/${build.id}/events`, {
      headers: { authorization: `Bearer ${seller.token}` },
    });
    expect(events.headers.get('content-type')).toBe('text/event-stream');
    const stream = await events.text();
    expect(stream).toContain('event: log\ndata: {"seq":1,');
    expect(stream).toContain('"text":"installing acme agent"');
    expect(stream.trimEnd().split('\n\n').at(-1)).toMatch(
      /^event: state\ndata: .*"state":"Successful"/,
    );

    const image = await seller.client.request<Image>('GET', `/v1/images/${build.imageId}`);
    expect(image.kind).toBe('test');
    expect(image.layers).toHaveLength(2);

    // The image as an OCI archive, checked by skopeo; the top layer holds the change with an OCI whiteout.
    const dir = tempDir('oci');
    const archive = path.join(dir, 'image.tar');
    await pipeline(
      await seller.client.download(`/v1/images/${build.imageId}/oci-archive`),
      createWriteStream(archive),
    );
    const { stdout } = await run('skopeo', ['inspect', `oci-archive:${archive}`]);
    const inspected = JSON.parse(stdout) as {
      Layers: string[];
      Os: string;
      Architecture: string;
      Labels: Record<string, string>;
    };
    expect(inspected.Os).toBe('linux');
    expect(inspected.Architecture).toBe('amd64');
    expect(inspected.Layers).toEqual(image.layers.map((l) => l.digest));
    expect(inspected.Labels['org.goldsmith.package-group']).toBe('acme_sh_r1');
    await run('tar', ['-xf', archive, '-C', dir]);
    const topLayer = path.join(
      dir,
      'blobs',
      'sha256',
      image.layers[1]!.digest.replace('sha256:', ''),
    );
    const { stdout: listing } = await run('tar', ['-tzf', topLayer]);
    expect(listing.split('\n')).toEqual(
      expect.arrayContaining(['opt/acme/VERSION', 'etc/.wh.motd']),
    );
    expect(listing).not.toMatch(/^usr\/bin\/dpkg$/m);

    const sbom = JSON.parse(
      await (
        await seller.client.download(`/v1/images/${build.imageId}/sbom`)
      )
        .toArray()
        .then((c) => Buffer.concat(c).toString()),
    ) as {
      bomFormat: string;
      components: { name: string }[];
    };
    expect(sbom.bomFormat).toBe('CycloneDX');
    expect(sbom.components.map((c) => c.name)).toEqual(
      expect.arrayContaining(['openssh-server', 'curl', 'dpkg']),
    );
  });

  it('installs a .deb with the OS package manager from local files, and its package is in the SBOM', async () => {
    const deb = path.join(repoRoot, 'examples', 'hello-deb', 'hello-goldsmith_1.0.0-1_all.deb');
    const submitted = await submitGroup(seller.client, 'acme_deb_r1', ['debian-12'], [deb]);
    const group = await waitForGroup(seller.client, submitted.id);
    expect(group.state, JSON.stringify(group.builds[0]?.findings)).toBe('Successful');
    const build = group.builds[0]!;
    const sbomText = Buffer.concat(
      await (await seller.client.download(`/v1/images/${build.imageId}/sbom`)).toArray(),
    ).toString();
    const sbom = JSON.parse(sbomText) as { components: { name: string; version: string }[] };
    expect(sbom.components).toContainEqual(
      expect.objectContaining({ name: 'hello-goldsmith', version: '1.0.0-1' }),
    );
  });

  it('builds every OS version of a group', async () => {
    const installer = path.join(repoRoot, 'examples', 'hello-sh', 'install.sh');
    const submitted = await submitGroup(
      seller.client,
      'acme_two_os_r1',
      ['debian-12', 'debian-13'],
      [installer],
    );
    const group = await waitForGroup(seller.client, submitted.id);
    expect(group.builds.map((b) => [b.osVersion, b.state])).toEqual([
      ['debian-12', 'Successful'],
      ['debian-13', 'Successful'],
    ]);
    expect(group.state).toBe('Successful');
    const [a, b] = group.builds as [OsBuild, OsBuild];
    expect(a.baseDigest).not.toBe(b.baseDigest);
    expect(a.imageId).not.toBe(b.imageId);
  });

  it('ends a failing installer in IssuesFound with its exit status and output, and the name stays used', async () => {
    const installer = path.join(repoRoot, 'examples', 'failing', 'install.sh');
    const submitted = await submitGroup(
      seller.client,
      'acme_failing_r1',
      ['debian-12'],
      [installer],
    );
    const group = await waitForGroup(seller.client, submitted.id);
    expect(group.state).toBe('IssuesFound');
    const build = group.builds[0]!;
    expect(build.state).toBe('IssuesFound');
    expect(build.imageId).toBeNull();
    expect(build.findings).toHaveLength(1);
    const finding = build.findings[0]!;
    expect(finding.code).toBe('INSTALLER_EXIT_STATUS');
    expect(finding.evidence['exitCode']).toBe(3);
    expect(finding.evidence['outputTail']).toEqual(
      expect.arrayContaining([
        'stdout: checking prerequisites',
        'stderr: error: /opt/acme/license.key is missing; ship it in the package group',
      ]),
    );

    const again = await writeTempFile('install.sh', '#!/bin/sh\nexit 0\n');
    expect(
      await apiErrorOf(submitGroup(seller.client, 'acme_failing_r1', ['debian-12'], [again])),
    ).toEqual({
      status: 409,
      code: 'PACKAGE_GROUP_NAME_USED',
    });
  });

  it('shows installer output while the build is still running', async () => {
    const installer = await writeTempFile(
      'install.sh',
      '#!/bin/sh\necho "step 1 of 2"\nsleep 6\necho "step 2 of 2"\n',
    );
    const submitted = await submitGroup(seller.client, 'acme_slow_r1', ['debian-12'], [installer]);
    const buildId = submitted.builds[0]!.id;
    let seenWhileRunning = false;
    for (let i = 0; i < 600 && !seenWhileRunning; i += 1) {
      const lines = await allLogs(seller, buildId);
      const build = await seller.client.request<OsBuild>('GET', `/v1/builds/${buildId}`);
      if (lines.some((l) => l.text === 'step 1 of 2')) {
        expect(build.state).toBe('Building');
        expect(lines.some((l) => l.text === 'step 2 of 2')).toBe(false);
        seenWhileRunning = true;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(seenWhileRunning).toBe(true);
    const group = await waitForGroup(seller.client, submitted.id);
    expect(group.state).toBe('Successful');
  });

  it('gives a Windows .exe in a Linux group a platform mismatch finding', async () => {
    const exe = await writeTempFile(
      'setup.exe',
      Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)]),
    );
    const submitted = await submitGroup(seller.client, 'acme_pe_r1', ['debian-12'], [exe]);
    const group = await waitForGroup(seller.client, submitted.id);
    expect(group.state).toBe('IssuesFound');
    expect(group.builds[0]!.findings.map((f) => f.code)).toEqual(['INSTALLER_PLATFORM_MISMATCH']);
  });
});
