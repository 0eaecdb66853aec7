import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseOsRelease, readOsRelease } from '../../src/scanner/inventory/os-release.js';
import { tempDir } from '../support/paths.js';

const BOOKWORM = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
`;

describe('os-release', () => {
  const roots: string[] = [];
  afterEach(() => {
    for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
  });

  it('parses Debian 12', () => {
    expect(parseOsRelease(BOOKWORM)).toEqual({
      id: 'debian',
      versionId: '12',
      versionCodename: 'bookworm',
      prettyName: 'Debian GNU/Linux 12 (bookworm)',
    });
  });

  it('undoes quoting and applies the defaults of os-release(5)', () => {
    const text = `# comment\nVERSION_CODENAME='trixie'\nPRETTY_NAME="A \\"quoted\\" \\$name"\nnot a line\n`;
    expect(parseOsRelease(text)).toEqual({
      id: 'linux',
      versionId: undefined,
      versionCodename: 'trixie',
      prettyName: 'A "quoted" $name',
    });
  });

  it('follows the etc/os-release symlink inside the root, as Debian ships it', async () => {
    const root = tempDir('os-release');
    roots.push(root);
    mkdirSync(path.join(root, 'etc'));
    mkdirSync(path.join(root, 'usr/lib'), { recursive: true });
    writeFileSync(path.join(root, 'usr/lib/os-release'), BOOKWORM);
    symlinkSync('../usr/lib/os-release', path.join(root, 'etc/os-release'));
    expect((await readOsRelease(root))?.versionId).toBe('12');
  });

  it('resolves an absolute symlink against the root, not the host', async () => {
    const root = tempDir('os-release');
    roots.push(root);
    mkdirSync(path.join(root, 'etc'));
    mkdirSync(path.join(root, 'usr/lib'), { recursive: true });
    writeFileSync(path.join(root, 'usr/lib/os-release'), 'ID=inside\n');
    // On the host this would be the host's own os-release.
    symlinkSync('/usr/lib/os-release', path.join(root, 'etc/os-release'));
    expect((await readOsRelease(root))?.id).toBe('inside');
  });

  it('is undefined for a root without os-release', async () => {
    const root = tempDir('os-release');
    roots.push(root);
    expect(await readOsRelease(root)).toBeUndefined();
  });
});
