import { unpackArchive } from './archive-unpacker.js';
import type { Compression } from './layer-streams.js';
import { openOciLayout } from './oci-layout-source.js';
import { ScanSourceError } from './scan-source-error.js';
import type { ScanSource } from './scan-source.js';

/** The members of an OCI layout that matter; anything else (a `manifest.json`) is skipped. */
const LAYOUT_MEMBER = /^(oci-layout|index\.json|blobs\/[a-z0-9]+\/[0-9a-f]+)$/;
const SHA256_BLOB = /^blobs\/sha256\/([0-9a-f]{64})$/;

/**
 * Opens an OCI archive (a tar of an OCI layout, as `skopeo copy oci-archive:` writes): unpacks
 * its layout files into `workDir`, checks every sha256 blob against its name, and reads it as a
 * layout. `close` removes `workDir`.
 */
export async function openOciArchive(
  spec: string,
  compression: Compression,
  workDir: string,
  close: () => Promise<void>,
): Promise<ScanSource> {
  const unpacked = await unpackArchive(spec, spec, compression, workDir, (name) =>
    LAYOUT_MEMBER.test(name),
  );
  const checked = new Set<string>();
  return openOciLayout(
    spec,
    { kind: 'oci-archive', name: spec },
    {
      async find(relPath: string): Promise<string | undefined> {
        const member = unpacked.find(relPath);
        if (member === undefined) return undefined;
        const hex = SHA256_BLOB.exec(relPath)?.[1];
        if (hex !== undefined && !checked.has(hex)) {
          if (member.digest !== `sha256:${hex}`) {
            throw new ScanSourceError(
              spec,
              'digest-mismatch',
              `blob sha256:${hex} of the archive has digest ${member.digest}`,
            );
          }
          checked.add(hex);
        }
        return member.file;
      },
    },
    close,
  );
}
