import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  instanceRun,
  NO_INIT_COMMAND,
  SYSTEMD_CONSOLE_ARGS,
} from '../../../src/domain/instances/instance-run.js';
import { tempDir } from '../../support/paths.js';

async function rootWith(entry: string, link: string | null): Promise<string> {
  const root = tempDir('root');
  await mkdir(path.join(root, path.dirname(entry)), { recursive: true });
  if (link === null) await writeFile(path.join(root, entry), '#!/bin/sh\n');
  else await symlink(link, path.join(root, entry));
  return root;
}

describe('instanceRun', () => {
  it('runs a given command under the agent, stopped with SIGTERM', async () => {
    const root = await rootWith('sbin/init', '/lib/systemd/systemd');
    expect(await instanceRun(root, ['/bin/sleep', '9'])).toEqual({
      argv: ['/bin/sleep', '9'],
      asInit: false,
      stopSignal: 'TERM',
    });
  });

  it('runs systemd as PID 1 with its console arguments, halted by SIGRTMIN+3', async () => {
    // The link's target is read, never followed: it points into the host's /lib.
    const root = await rootWith('sbin/init', '/lib/systemd/systemd');
    expect(await instanceRun(root, null)).toEqual({
      argv: ['/sbin/init', ...SYSTEMD_CONSOLE_ARGS],
      asInit: true,
      stopSignal: '37',
    });
    expect(SYSTEMD_CONSOLE_ARGS).toContain('systemd.show_status=yes');
  });

  it('runs another init without arguments, stopped with SIGTERM', async () => {
    const busybox = await rootWith('sbin/init', '../bin/busybox');
    expect(await instanceRun(busybox, null)).toEqual({
      argv: ['/sbin/init'],
      asInit: true,
      stopSignal: 'TERM',
    });
    const plainFile = await rootWith('usr/sbin/init', null);
    expect(await instanceRun(plainFile, null)).toEqual({
      argv: ['/usr/sbin/init'],
      asInit: true,
      stopSignal: 'TERM',
    });
  });

  it('falls back to a shell that says there is no init and sleeps', async () => {
    expect(await instanceRun(tempDir('root'), null)).toEqual({
      argv: NO_INIT_COMMAND,
      asInit: false,
      stopSignal: 'TERM',
    });
    expect(NO_INIT_COMMAND.join(' ')).toContain('no init in this image');
  });
});
