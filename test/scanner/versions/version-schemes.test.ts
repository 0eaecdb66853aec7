import { describe, expect, it } from 'vitest';
import {
  schemeForEcosystem,
  VERSION_SCHEMES,
} from '../../../src/scanner/versions/version-schemes.js';
import { VersionParseError } from '../../../src/scanner/versions/version-scheme.js';

/** OSV ecosystem names as osv.dev writes them, and the scheme each needs. */
const ECOSYSTEMS: readonly (readonly [string, string | undefined])[] = [
  ['Debian', 'dpkg'],
  ['Debian:11', 'dpkg'],
  ['Debian:12', 'dpkg'],
  ['Ubuntu:22.04:LTS', 'dpkg'],
  ['Ubuntu:Pro:18.04:LTS', 'dpkg'],
  ['Red Hat:enterprise_linux:9::appstream', 'rpm'],
  ['AlmaLinux:9', 'rpm'],
  ['Rocky Linux:8', 'rpm'],
  ['openSUSE:Leap 15.5', 'rpm'],
  ['SUSE:Linux Enterprise Server 15 SP5', 'rpm'],
  ['npm', 'semver'],
  ['PyPI', 'pep440'],
  ['Maven', 'maven'],
  ['Go', 'go-semver'],
  ['Alpine:v3.19', undefined],
  ['crates.io', undefined],
  ['debian', undefined],
  ['constructor', undefined],
  ['', undefined],
];

/** A version each scheme accepts and orders below a second one; the contract every scheme meets. */
const SAMPLES: Readonly<Record<string, readonly [string, string]>> = {
  dpkg: ['1:1.0~rc1-1', '1:1.0-1'],
  rpm: ['1.0~rc1-1.el9', '1.0-1.el9'],
  semver: ['1.0.0-rc.1', '1.0.0'],
  'go-semver': ['v1.0.0-rc.1', 'v1.0.0'],
  pep440: ['1.0rc1', '1.0'],
  maven: ['1.0-rc1', '1.0'],
};

describe('version scheme registry', () => {
  it.each(ECOSYSTEMS)('maps %j to %s', (ecosystem, scheme) => {
    expect(schemeForEcosystem(ecosystem)?.name).toBe(scheme);
  });

  describe.each([...new Set(VERSION_SCHEMES.values())])(
    '$name meets the VersionScheme contract',
    (scheme) => {
      const [low, high] = SAMPLES[scheme.name] ?? ['', ''];

      it('orders a pre-release before its release, and says so both ways', () => {
        expect(scheme.compare(low, high)).toBe(-1);
        expect(scheme.compare(high, low)).toBe(1);
        expect(scheme.compare(low, low)).toBe(0);
      });

      it('rejects the empty string through isValid and a VersionParseError naming the scheme', () => {
        expect(scheme.isValid(low)).toBe(true);
        expect(scheme.isValid('')).toBe(false);
        expect(() => scheme.compare('', high)).toThrow(VersionParseError);
        let thrown: unknown;
        try {
          scheme.compare(high, '');
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(VersionParseError);
        expect(thrown).toMatchObject({ scheme: scheme.name, version: '' });
      });
    },
  );
});
