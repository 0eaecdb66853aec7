import { readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { changelogFromDiff } from '../../../src/scanner/debian-security/changelog-fetcher.js';
import {
  firstCveMentions,
  parseChangelog,
} from '../../../src/scanner/debian-security/debian-changelog.js';
import { parseSourcesIndex } from '../../../src/scanner/debian-security/sources-index.js';
import { recordsFor } from '../../../src/scanner/debian-security/security-archive-deriver.js';
import { repoRoot } from '../../support/paths.js';

const changelog = readFileSync(
  path.join(repoRoot, 'test', 'fixtures', 'debian-security', '7zip.changelog'),
  'utf8',
);

describe('Debian changelog', () => {
  it('parses entries with version, distribution, urgency and date, newest first', () => {
    const entries = parseChangelog(changelog);
    expect(entries.length).toBeGreaterThanOrEqual(3);
    expect(entries[0]).toMatchObject({
      package: '7zip',
      version: '22.01+really26.02+dfsg-0+deb12u1',
      distributions: 'bookworm-security',
      urgency: 'high',
    });
    expect(entries[2]!.version).toBe('22.01+really25.01+dfsg-0+deb12u1');
    for (const entry of entries) expect(Date.parse(entry.date)).not.toBeNaN();
  });

  it('fixes each CVE in the oldest version that names it', () => {
    const fixes = new Map(
      firstCveMentions(parseChangelog(changelog)).map((f) => [f.cve, f.entry.version]),
    );
    expect(fixes.get('CVE-2026-14266')).toBe('22.01+really26.02+dfsg-0+deb12u1');
    expect(fixes.get('CVE-2026-48092')).toBe('22.01+really26.01+dfsg-0+deb12u1');
    expect(fixes.get('CVE-2023-31102')).toBe('22.01+really25.01+dfsg-0+deb12u1');
    // Every CVE in the text is found, once.
    const named = new Set(changelog.match(/CVE-\d{4}-\d{4,}/g));
    expect(new Set(fixes.keys())).toEqual(named);
  });

  it('turns fixes into OSV records in the shape of the shared changelog data', () => {
    const entry = {
      package: '7zip',
      version: '22.01+really26.02+dfsg-0+deb12u1',
      directory: 'pool/updates/main/7/7zip',
      files: [],
    };
    const records = recordsFor(entry, parseChangelog(changelog), {
      codename: 'bookworm',
      ecosystem: 'Debian:12',
    });
    const record = records.find((r) => r.aliases[0] === 'CVE-2023-31102')!;
    expect(record.id).toBe('DEBIAN-CHANGELOG-bookworm-7zip-CVE-2023-31102');
    expect(record.affected[0]!.package).toEqual({
      ecosystem: 'Debian:12',
      name: '7zip',
      purl: 'pkg:deb/debian/7zip?arch=source&distro=bookworm',
    });
    expect(record.affected[0]!.ranges[0]!.events).toEqual([
      { introduced: '0' },
      { fixed: '22.01+really25.01+dfsg-0+deb12u1' },
    ]);
    expect(record.modified).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('reads the changelog out of a 1.0 format diff', () => {
    const diff = [
      '--- acme-1.0.orig/src/main.c',
      '+++ acme-1.0/src/main.c',
      '@@ -1 +1 @@',
      '+int main;',
      '--- acme-1.0.orig/debian/changelog',
      '+++ acme-1.0/debian/changelog',
      '@@ -0,0 +1,5 @@',
      '+acme (1.0-1+deb12u1) bookworm-security; urgency=medium',
      '+',
      '+  * Fix CVE-2024-0001.',
      '+',
      '+ -- Security Team <team@security.example.invalid>  Mon, 01 Jan 2024 10:00:00 +0000',
    ].join('\n');
    const entries = parseChangelog(changelogFromDiff(diff));
    expect(firstCveMentions(entries).map((f) => [f.cve, f.entry.version])).toEqual([
      ['CVE-2024-0001', '1.0-1+deb12u1'],
    ]);
  });
});

describe('Sources index', () => {
  it('reads package, version, directory and sha256 files; skips broken stanzas', () => {
    const text = [
      'Package: 7zip',
      'Binary: 7zip',
      'Version: 22.01+really26.02+dfsg-0+deb12u1',
      'Format: 3.0 (quilt)',
      'Checksums-Sha256:',
      ' 9a47e2fc3baaf658772ac6a879e794eaf5129685cf60494d74559ff990b21872 1995 7zip_22.01+really26.02+dfsg-0+deb12u1.dsc',
      ' 184184e5984ffe1f8a4af00548a31ef02ebb6b7219ba0a3048ad6a192c54c7a1 11180 7zip_22.01+really26.02+dfsg-0+deb12u1.debian.tar.xz',
      'Directory: pool/updates/main/7/7zip',
      '',
      'Package: broken',
      'Binary: broken',
      '',
    ].join('\n');
    expect(parseSourcesIndex(text)).toEqual([
      {
        package: '7zip',
        version: '22.01+really26.02+dfsg-0+deb12u1',
        directory: 'pool/updates/main/7/7zip',
        files: [
          {
            sha256: '9a47e2fc3baaf658772ac6a879e794eaf5129685cf60494d74559ff990b21872',
            size: 1995,
            name: '7zip_22.01+really26.02+dfsg-0+deb12u1.dsc',
          },
          {
            sha256: '184184e5984ffe1f8a4af00548a31ef02ebb6b7219ba0a3048ad6a192c54c7a1',
            size: 11180,
            name: '7zip_22.01+really26.02+dfsg-0+deb12u1.debian.tar.xz',
          },
        ],
      },
    ]);
  });
});
