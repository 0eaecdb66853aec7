import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';

import type { SourceEntry, SourceFile } from './sources-index.js';

const run = promisify(execFile);

/** Larger source files are not fetched for their changelog. */
const MAX_DOWNLOAD_BYTES = 256 * 1024 * 1024;

/**
 * The file of a source package that holds debian/changelog: the `.debian.tar.*`
 * of a 3.0 (quilt) package, the `.diff.gz` of a 1.0 one, or the tarball of a
 * native package (dpkg-source(1), "SOURCE PACKAGE FORMATS").
 */
export function changelogCarrier(entry: SourceEntry): SourceFile | undefined {
  const files = entry.files.filter((f) => !f.name.endsWith('.dsc') && !f.name.endsWith('.asc'));
  return (
    files.find((f) => /\.debian\.tar\.(xz|gz|bz2)$/.test(f.name)) ??
    files.find((f) => f.name.endsWith('.diff.gz')) ??
    files.find((f) => /\.tar\.(xz|gz|bz2)$/.test(f.name) && !f.name.includes('.orig'))
  );
}

/**
 * Downloads a source package's changelog carrier, checks its sha256, and
 * returns debian/changelog. The security archive's index also lists sources
 * whose files sit only in the main archive's pool, so each of `archiveUris`
 * is tried in turn (`pool/updates/` becomes `pool/` outside the security archive).
 */
export async function fetchChangelog(
  archiveUris: readonly string[],
  entry: SourceEntry,
  signal?: AbortSignal,
): Promise<string> {
  const carrier = changelogCarrier(entry);
  if (carrier === undefined)
    throw new Error(`${entry.package} ${entry.version}: no file carries debian/changelog`);
  if (carrier.size > MAX_DOWNLOAD_BYTES)
    throw new Error(`${carrier.name} is ${carrier.size} bytes; not fetched`);
  const tried: string[] = [];
  let data: Buffer | undefined;
  for (const [index, uri] of archiveUris.entries()) {
    const directory =
      index === 0 ? entry.directory : entry.directory.replace(/^pool\/updates\//, 'pool/');
    const url = `${uri.replace(/\/+$/, '')}/${directory}/${carrier.name}`;
    const response = await fetch(url, signal === undefined ? {} : { signal });
    if (response.ok) {
      data = Buffer.from(await response.arrayBuffer());
      break;
    }
    tried.push(`${url}: HTTP ${response.status}`);
  }
  if (data === undefined) throw new Error(`cannot download ${carrier.name}: ${tried.join('; ')}`);
  const digest = createHash('sha256').update(data).digest('hex');
  if (digest !== carrier.sha256)
    throw new Error(`${carrier.name}: sha256 ${digest}, index says ${carrier.sha256}`);
  return carrier.name.endsWith('.diff.gz')
    ? changelogFromDiff(gunzipSync(data).toString('utf8'))
    : changelogFromTar(carrier.name, data);
}

/** debian/changelog as a 1.0 diff adds it: the `+` lines of its hunks. */
export function changelogFromDiff(diff: string): string {
  const lines: string[] = [];
  let inChangelog = false;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+++ ')) {
      inChangelog = /\/debian\/changelog(\s|$)/.test(line);
      continue;
    }
    if (line.startsWith('--- ') || line.startsWith('diff ')) {
      inChangelog = false;
      continue;
    }
    if (inChangelog && line.startsWith('+')) lines.push(line.slice(1));
  }
  if (lines.length === 0) throw new Error('the diff does not add debian/changelog');
  return lines.join('\n');
}

async function changelogFromTar(name: string, data: Buffer): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'goldsmith-changelog-'));
  try {
    const file = path.join(dir, name);
    await writeFile(file, data);
    const { stdout: listing } = await run('tar', ['-tf', file], { maxBuffer: 64 * 1024 * 1024 });
    // The top-level debian/changelog: the shortest path ending in it.
    const member = listing
      .split('\n')
      .filter((p) => p === 'debian/changelog' || p.endsWith('/debian/changelog'))
      .sort((a, b) => a.length - b.length)[0];
    if (member === undefined) throw new Error(`${name} has no debian/changelog`);
    const { stdout } = await run('tar', ['-xOf', file, member], { maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
