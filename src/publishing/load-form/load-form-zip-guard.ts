import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import type { LoadFormProblem } from '../../domain/publishing/publishing-types.js';
import { formatBytes, type LoadFormLimits } from './load-form-limits.js';
import { nextZipEntry } from '../../archives/yauzl-entries.js';

/** The message every upload that is no .xlsx at all starts with. */
export const NOT_XLSX = 'not an Excel workbook (.xlsx)';

const LOCAL_HEADER_SIGNATURE = 0x04034b50;
/** OLE2 compound files: legacy .xls, and .xlsx files saved with a password (MS-OFFCRYPTO). */
const OLE2_SIGNATURE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);
/** Parts smaller than this are not judged by their ratio: short XML compresses very well and cannot hurt. */
const RATIO_FLOOR_BYTES = 1024 * 1024;
/** Content types that only macro-enabled workbooks (.xlsm, .xltm) declare (ECMA-376 / MS-OFFMACRO2). */
const MACRO_CONTENT_TYPE = /macroEnabled|vbaProject/i;
const REQUIRED_PARTS = ['[Content_Types].xml', 'xl/workbook.xml'] as const;

function fileProblem(message: string): LoadFormProblem {
  return { sheet: null, row: null, column: null, message };
}

/** An upload's zip members, inflated within the limits, or why it was refused. */
export type UnpackedWorkbook =
  | { readonly ok: true; readonly parts: ReadonlyMap<string, Buffer> }
  | { readonly ok: false; readonly problems: LoadFormProblem[] };

/**
 * Checks an upload's zip structure before any workbook library sees it (size, the parts an
 * .xlsx must have, macros, encryption, zip bombs) and inflates its members within the limits.
 */
export async function unpackWorkbookZip(
  data: Buffer,
  limits: LoadFormLimits,
): Promise<UnpackedWorkbook> {
  const refuse = (message: string): UnpackedWorkbook => ({
    ok: false,
    problems: [fileProblem(message)],
  });
  if (data.length > limits.maxUploadBytes) {
    return refuse(
      `the file is ${formatBytes(data.length)}; at most ${formatBytes(limits.maxUploadBytes)} is accepted`,
    );
  }
  if (data.subarray(0, 4).equals(OLE2_SIGNATURE)) {
    return refuse(
      `${NOT_XLSX}: this is an old .xls workbook or one protected by a password; save it as .xlsx without a password`,
    );
  }
  if (data.length < 4 || data.readUInt32LE(0) !== LOCAL_HEADER_SIGNATURE) {
    return refuse(`${NOT_XLSX}: the file is not a zip archive`);
  }
  let zip: yauzl.ZipFile;
  try {
    zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
      yauzl.fromBuffer(
        data,
        // validateEntrySizes makes yauzl fail a stream that inflates past its declared size.
        { lazyEntries: true, autoClose: false, validateEntrySizes: true },
        (error, opened) => (error === null ? resolve(opened) : reject(error)),
      ),
    );
  } catch (error) {
    return refuse(`${NOT_XLSX}: the zip archive is damaged (${(error as Error).message})`);
  }
  try {
    return await inspectEntries(zip, limits);
  } finally {
    zip.close();
  }
}

