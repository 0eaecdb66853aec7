import { createHmac, timingSafeEqual } from 'node:crypto';

import { DomainError } from '../../errors/domain-error.js';
import { readOrCreateKeyFile } from '../../util/key-file.js';
import type { Clock } from '../clock.js';

/** Installer output streams a link can name. */
export type LinkedStream = 'stdout' | 'stderr';

/**
 * Expiring links to a private build's installer output (our stand-in for the
 * model's presigned S3 URLs): an HMAC-SHA256, under a server secret, of the
 * build id, the stream and the expiry.
 */
export class LogLinkSigner {
  constructor(
    private readonly secret: Buffer,
    private readonly clock: Clock,
    private readonly ttlSeconds: number,
  ) {}

  /**
   * Reads the secret from `file`, creating it (mode 0600) on first use. Every API server of a
   * cluster reads the same file, so a link signed by one verifies on any other.
   */
  static async fromKeyFile(file: string, clock: Clock, ttlSeconds: number): Promise<LogLinkSigner> {
    return new LogLinkSigner(await readOrCreateKeyFile(file, 32), clock, ttlSeconds);
  }

  /** The query string (`stream=…&expires=…&signature=…`) of a fresh link. */
  sign(buildId: string, stream: LinkedStream): string {
    const expires = Math.floor(this.clock.now().getTime() / 1000) + this.ttlSeconds;
    const query = new URLSearchParams({
      stream,
      expires: String(expires),
      signature: this.mac(buildId, stream, expires),
    });
    return query.toString();
  }

  /** Throws LOG_LINK_INVALID unless the signature matches and has not expired. */
  verify(buildId: string, stream: LinkedStream, expires: number, signature: string): void {
    const expected = Buffer.from(this.mac(buildId, stream, expires), 'hex');
    const given = Buffer.from(signature, 'hex');
    const matches = given.length === expected.length && timingSafeEqual(given, expected);
    if (!matches)
      throw new DomainError('LOG_LINK_INVALID', 'the log link signature does not match');
    if (expires < this.clock.now().getTime() / 1000)
      throw new DomainError('LOG_LINK_INVALID', 'the log link has expired');
  }

  private mac(buildId: string, stream: string, expires: number): string {
    return createHmac('sha256', this.secret)
      .update(`${buildId}\n${stream}\n${expires}`)
      .digest('hex');
  }
}
