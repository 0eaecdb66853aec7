import { describe, expect, it } from 'vitest';

import { resolveDebianMirrors } from '../../../src/base-images/apt-sources.js';
import { changelogCarrier } from '../../../src/scanner/debian-security/changelog-fetcher.js';
import { fetchSourcesIndex } from '../../../src/scanner/debian-security/sources-index.js';
import { runCli } from '../../support/cli-process.js';
import { tempDir } from '../../support/paths.js';

describe('goldsmith vulndb update', () => {
  it('stores advisories derived from a few source packages of bookworm-security, then resumes', async () => {
    const mirrors = await resolveDebianMirrors({});
    const index = await fetchSourcesIndex(mirrors.security!, 'bookworm-security');
    // Two small packages whose changelogs name CVEs: the first that have any.
    const candidates = index
      .filter((e) => changelogCarrier(e)?.name.endsWith('.debian.tar.xz'))
      .sort((a, b) => changelogCarrier(a)!.size - changelogCarrier(b)!.size)
      .slice(0, 12)
      .map((e) => e.package);
    const dataDir = tempDir('vulndb-update');
    const args = [
      'vulndb',
      'update',
      '--os',
      'debian-12',
      '--packages',
      candidates.join(','),
      '--data-dir',
      dataDir,
    ];

    const first = await runCli([...args, '--json']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/debian-12: \d+\/12 source packages/);
    const [summary] = JSON.parse(first.stdout) as {
      derived: number;
      skipped: number;
      records: number;
    }[];
    expect(summary!.derived + summary!.skipped).toBe(12);

    const status = await runCli(['vulndb', 'status', '--json', '--data-dir', dataDir]);
    const parsed = JSON.parse(status.stdout) as { sources: { source: string; records: number }[] };
    const derived = parsed.sources.find((s) => s.source === 'debian-security-changelog');
    expect(derived?.records ?? 0).toBe(summary!.records);

    const again = await runCli([...args, '--json']);
    const [second] = JSON.parse(again.stdout) as { derived: number; skipped: number }[];
    expect(second).toMatchObject({ derived: 0, skipped: 12 });
  });
});
