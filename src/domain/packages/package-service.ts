import type { Readable } from 'node:stream';

import { BlobTooLargeError, type BlobStore } from '../../blobs/blob-store.js';
import { DomainError } from '../../errors/domain-error.js';
import type { Store } from '../../store/store.js';
import type { Clock } from '../clock.js';
import { newId } from '../ids.js';
import type { StoredPackage } from '../types.js';

const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._+~-]{0,254}$/;

/** True for a file name a package may carry inside the sandbox. */
export function isValidPackageFileName(name: string): boolean {
  return FILE_NAME.test(name) && !name.includes('..');
}

/** Uploaded files that package groups are made of. */
export class PackageService {
  constructor(
    private readonly store: Store,
    private readonly blobs: BlobStore,
    private readonly clock: Clock,
    private readonly maxBytes: number,
  ) {}

  /** Streams an upload into the blob store and records it for the account. */
  async upload(accountId: string, fileName: string, body: Readable): Promise<StoredPackage> {
    if (!isValidPackageFileName(fileName)) {
      body.resume();
      throw new DomainError(
        'INVALID_PACKAGE_FILE_NAME',
        `"${fileName}" is not an allowed file name`,
      );
    }
    let info;
    try {
      info = await this.blobs.put(body, { maxBytes: this.maxBytes });
    } catch (error) {
      if (error instanceof BlobTooLargeError) {
        throw new DomainError(
          'PACKAGE_TOO_LARGE',
          `${fileName} is larger than the limit of ${this.maxBytes} bytes`,
        );
      }
      throw error;
    }
    const pkg: StoredPackage = {
      id: newId('pkg'),
      accountId,
      fileName,
      digest: info.digest,
      size: info.size,
      createdAt: this.clock.now().toISOString(),
    };
    await this.store.packages.insert(pkg);
    return pkg;
  }

  /** The account's packages. */
  async list(accountId: string): Promise<StoredPackage[]> {
    return this.store.packages.list(accountId);
  }

  /** One of the account's packages. */
  async get(accountId: string, id: string): Promise<StoredPackage> {
    const pkg = await this.store.packages.get(accountId, id);
    if (pkg === undefined) throw new DomainError('PACKAGE_NOT_FOUND', `package ${id} not found`);
    return pkg;
  }
}
