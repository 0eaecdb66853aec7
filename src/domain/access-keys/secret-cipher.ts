import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

import { readOrCreateKeyFile } from '../../util/key-file.js';

const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** A secret encrypted with AES-256-GCM, both parts base64. */
export interface SealedSecret {
  readonly ciphertext: string;
  readonly nonce: string;
}

/**
 * Encrypts secrets that the server must read back (SigV4 needs the plain
 * secret to recompute a signature, so a one-way hash cannot do). AES-256-GCM
 * with a random 96-bit nonce per secret (NIST SP 800-38D); the associated data
 * binds each ciphertext to its row, so rows cannot be swapped.
 */
export class SecretCipher {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== KEY_BYTES) throw new Error(`a secret key must be ${KEY_BYTES} bytes`);
    this.#key = key;
  }

  /**
   * The cipher of the key file at `file`; the file (32 random bytes, mode
   * 0600, in a 0700 directory) is created on first use.
   */
  static async fromKeyFile(file: string): Promise<SecretCipher> {
    return new SecretCipher(await readOrCreateKeyFile(file, KEY_BYTES));
  }

  /** Encrypts `plain`, bound to `associatedData`. */
  seal(plain: string, associatedData: string): SealedSecret {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return { ciphertext: body.toString('base64'), nonce: nonce.toString('base64') };
  }

  /** Decrypts a sealed secret; throws when it was altered or sealed under another key or row. */
  open(sealed: SealedSecret, associatedData: string): string {
    const body = Buffer.from(sealed.ciphertext, 'base64');
    const decipher = createDecipheriv(
      'aes-256-gcm',
      this.#key,
      Buffer.from(sealed.nonce, 'base64'),
      { authTagLength: TAG_BYTES },
    );
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(body.subarray(0, body.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  }
}
