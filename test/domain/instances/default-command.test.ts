import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  defaultCommand,
  NO_INIT_COMMAND,
} from '../../../src/domain/instances/sandbox-instance-host.js';
import { tempDir } from '../../support/paths.js';

describe('defaultCommand', () => {
  it('runs /sbin/init when the root has one, even as a link that points outside', async () => {
    const root = tempDir('root');
    await mkdir(path.join(root, 'sbin'), { recursive: true });
    await symlink('/lib/systemd/systemd-that-is-not-here', path.join(root, 'sbin', 'init'));
    expect(await defaultCommand(root)).toEqual(['/sbin/init']);
  });

  it('runs /usr/sbin/init when only that exists', async () => {
    const root = tempDir('root');
    await mkdir(path.join(root, 'usr', 'sbin'), { recursive: true });
    await symlink('../lib/systemd/systemd', path.join(root, 'usr', 'sbin', 'init'));
    expect(await defaultCommand(root)).toEqual(['/usr/sbin/init']);
  });

  it('falls back to a shell that says there is no init and sleeps', async () => {
    expect(await defaultCommand(tempDir('root'))).toEqual(NO_INIT_COMMAND);
    expect(NO_INIT_COMMAND.join(' ')).toContain('no init in this image');
  });
});
