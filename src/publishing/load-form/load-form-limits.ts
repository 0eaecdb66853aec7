/** How much of an uploaded workbook the reader accepts before refusing it. */
export interface LoadFormLimits {
  /** The uploaded file itself. */
  readonly maxUploadBytes: number;
  /** All zip members together, once decompressed. */
  readonly maxUncompressedBytes: number;
  /** One zip member, once decompressed. */
  readonly maxEntryBytes: number;
  readonly maxEntries: number;
  /** Decompressed over compressed size of one member; far above it marks a zip bomb. */
  readonly maxCompressionRatio: number;
  /** Rows of the product tab besides the header and the example row. */
  readonly maxDataRows: number;
}

const MIB = 1024 * 1024;

/** The limits a load form upload is held to unless the caller says otherwise. */
export const DEFAULT_LOAD_FORM_LIMITS: LoadFormLimits = Object.freeze({
  maxUploadBytes: 5 * MIB,
  maxUncompressedBytes: 20 * MIB,
  maxEntryBytes: 10 * MIB,
  maxEntries: 1_000,
  maxCompressionRatio: 100,
  maxDataRows: 500,
});

/** A byte count as people read it (`5 MiB`, `1.5 KiB`, `2000 bytes`), exact where it matters. */
export function formatBytes(bytes: number): string {
  if (bytes >= MIB && (bytes % MIB === 0 || bytes >= 10 * MIB)) {
    return `${Number((bytes / MIB).toFixed(1))} MiB`;
  }
  if (bytes >= 1024 && (bytes % 1024 === 0 || bytes >= 10 * 1024)) {
    return `${Number((bytes / 1024).toFixed(1))} KiB`;
  }
  return `${bytes} bytes`;
}
