import { dpkgVersionScheme } from './dpkg-version.js';
import { mavenVersionScheme } from './maven-version.js';
import { pep440VersionScheme } from './pep440-version.js';
import { rpmVersionScheme } from './rpm-version.js';
import { goSemverVersionScheme, semverVersionScheme } from './semver-version.js';
import type { VersionScheme } from './version-scheme.js';

/**
 * The version scheme of each OSV ecosystem, by the ecosystem's name before any `:` suffix
 * (OSV schema, "Defined ecosystems": `Debian:11`, `Ubuntu:22.04:LTS`, `Red Hat:enterprise_linux:9::appstream`).
 * A new ecosystem is one line here.
 */
export const VERSION_SCHEMES: ReadonlyMap<string, VersionScheme> = new Map([
  ['Debian', dpkgVersionScheme],
  ['Ubuntu', dpkgVersionScheme],
  ['Red Hat', rpmVersionScheme],
  ['AlmaLinux', rpmVersionScheme],
  ['Rocky Linux', rpmVersionScheme],
  ['openSUSE', rpmVersionScheme],
  ['SUSE', rpmVersionScheme],
  ['npm', semverVersionScheme],
  ['PyPI', pep440VersionScheme],
  ['Maven', mavenVersionScheme],
  ['Go', goSemverVersionScheme],
]);

/** The version scheme for an OSV ecosystem such as `Debian:12` or `PyPI`; undefined when unsupported. */
export function schemeForEcosystem(ecosystem: string): VersionScheme | undefined {
  const colon = ecosystem.indexOf(':');
  return VERSION_SCHEMES.get(colon >= 0 ? ecosystem.slice(0, colon) : ecosystem);
}
