import { access } from 'node:fs/promises';
import path from 'node:path';

import { SecretCipher } from '../domain/access-keys/secret-cipher.js';
import type { Clock } from '../domain/clock.js';
import { LogLinkSigner } from '../domain/private-builds/log-link-signer.js';

/** The secret key files of a keys directory; every process of a cluster must read the same ones. */
export const KEY_FILES = {
  accessKeySecret: 'access-key-secret.key',
  webhookSecret: 'webhook-secret.key',
  logLink: 'log-link.key',
} as const;

/** The key file `name` of a keys directory. */
export function keyFile(keysDir: string, name: keyof typeof KEY_FILES): string {
  return path.join(keysDir, KEY_FILES[name]);
}

/** Which key files a `keys generate` created, and which it found already there. */
export interface GeneratedKeys {
  readonly created: readonly string[];
  readonly existing: readonly string[];
}

/**
 * Creates the missing key files of a keys directory, keeping those already there (a key that
 * changed would make stored secrets and issued links unreadable). The formats are the ones
 * the server reads, since the same loaders create them.
 */
export async function generateKeys(keysDir: string, clock: Clock): Promise<GeneratedKeys> {
  const created: string[] = [];
  const existing: string[] = [];
  const loaders: Record<keyof typeof KEY_FILES, (file: string) => Promise<unknown>> = {
    accessKeySecret: (file) => SecretCipher.fromKeyFile(file),
    webhookSecret: (file) => SecretCipher.fromKeyFile(file),
    logLink: (file) => LogLinkSigner.fromKeyFile(file, clock, 1),
  };
  for (const name of Object.keys(KEY_FILES) as (keyof typeof KEY_FILES)[]) {
    const file = keyFile(keysDir, name);
    const found = await access(file).then(
      () => true,
      () => false,
    );
    await loaders[name](file);
    (found ? existing : created).push(file);
  }
  return { created, existing };
}
