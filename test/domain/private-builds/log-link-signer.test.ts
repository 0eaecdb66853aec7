import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import type { Clock } from '../../../src/domain/clock.js';
import { LogLinkSigner } from '../../../src/domain/private-builds/log-link-signer.js';
import { tempDir } from '../../support/paths.js';

const clock: Clock = { now: () => new Date('2026-03-01T12:00:00Z') };

describe('log link signer key file', () => {
  it('gives servers starting together on one keys directory the same key', async () => {
    for (let round = 0; round < 10; round += 1) {
      const file = path.join(tempDir('log-link-keys'), 'keys', 'log-link.key');
      const signers = await Promise.all(
        Array.from({ length: 8 }, () => LogLinkSigner.fromKeyFile(file, clock, 60)),
      );
      const links = signers.map((signer) => signer.sign('bld-1', 'stdout'));
      expect(new Set(links).size).toBe(1);
    }
  });

  it('verifies a link signed by another process with the same key file', async () => {
    const file = path.join(tempDir('log-link-keys'), 'log-link.key');
    const signer = await LogLinkSigner.fromKeyFile(file, clock, 60);
    const verifier = await LogLinkSigner.fromKeyFile(file, clock, 60);
    const link = new URLSearchParams(signer.sign('bld-1', 'stderr'));
    expect(() =>
      verifier.verify(
        'bld-1',
        'stderr',
        Number(link.get('expires')),
        String(link.get('signature')),
      ),
    ).not.toThrow();
    expect(() =>
      verifier.verify(
        'bld-2',
        'stderr',
        Number(link.get('expires')),
        String(link.get('signature')),
      ),
    ).toThrow('does not match');
  });

  it('refuses an empty key file rather than sign with an empty key', async () => {
    const file = path.join(tempDir('log-link-keys'), 'log-link.key');
    writeFileSync(file, '');
    await expect(LogLinkSigner.fromKeyFile(file, clock, 60)).rejects.toThrow(
      'must hold exactly 32 bytes, not 0',
    );
  });
});
