import { describe, expect, it } from 'vitest';

import type { OsvAffected, OsvRange } from '../../../src/scanner/advisories/osv-record.js';
import { evaluateAffected, evaluateRange } from '../../../src/scanner/matching/osv-affected.js';
import { dpkgVersionScheme } from '../../../src/scanner/versions/dpkg-version.js';

function range(...events: OsvRange['events']): OsvRange {
  return { type: 'ECOSYSTEM', repo: undefined, events };
}

describe('OSV affected ranges, with dpkg version order', () => {
  // DSA-5532-1 (openssl, Debian:12) from the shared osv.dev export: introduced 0, fixed 3.0.11-1~deb12u2.
  const dsa5532 = range({ introduced: '0' }, { fixed: '3.0.11-1~deb12u2' });

  const cases: [string, OsvRange, string, boolean, string | null][] = [
    ['bookworm release version', dsa5532, '3.0.9-1', true, '3.0.11-1~deb12u2'],
    ['tilde sorts before the fix', dsa5532, '3.0.11-1~deb12u1', true, '3.0.11-1~deb12u2'],
    ['exactly the fix', dsa5532, '3.0.11-1~deb12u2', false, null],
    ['a later security update', dsa5532, '3.0.15-1~deb12u1', false, null],
    ['epoch above the fix', dsa5532, '1:3.0.9-1', false, null],
    ['unfixed (no fixed event)', range({ introduced: '0' }), '3.0.15-1~deb12u1', true, null],
    [
      'introduced later than installed',
      range({ introduced: '2.0-1' }, { fixed: '2.1-1' }),
      '1.9-1',
      false,
      null,
    ],
    [
      'last_affected includes itself',
      range({ introduced: '1.0' }, { last_affected: '1.5' }),
      '1.5',
      true,
      null,
    ],
    [
      'last_affected excludes above',
      range({ introduced: '1.0' }, { last_affected: '1.5' }),
      '1.5.1',
      false,
      null,
    ],
    [
      'two introduced/fixed pairs: in the second window',
      range({ introduced: '1.0' }, { fixed: '1.2' }, { introduced: '2.0' }, { fixed: '2.3' }),
      '2.1',
      true,
      '2.3',
    ],
    [
      'two introduced/fixed pairs: between the windows',
      range({ introduced: '2.0' }, { fixed: '2.3' }, { introduced: '1.0' }, { fixed: '1.2' }),
      '1.5',
      false,
      null,
    ],
  ];
  it.each(cases)('%s', (_label, r, installed, affected, fixed) => {
    expect(evaluateRange(r, installed, dpkgVersionScheme)).toEqual({
      affected,
      fixedVersion: fixed,
    });
  });

  it('counts an explicitly listed version as affected', () => {
    const affected: OsvAffected = {
      package: { ecosystem: 'Debian:12', name: 'x', purl: undefined },
      severity: [],
      ranges: [],
      versions: ['1.0-1'],
      ecosystemSpecific: undefined,
      databaseSpecific: undefined,
    };
    expect(evaluateAffected(affected, '1.0-1', dpkgVersionScheme).affected).toBe(true);
    expect(evaluateAffected(affected, '1.0-2', dpkgVersionScheme).affected).toBe(false);
  });

  it('ignores GIT ranges, which name commits, not versions', () => {
    const git: OsvRange = {
      type: 'GIT',
      repo: 'https://example.invalid/x.git',
      events: [{ introduced: '0' }],
    };
    expect(evaluateRange(git, '1.0', dpkgVersionScheme).affected).toBe(false);
  });
});
