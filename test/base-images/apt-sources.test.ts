import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  findDebianMirrors,
  parseDeb822Sources,
  parseOneLineSources,
  readHostAptSources,
  resolveDebianMirrors,
} from '../../src/base-images/apt-sources.js';
import { tempDir } from '../support/paths.js';

const KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';

describe('parseOneLineSources', () => {
  it('reads type, options, URI, suite and components, skipping comments', () => {
    const entries = parseOneLineSources(
      [
        '# a comment',
        'deb http://mirror.example/debian bookworm main contrib',
        `deb [ arch=amd64 signed-by=${KEYRING} ] http://mirror.example/debian bookworm-updates main # trailing`,
        'deb-src http://mirror.example/debian bookworm main',
        '',
      ].join('\n'),
      'sources.list',
    );
    expect(entries).toEqual([
      {
        types: ['deb'],
        uris: ['http://mirror.example/debian'],
        suites: ['bookworm'],
        components: ['main', 'contrib'],
        signedBy: undefined,
        enabled: true,
        origin: 'sources.list:2',
      },
      {
        types: ['deb'],
        uris: ['http://mirror.example/debian'],
        suites: ['bookworm-updates'],
        components: ['main'],
        signedBy: KEYRING,
        enabled: true,
        origin: 'sources.list:3',
      },
      {
        types: ['deb-src'],
        uris: ['http://mirror.example/debian'],
        suites: ['bookworm'],
        components: ['main'],
        signedBy: undefined,
        enabled: true,
        origin: 'sources.list:4',
      },
    ]);
  });
});

describe('parseDeb822Sources', () => {
  it('reads paragraphs with comments inside, Enabled and multi-line fields', () => {
    const entries = parseDeb822Sources(
      [
        'Types: deb deb-src',
        '# a comment inside the paragraph',
        'URIs: http://mirror.example/debian',
        'Suites: trixie trixie-updates',
        'Components: main',
        `Signed-By: ${KEYRING}`,
        '',
        'types: deb',
        'uris: http://security.example/debian-security',
        'suites: trixie-security',
        'components: main',
        'enabled: no',
        '',
        'Types: deb',
        'URIs: https://vendor.example/apt',
        'Suites: stable',
        'Components: main',
        'Signed-By:',
        ' -----BEGIN PGP PUBLIC KEY BLOCK-----',
        ' .',
        ' mQINBF...',
        ' -----END PGP PUBLIC KEY BLOCK-----',
      ].join('\n'),
      'x.sources',
    );
    expect(entries).toHaveLength(3);
    expect(entries[0]).toMatchObject({
      types: ['deb', 'deb-src'],
      suites: ['trixie', 'trixie-updates'],
      signedBy: KEYRING,
      enabled: true,
      origin: 'x.sources:1',
    });
    expect(entries[1]).toMatchObject({ suites: ['trixie-security'], enabled: false });
    expect(entries[2]?.signedBy).toContain('BEGIN PGP PUBLIC KEY BLOCK');
  });
});

