import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rebootShimMounts, resolveInRoot } from '../../src/sandbox/runc/reboot-shims.js';
import { tempDir } from '../support/paths.js';

const AGENT = '/opt/agent/goldsmith-agent';
const REAL = '/run/goldsmith/agent/real';

/** Makes a root from `entries`: a string is a file's content, `{ link }` a symlink. */
function makeRoot(entries: Record<string, string | { link: string }>): string {
  const root = tempDir('shim-root');
  for (const [file, entry] of Object.entries(entries)) {
    const target = path.join(root, file);
    mkdirSync(path.dirname(target), { recursive: true });
    if (typeof entry === 'string') writeFileSync(target, entry);
    else symlinkSync(entry.link, target);
  }
  return root;
}

describe('reboot shim mounts', () => {
  it('covers merged-/usr with systemd-sysv (bookworm): only systemctl is a real file', async () => {
    const root = makeRoot({
      'usr/bin/systemctl': 'elf',
      bin: { link: 'usr/bin' },
      sbin: { link: 'usr/sbin' },
      'usr/sbin/reboot': { link: '/bin/systemctl' },
      'usr/sbin/shutdown': { link: '/bin/systemctl' },
      'usr/sbin/init': { link: '/lib/systemd/systemd' },
    });
    expect(await rebootShimMounts(root, AGENT)).toEqual([
      {
        source: path.join(root, 'usr/bin/systemctl'),
        destination: `${REAL}/systemctl`,
        readOnly: true,
      },
      { source: AGENT, destination: '/usr/bin/systemctl', readOnly: true },
    ]);
  });

  it('covers split-/usr (bullseye) and real init commands (sysvinit)', async () => {
    const root = makeRoot({
      'bin/systemctl': 'elf',
      'sbin/reboot': 'sysvinit reboot',
      'sbin/halt': { link: 'reboot' },
      'sbin/init': 'sysvinit init',
    });
    const mounts = await rebootShimMounts(root, AGENT);
    expect(mounts.filter((mount) => mount.source === AGENT).map((m) => m.destination)).toEqual([
      '/bin/systemctl',
      '/sbin/reboot',
      '/sbin/init',
    ]);
    expect(mounts).toContainEqual({
      source: path.join(root, 'sbin/reboot'),
      destination: `${REAL}/reboot`,
      readOnly: true,
    });
  });

  it('binds nothing in a root without systemd or init commands', async () => {
    expect(await rebootShimMounts(makeRoot({ 'etc/hostname': 'x' }), AGENT)).toEqual([]);
  });

  it('resolves absolute and relative symlinks inside the root, never outside', async () => {
    const root = makeRoot({
      'usr/bin/tool': 'x',
      bin: { link: '/usr/bin' },
      'usr/sbin/up': { link: '../bin/tool' },
      'usr/sbin/escape': { link: '../../../../etc/passwd' },
    });
    expect(await resolveInRoot(root, '/bin/tool')).toBe('/usr/bin/tool');
    expect(await resolveInRoot(root, '/usr/sbin/up')).toBe('/usr/bin/tool');
    expect(await resolveInRoot(root, '/usr/sbin/escape')).toBeNull();
    expect(await resolveInRoot(root, '/missing')).toBeNull();
  });
});
