import { spawn } from 'node:child_process';
import { gunzipSync } from 'node:zlib';

/** One file of a source package, from the `Checksums-Sha256` field. */
export interface SourceFile {
  readonly sha256: string;
  readonly size: number;
  readonly name: string;
}

/** One stanza of a `Sources` index (deb822 format, as dak writes it). */
export interface SourceEntry {
  readonly package: string;
  readonly version: string;
  /** Pool directory of the files, relative to the archive root. */
  readonly directory: string;
  readonly files: readonly SourceFile[];
}

/** Parses a `Sources` index; a stanza without Package, Version or Directory is skipped. */
export function parseSourcesIndex(text: string): SourceEntry[] {
  const entries: SourceEntry[] = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    let current = '';
    for (const line of stanza.split('\n')) {
      if (line.startsWith(' ') || line.startsWith('\t')) {
        if (current !== '') fields.set(current, `${fields.get(current) ?? ''}\n${line.trim()}`);
        continue;
      }
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      current = line.slice(0, colon);
      fields.set(current, line.slice(colon + 1).trim());
    }
    const pkg = fields.get('Package');
    const version = fields.get('Version');
    const directory = fields.get('Directory');
    if (pkg === undefined || version === undefined || directory === undefined) continue;
    const files = (fields.get('Checksums-Sha256') ?? '')
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .filter((parts) => parts.length === 3 && /^[0-9a-f]{64}$/.test(parts[0]!))
      .map(([sha256, size, name]) => ({ sha256: sha256!, size: Number(size), name: name! }));
    entries.push({ package: pkg, version, directory, files });
  }
  return entries;
}

/** Downloads `dists/<suite>/main/source/Sources.xz` (or `.gz`) of an archive and parses it. */
export async function fetchSourcesIndex(
  archiveUri: string,
  suite: string,
  signal?: AbortSignal,
): Promise<SourceEntry[]> {
  const base = `${archiveUri.replace(/\/+$/, '')}/dists/${suite}/main/source/Sources`;
  const xz = await fetch(`${base}.xz`, signal === undefined ? {} : { signal });
  if (xz.ok) return parseSourcesIndex(await unxz(Buffer.from(await xz.arrayBuffer())));
  const gz = await fetch(`${base}.gz`, signal === undefined ? {} : { signal });
  if (!gz.ok)
    throw new Error(`cannot download ${base}.xz or .gz: HTTP ${xz.status} / ${gz.status}`);
  return parseSourcesIndex(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString('utf8'));
}

/** Decompresses xz data with the xz command (xz-utils). */
export function unxz(data: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('xz', ['-dc'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(Buffer.concat(out).toString('utf8'))
        : reject(new Error(`xz -dc failed: ${err.trim()}`)),
    );
    child.stdin.end(data);
  });
}
