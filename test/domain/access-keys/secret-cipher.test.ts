import { statSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { SecretCipher } from '../../../src/domain/access-keys/secret-cipher.js';
import { tempDir } from '../../support/paths.js';

describe('secret cipher (AES-256-GCM under a key file)', () => {
  it('creates the key file once with mode 0600 and reads it back on the next start', async () => {
    const file = path.join(tempDir('cipher'), 'keys', 'access-key-secret.key');
    const first = await SecretCipher.fromKeyFile(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    const sealed = first.seal('s3cret', 'row-1');
    const again = await SecretCipher.fromKeyFile(file);
    expect(again.open(sealed, 'row-1')).toBe('s3cret');
  });

  it('uses a fresh nonce per secret and never stores the plain text', () => {
    const cipher = new SecretCipher(Buffer.alloc(32, 7));
    const a = cipher.seal('same secret', 'row');
    const b = cipher.seal('same secret', 'row');
    expect(a.nonce).not.toBe(b.nonce);
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(Buffer.from(a.ciphertext, 'base64').toString('utf8')).not.toContain('same secret');
  });

  it('refuses an altered ciphertext, another row and another key', () => {
    const cipher = new SecretCipher(Buffer.alloc(32, 7));
    const sealed = cipher.seal('s3cret', 'row-1');
    const bytes = Buffer.from(sealed.ciphertext, 'base64');
    bytes[0]! ^= 1;
    expect(() =>
      cipher.open({ ...sealed, ciphertext: bytes.toString('base64') }, 'row-1'),
    ).toThrow();
    expect(() => cipher.open(sealed, 'row-2')).toThrow();
    expect(() => new SecretCipher(Buffer.alloc(32, 8)).open(sealed, 'row-1')).toThrow();
  });
});