describe('findDebianMirrors', () => {
  const cases: readonly {
    name: string;
    oneLine?: string;
    deb822?: string;
    archive: string | undefined;
    security: string | undefined;
  }[] = [
    {
      name: 'deb822 archive and security paragraphs',
      deb822: [
        'Types: deb',
        'URIs: http://mirror.example/debian',
        'Suites: bookworm bookworm-updates',
        'Components: main',
        `Signed-By: ${KEYRING}`,
        '',
        'Types: deb',
        'URIs: http://mirror.example/debian-security',
        'Suites: bookworm-security',
        'Components: main',
        `Signed-By: ${KEYRING}`,
      ].join('\n'),
      archive: 'http://mirror.example/debian',
      security: 'http://mirror.example/debian-security',
    },
    {
      name: 'one-line sources, trailing slashes dropped',
      oneLine: [
        'deb http://archive.example/debian/ bullseye main',
        'deb http://security.example/debian-security bullseye-security main',
      ].join('\n'),
      archive: 'http://archive.example/debian',
      security: 'http://security.example/debian-security',
    },
    {
      name: 'buster-style security suite',
      oneLine: [
        'deb http://archive.example/debian stable main',
        'deb http://security.example/debian-security buster/updates main',
      ].join('\n'),
      archive: 'http://archive.example/debian',
      security: 'http://security.example/debian-security',
    },
    {
      name: 'third-party repositories that reuse a codename are not Debian',
      oneLine: [
        'deb [signed-by=/usr/share/keyrings/vendor.gpg] https://vendor.example/linux/debian bookworm stable',
        'deb [arch=amd64] https://vendor2.example/debian bookworm stable',
        'deb [signed-by=/usr/share/keyrings/vendor.gpg] https://vendor.example/apt bookworm main',
        'deb https://db.example/apt bookworm-pgdg main',
        'deb https://cloud.example/apt cloud-sdk-bookworm main',
        'deb http://real.example/debian sid main',
      ].join('\n'),
      archive: 'http://real.example/debian',
      security: undefined,
    },
    {
      name: 'disabled and source-only entries are skipped',
      deb822: [
        'Types: deb',
        'URIs: http://off.example/debian',
        'Suites: trixie',
        'Components: main',
        'Enabled: no',
        '',
        'Types: deb-src',
        'URIs: http://src.example/debian',
        'Suites: trixie',
        'Components: main',
        '',
        'Types: deb',
        'URIs: http://on.example/debian',
        'Suites: trixie',
        'Components: main',
      ].join('\n'),
      archive: 'http://on.example/debian',
      security: undefined,
    },
    {
      name: 'an -updates entry alone still names the archive',
      oneLine: 'deb http://archive.example/debian bookworm-updates main',
      archive: 'http://archive.example/debian',
      security: undefined,
    },
    {
      name: 'Ubuntu codenames are not Debian',
      oneLine: 'deb http://archive.example/ubuntu noble main',
      archive: undefined,
      security: undefined,
    },
  ];
  it.each(cases)('$name', ({ oneLine, deb822, archive, security }) => {
    const entries = [...parseOneLineSources(oneLine ?? ''), ...parseDeb822Sources(deb822 ?? '')];
    expect(findDebianMirrors(entries)).toEqual({ archive, security });
  });
});

describe('reading a host configuration', () => {
  function fakeEtcApt(): string {
    const etcApt = tempDir('apt');
    mkdirSync(path.join(etcApt, 'sources.list.d'));
    writeFileSync(
      path.join(etcApt, 'sources.list.d', 'debian.sources'),
      [
        'Types: deb',
        'URIs: http://mirror.example/debian',
        'Suites: bookworm bookworm-updates',
        'Components: main',
        '',
        'Types: deb',
        'URIs: http://mirror.example/debian-security',
        'Suites: bookworm-security',
        'Components: main',
      ].join('\n'),
    );
    // Names apt ignores must be ignored here too.
    writeFileSync(
      path.join(etcApt, 'sources.list.d', 'aaa.list.disabled-by-farm'),
      'deb http://disabled.example/debian bookworm main\n',
    );
    writeFileSync(
      path.join(etcApt, 'sources.list.d', 'vendor.sources.disabled'),
      'Types: deb\nURIs: http://disabled.example/debian\nSuites: bookworm\nComponents: main\n',
    );
    return etcApt;
  }

  it('reads only .list and .sources files, without a sources.list', async () => {
    const entries = await readHostAptSources(fakeEtcApt());
    expect(entries.map((entry) => entry.uris[0])).toEqual([
      'http://mirror.example/debian',
      'http://mirror.example/debian-security',
    ]);
  });

  it('lets explicit configuration override the host', async () => {
    const etcApt = fakeEtcApt();
    expect(await resolveDebianMirrors({}, etcApt)).toEqual({
      archive: 'http://mirror.example/debian',
      security: 'http://mirror.example/debian-security',
    });
    expect(
      await resolveDebianMirrors({ archive: 'http://local.example/debian/', security: '' }, etcApt),
    ).toEqual({
      archive: 'http://local.example/debian',
      security: 'http://mirror.example/debian-security',
    });
    expect(
      await resolveDebianMirrors(
        { archive: 'http://a.example/debian', security: 'http://s.example/security' },
        path.join(etcApt, 'missing'),
      ),
    ).toEqual({ archive: 'http://a.example/debian', security: 'http://s.example/security' });
  });

  it('explains what to set when the host names no Debian archive', async () => {
    const empty = tempDir('apt-empty');
    await expect(resolveDebianMirrors({}, empty)).rejects.toThrow(/GOLDSMITH_DEBIAN_MIRROR/);
  });

  it('finds a Debian archive in this host’s own sources', async () => {
    const mirrors = await resolveDebianMirrors({});
    expect(mirrors.archive).toMatch(/^[a-z+]+:\/\//);
  });
});
