import { mkdtemp, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { BlobStore } from '../../blobs/blob-store.js';
import type { LayerChangeSet } from '../../image/oci-layer-extractor.js';
import type { Store } from '../../store/store.js';
import type { ScanTarget } from '../scan/scan-report.js';
import { openDockerArchive } from './docker-archive-source.js';
import { openImageSource } from './image-source.js';
import { openOciArchive } from './oci-archive-source.js';
import { layoutDirectoryFiles, openOciLayout } from './oci-layout-source.js';
import { openRootfsTar } from './rootfs-tar-source.js';
import { ScanSourceError } from './scan-source-error.js';
import { classifyTar } from './tar-classifier.js';

export { ScanSourceError } from './scan-source-error.js';
export type { ScanSourceProblem } from './scan-source-error.js';

/**
 * What a layer changed, relative to the root, no leading slash: the regular files, symlinks,
 * hardlinks, devices and FIFOs it adds or replaces (with size and an lstat-like mode), the
 * paths its `.wh.name` entries delete and the directories its `.wh..wh..opq` entries hide.
 */
export type LayerChanges = LayerChangeSet;

/** One layer of a scan source. */
export interface SourceLayer {
  /** The layer's digest: the OCI descriptor digest, or the sha256 of a root filesystem tar file. */
  readonly digest: string;
  /**
   * Extracts the layer onto `rootDir` (which holds the layers below), applying OCI whiteouts;
   * refuses unsafe entries (ScanSourceError `unsafe-entry`) and a blob whose digest differs
   * (`digest-mismatch`) before writing anything. Devices and FIFOs are reported, not created.
   */
  extractOnto(rootDir: string): Promise<LayerChanges>;
}

/** Something `goldsmith scan` can scan, as layers to extract one after another. */
export interface ScanSource {
  readonly target: ScanTarget;
  /** Lowest first. Empty for a directory, which is scanned in place at `directory`. */
  readonly layers: readonly SourceLayer[];
  readonly directory?: string;
  /** The image config's labels (Goldsmith images carry org.goldsmith.image-kind etc.); {} when none. */
  readonly labels: Readonly<Record<string, string>>;
  /** The image config's platform; undefined for a directory or root filesystem tar. */
  readonly platform?: {
    readonly os: string;
    readonly architecture: string;
    readonly variant?: string;
  };
  /** Removes every temporary file the source made. */
  close(): Promise<void>;
}

/** What openScanSource needs besides the spec. */
export interface ScanSourceDeps {
  /** Where archives are unpacked, each into its own fresh directory. */
  readonly tempDir: string;
  /** Where Goldsmith image ids are looked up. */
  readonly images?: { readonly store: Store; readonly blobs: BlobStore };
}

const IMAGE_ID = /^img-[0-9a-f]{17}$/;

/**
 * Opens what `goldsmith scan PATH` names: a Goldsmith image id, an OCI layout directory, a
 * root filesystem directory, or a tar file (plain, gzip, xz or zstd) holding an OCI archive, a
 * `docker save` archive or a root filesystem. Throws ScanSourceError, leaving nothing in
 * `deps.tempDir`, when it cannot.
 */
export async function openScanSource(spec: string, deps: ScanSourceDeps): Promise<ScanSource> {
  if (IMAGE_ID.test(spec)) {
    if (deps.images === undefined) {
      throw new ScanSourceError(spec, 'no-image-store', 'an image id needs the Goldsmith store');
    }
    return openImageSource(spec, deps.images.store, deps.images.blobs);
  }
  const info = await stat(spec).catch((error: unknown) => {
    if (isErrno(error, 'ENOENT') || isErrno(error, 'ENOTDIR')) return undefined;
    throw error;
  });
  if (info === undefined) throw new ScanSourceError(spec, 'not-found', 'no such file or directory');
  if (info.isDirectory()) {
    const isLayout = await stat(path.join(spec, 'oci-layout')).then(
      (layoutFile) => layoutFile.isFile(),
      () => false,
    );
    if (isLayout) {
      const target: ScanTarget = { kind: 'oci-layout', name: spec };
      return openOciLayout(spec, target, layoutDirectoryFiles(spec), async () => undefined);
    }
    return {
      target: { kind: 'directory', name: spec },
      layers: [],
      directory: path.resolve(spec),
      labels: {},
      close: async () => undefined,
    };
  }
  if (!info.isFile()) {
    throw new ScanSourceError(spec, 'not-a-tar', 'is neither a directory nor a regular file');
  }
  const { kind, compression } = await classifyTar(spec);
  if (kind === 'rootfs') return openRootfsTar(spec, compression);
  const workDir = await mkdtemp(path.join(deps.tempDir, 'scan-source-'));
  const cleanup = async (): Promise<void> => rm(workDir, { recursive: true, force: true });
  try {
    return kind === 'oci-archive'
      ? await openOciArchive(spec, compression, workDir, cleanup)
      : await openDockerArchive(spec, compression, workDir, cleanup);
  } catch (error) {
    await cleanup();
    throw error;
  }
}

function isErrno(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === code;
}
