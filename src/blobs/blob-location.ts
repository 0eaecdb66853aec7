import path from 'node:path';

/** Blobs in a local directory. */
export interface FsBlobLocation {
  readonly kind: 'fs';
  readonly dir: string;
}

/** Blobs in an S3 bucket, under a key prefix ('' for the bucket's root). */
export interface S3BlobLocation {
  readonly kind: 's3';
  readonly bucket: string;
  readonly prefix: string;
}

export type BlobLocation = FsBlobLocation | S3BlobLocation;

/** A blob location string that cannot be used; the message says what to fix. */
export class BlobLocationError extends Error {
  constructor(
    readonly location: string,
    reason: string,
  ) {
    super(`invalid blob location ${JSON.stringify(location)}: ${reason}`);
    this.name = 'BlobLocationError';
  }
}

/**
 * Parses `s3://bucket[/prefix]` or a directory path (resolved against the working
 * directory) into a typed location.
 */
export function parseBlobLocation(location: string): BlobLocation {
  const fail = (reason: string): never => {
    throw new BlobLocationError(location, reason);
  };
  if (location.trim() === '') fail('it is empty');
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(location)?.[1]?.toLowerCase();
  if (scheme === undefined) return { kind: 'fs', dir: path.resolve(location) };
  if (scheme !== 's3')
    fail(`unsupported scheme "${scheme}:"; use s3://bucket/prefix or a directory`);
  if (!location.toLowerCase().startsWith('s3://')) fail('expected s3://bucket/prefix');
  const rest = location.slice('s3://'.length);
  if (/[?#]/.test(rest)) fail('query strings and fragments are not allowed');
  const slash = rest.indexOf('/');
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  const rawPrefix = slash === -1 ? '' : rest.slice(slash + 1).replace(/\/+$/, '');
  if (bucket === '') fail('the bucket name is missing');
  if (bucket.includes('@') || bucket.includes(':')) {
    fail('credentials and ports belong in the S3 settings, not in the URL');
  }
  // The S3 bucket naming rules: 3–63 lowercase letters, digits, dots and hyphens.
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket) || bucket.includes('..')) {
    fail(`"${bucket}" is not a valid bucket name (3-63 lowercase letters, digits, dots, hyphens)`);
  }
  if (rawPrefix !== '') {
    const segments = rawPrefix.split('/');
    if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
      fail('the prefix must not contain empty, "." or ".." segments');
    }
    // Control characters make keys that many tools cannot list or delete.
    if ([...rawPrefix].some((c) => c === '\\' || c.charCodeAt(0) < 0x20 || c === '\x7f')) {
      fail('the prefix must not contain control characters or backslashes');
    }
  }
  return { kind: 's3', bucket, prefix: rawPrefix };
}
