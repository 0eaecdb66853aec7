import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import { beforeAll, describe, expect, it } from 'vitest';

import { resolveDebianMirrors } from '../../../src/base-images/apt-sources.js';
import { changelogCarrier } from '../../../src/scanner/debian-security/changelog-fetcher.js';
import {
  deriveSecurityAdvisories,
  type DerivedOsvRecord,
} from '../../../src/scanner/debian-security/security-archive-deriver.js';
import {
  fetchSourcesIndex,
  type SourceEntry,
} from '../../../src/scanner/debian-security/sources-index.js';
import { tempDir } from '../../support/paths.js';

const run = promisify(execFile);

describe('advisories derived from the Debian security archive of the host’s mirror', () => {
  let securityUri: string;
  let archiveUri: string;
  let picked: SourceEntry[];

  beforeAll(async () => {
    const mirrors = await resolveDebianMirrors({});
    if (mirrors.security === undefined)
      throw new Error('the host’s apt sources name no security archive');
    securityUri = mirrors.security;
    archiveUri = mirrors.archive;
    // The three packages with the smallest changelog files in bookworm-security.
    const index = await fetchSourcesIndex(securityUri, 'bookworm-security');
    expect(index.length).toBeGreaterThan(100);
    picked = index
      .filter((e) => changelogCarrier(e)?.name.endsWith('.debian.tar.xz'))
      .sort((a, b) => changelogCarrier(a)!.size - changelogCarrier(b)!.size)
      .slice(0, 3);
  });

  it('derives one record per CVE each changelog names, and resumes instead of starting over', async () => {
    const stateDir = tempDir('derive');
    const records: DerivedOsvRecord[] = [];
    const progress: number[] = [];
    const options = {
      securityUri,
      archiveUri,
      codename: 'bookworm',
      ecosystem: 'Debian:12',
      stateDir,
      packages: picked.map((p) => p.package),
      onRecords: async (batch: DerivedOsvRecord[]) => void records.push(...batch),
      onProgress: (p: { done: number; skipped: number }) => progress.push(p.done + p.skipped),
    };
    const first = await deriveSecurityAdvisories(options);
    expect(first).toMatchObject({ packages: 3, derived: 3, skipped: 0, failed: [] });
    expect(progress.at(-1)).toBe(3);

    for (const entry of picked) {
      // The same CVEs, found by an independent pipeline: curl | tar | grep.
      const file = changelogCarrier(entry)!.name;
      const inSecurity = `${securityUri}/${entry.directory}/${file}`;
      const inArchive = `${archiveUri}/${entry.directory.replace('pool/updates/', 'pool/')}/${file}`;
      const { stdout } = await run('sh', [
        '-c',
        `(curl -fsS '${inSecurity}' || curl -fsS '${inArchive}') | tar -xJO debian/changelog | grep -o 'CVE-[0-9]*-[0-9]*' | sort -u`,
      ]);
      const expected = stdout.split('\n').filter((l) => l !== '');
      const got = records
        .filter((r) => r.affected[0]!.package.name === entry.package)
        .map((r) => r.aliases[0]);
      expect(got.sort()).toEqual(expected.sort());
    }

    const again = await deriveSecurityAdvisories({ ...options, onRecords: async () => undefined });
    expect(again).toMatchObject({ packages: 3, derived: 0, skipped: 3 });
  });

  it('keeps what an interrupted run finished', async () => {
    const stateDir = tempDir('derive-abort');
    const controller = new AbortController();
    const base = {
      securityUri,
      archiveUri,
      codename: 'bookworm',
      ecosystem: 'Debian:12',
      stateDir,
      packages: picked.map((p) => p.package),
      concurrency: 1,
    };
    await expect(
      deriveSecurityAdvisories({
        ...base,
        onRecords: async () => undefined,
        onProgress: (p) => {
          if (p.done === 1) controller.abort(new Error('interrupted'));
        },
        signal: controller.signal,
      }),
    ).rejects.toThrow();
    const resumed = await deriveSecurityAdvisories({ ...base, onRecords: async () => undefined });
    expect(resumed.skipped).toBe(1);
    expect(resumed.derived).toBe(2);
  });
});
