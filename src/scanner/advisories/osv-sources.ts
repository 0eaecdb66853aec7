import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';

import yauzl from 'yauzl';
import { nextZipEntry } from '../../archives/yauzl-entries.js';

/** One OSV record's JSON text, and where it came from (for messages about it). */
export interface OsvEntry {
  /** `FILE`, `FILE:LINE` or `ZIP:ENTRY`. */
  readonly origin: string;
  readonly text: string;
}

/**
 * The records of one import argument, read lazily: a `.json` file (one record,
 * or an array of records), a directory (every `*.json` below it), a `.zip` in
 * osv.dev's export layout (one record per `*.json` entry), or JSON Lines
 * (`.jsonl`, or `.jsonl.xz` decompressed by `xz -dc`), one record per line.
 */
export async function* readOsvEntries(file: string): AsyncGenerator<OsvEntry> {
  const info = await stat(file).catch((error: unknown) => {
    throw new Error(`cannot read ${file}`, { cause: error });
  });
  const name = file.toLowerCase();
  if (info.isDirectory()) yield* directoryEntries(file);
  else if (name.endsWith('.zip')) yield* zipEntries(file);
  else if (name.endsWith('.jsonl.xz')) yield* xzLineEntries(file);
  else if (name.endsWith('.jsonl')) yield* lineEntries(file, createReadStream(file));
  else if (name.endsWith('.json')) yield* jsonFileEntries(file, await readFile(file, 'utf8'));
  else {
    throw new Error(
      `${file}: not an OSV source; give a .json, .jsonl, .jsonl.xz or .zip file or a directory`,
    );
  }
}

/** A JSON file's record, or each of its records when it holds an array. */
function* jsonFileEntries(origin: string, text: string): Generator<OsvEntry> {
  // Only a top-level array is split; anything else, valid or not, is one
  // record for the importer to judge.
  if (!text.trimStart().startsWith('[')) {
    yield { origin, text };
    return;
  }
  let values: unknown;
  try {
    values = JSON.parse(text);
  } catch {
    yield { origin, text };
    return;
  }
  if (!Array.isArray(values)) {
    yield { origin, text };
    return;
  }
  for (const [i, value] of values.entries()) {
    yield { origin: `${origin}[${i}]`, text: JSON.stringify(value) };
  }
}

async function* directoryEntries(dir: string): AsyncGenerator<OsvEntry> {
  // Sorted, so an import is reproducible whatever order the filesystem lists.
  const children = (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  for (const child of children) {
    const childPath = path.join(dir, child.name);
    if (child.isDirectory()) yield* directoryEntries(childPath);
    else if (child.isFile() && child.name.toLowerCase().endsWith('.json')) {
      yield* jsonFileEntries(childPath, await readFile(childPath, 'utf8'));
    }
  }
}

/** Each non-blank line of a text stream, read chunk by chunk: the file is never held whole. */
async function* lineEntries(origin: string, stream: Readable): AsyncGenerator<OsvEntry> {
  stream.setEncoding('utf8');
  let pending = '';
  let lineNumber = 0;
  for await (const chunk of stream as AsyncIterable<string>) {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      lineNumber += 1;
      if (line.trim() !== '') yield { origin: `${origin}:${lineNumber}`, text: line };
    }
  }
  lineNumber += 1;
  if (pending.trim() !== '') yield { origin: `${origin}:${lineNumber}`, text: pending };
}

/** JSON Lines through `xz -dc` (xz-utils), so no native addon is needed. */
async function* xzLineEntries(file: string): AsyncGenerator<OsvEntry> {
  const child = spawn('xz', ['-dc', '--', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', (error) =>
      reject(new Error(`cannot run xz to read ${file} (install xz-utils)`, { cause: error })),
    );
    child.once('close', (code) => resolve(code));
  });
  // Observed here so a spawn failure is not an unhandled rejection while lines are read.
  exited.catch(() => undefined);
  let finished = false;
  try {
    yield* lineEntries(file, child.stdout);
    const code = await exited;
    if (code !== 0) throw new Error(`xz -dc ${file} failed (exit ${code}): ${stderr.trim()}`);
    finished = true;
  } finally {
    // The consumer stopped early or failed: do not leave xz writing into a closed pipe.
    if (!finished && child.exitCode === null) child.kill();
  }
}

/** The `*.json` entries of a zip, one at a time (yauzl reads the central directory, then each entry). */
async function* zipEntries(file: string): AsyncGenerator<OsvEntry> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: false }, (error, opened) =>
      error === null
        ? resolve(opened)
        : reject(new Error(`cannot open zip ${file}`, { cause: error })),
    ),
  );
  try {
    for (;;) {
      const entry = await nextZipEntry(zip);
      if (entry === undefined) return;
      if (entry.fileName.endsWith('/') || !entry.fileName.toLowerCase().endsWith('.json')) continue;
      const stream = await new Promise<Readable>((resolve, reject) =>
        zip.openReadStream(entry, (error, opened) =>
          error === null ? resolve(opened) : reject(error),
        ),
      );
      yield { origin: `${file}:${entry.fileName}`, text: await streamText(stream) };
    }
  } catch (error) {
    throw new Error(`cannot read zip ${file}`, { cause: error });
  } finally {
    zip.close();
  }
}

async function streamText(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