async function inspectEntries(
  zip: yauzl.ZipFile,
  limits: LoadFormLimits,
): Promise<UnpackedWorkbook> {
  const refuse = (message: string): UnpackedWorkbook => ({
    ok: false,
    problems: [fileProblem(message)],
  });
  if (zip.entryCount > limits.maxEntries) {
    return refuse(
      `the workbook holds ${zip.entryCount} zip entries; at most ${limits.maxEntries} are accepted`,
    );
  }
  const problems: LoadFormProblem[] = [];
  const names = new Set<string>();
  const parts = new Map<string, Buffer>();
  let declaredTotal = 0;
  let inflatedTotal = 0;
  for (;;) {
    let entry: yauzl.Entry | undefined;
    try {
      entry = await nextZipEntry(zip);
    } catch (error) {
      problems.push(
        fileProblem(`${NOT_XLSX}: the zip archive is damaged (${(error as Error).message})`),
      );
      break;
    }
    if (entry === undefined) break;
    const name = entry.fileName;
    names.add(name);
    if (entry.isEncrypted()) {
      problems.push(fileProblem(`${name} is encrypted; save the workbook without a password`));
    }
    if (/(^|\/)vbaProject\.bin$/i.test(name)) {
      problems.push(fileProblem('the workbook contains macros (vbaProject.bin); save it as .xlsx'));
    }
    // Declared sizes first: a bomb is refused before a single byte of it is inflated.
    if (entry.uncompressedSize > limits.maxEntryBytes) {
      problems.push(
        fileProblem(
          `${name} declares ${formatBytes(entry.uncompressedSize)} uncompressed, over the ${formatBytes(limits.maxEntryBytes)} limit for one part; refused before decompression`,
        ),
      );
    } else if (
      entry.uncompressedSize > RATIO_FLOOR_BYTES &&
      entry.uncompressedSize > entry.compressedSize * limits.maxCompressionRatio
    ) {
      problems.push(
        fileProblem(
          `${name} declares a compression ratio over ${limits.maxCompressionRatio} (${formatBytes(entry.compressedSize)} expanding to ${formatBytes(entry.uncompressedSize)}), which marks a zip bomb; refused before decompression`,
        ),
      );
    }
    declaredTotal += entry.uncompressedSize;
    if (
      declaredTotal > limits.maxUncompressedBytes &&
      declaredTotal - entry.uncompressedSize <= limits.maxUncompressedBytes
    ) {
      problems.push(
        fileProblem(
          `the workbook's parts declare more than ${formatBytes(limits.maxUncompressedBytes)} uncompressed in total; refused before decompression`,
        ),
      );
    }
    // Once anything is wrong the upload is refused, so nothing more is inflated.
    if (problems.length > 0 || name.endsWith('/')) continue;
    const cap = Math.min(limits.maxEntryBytes, limits.maxUncompressedBytes - inflatedTotal);
    const read = await inflateCapped(zip, entry, cap, limits.maxCompressionRatio);
    if (typeof read === 'string') {
      problems.push(fileProblem(read));
      continue;
    }
    inflatedTotal += read.length;
    parts.set(name, read);
  }
  if (problems.length > 0) return { ok: false, problems };
  const missing = REQUIRED_PARTS.filter((part) => !names.has(part));
  if (missing.length > 0) {
    return refuse(
      `${NOT_XLSX}: the zip has no ${missing.join(' and no ')}; was another file renamed to .xlsx?`,
    );
  }
  if (MACRO_CONTENT_TYPE.test(parts.get('[Content_Types].xml')?.toString('utf8') ?? '')) {
    return refuse('the workbook is macro-enabled (.xlsm); save it as .xlsx');
  }
  return { ok: true, parts };
}

/**
 * Inflates one entry, counting bytes as they come and stopping past `cap` or past the ratio,
 * because declared sizes can lie. Returns the bytes, or a problem message.
 */
async function inflateCapped(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
  cap: number,
  maxRatio: number,
): Promise<Buffer | string> {
  const name = entry.fileName;
  let stream: Readable;
  try {
    stream = await new Promise<Readable>((resolve, reject) =>
      zip.openReadStream(entry, (error, opened) =>
        error === null ? resolve(opened) : reject(error),
      ),
    );
  } catch (error) {
    return `${name} cannot be read (${(error as Error).message})`;
  }
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      length += chunk.length;
      if (length > cap) {
        stream.destroy();
        return `${name} inflates past ${formatBytes(cap)}, more than the workbook's limits allow`;
      }
      if (length > RATIO_FLOOR_BYTES && length > entry.compressedSize * maxRatio) {
        stream.destroy();
        return `${name} inflates to more than ${maxRatio} times its compressed size, which marks a zip bomb`;
      }
      chunks.push(chunk);
    }
  } catch (error) {
    stream.destroy();
    return `${name} is damaged or holds more data than its zip header declares (${(error as Error).message})`;
  }
  return Buffer.concat(chunks);
}
