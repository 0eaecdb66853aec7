import type { Analyzer, AnalyzerResult, AnalysisInput } from './analyzer.js';
import type { InventoryPackage, InventoryWarning } from './inventory-types.js';
import { buildPurl, normalizePythonName } from './purl.js';
import { readTextInRoot } from './root-fs.js';

/** Metadata with a long description embedded runs to a few hundred KiB. */
const MAX_METADATA_BYTES = 8 * 1024 * 1024;
/** Core metadata files: wheels' dist-info, and setuptools' egg-info (a directory or one file). */
const METADATA_PATH = /(?:\.dist-info\/METADATA|\.egg-info\/PKG-INFO|\.egg-info)$/;

/** Installed Python distributions, from their core metadata (packaging.python.org). */
export const pythonAnalyzer: Analyzer = {
  type: 'python',
  version: 1,
  required: (relPath, info) => info.size <= MAX_METADATA_BYTES && METADATA_PATH.test(relPath),
  async analyze({ root, relPaths }: AnalysisInput): Promise<AnalyzerResult> {
    const packages: InventoryPackage[] = [];
    const warnings: InventoryWarning[] = [];
    for (const file of relPaths) {
      const text = await readTextInRoot(root, file, MAX_METADATA_BYTES);
      if (text === undefined) continue;
      const result = parsePythonMetadata(text);
      if (typeof result === 'string')
        warnings.push({ file, line: 0, message: `skipped: ${result}` });
      else packages.push({ ...result, locations: [file] });
    }
    return { packages, warnings };
  },
};

/**
 * Parses core metadata: RFC 822 style headers up to the first blank line, continuation lines
 * indented. Name and Version are required; licenses come from `License-Expression` (PEP 639),
 * else `License`, else the `License ::` trove classifiers.
 */
export function parsePythonMetadata(text: string): Omit<InventoryPackage, 'locations'> | string {
  const headers: [string, string][] = [];
  for (const rawLine of text.split('\n')) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line === '') break;
    const last = headers.at(-1);
    if (/^[ \t]/.test(line)) {
      if (last === undefined) return 'continuation line before any header';
      last[1] = `${last[1]}\n${line.trim()}`;
      continue;
    }
    const match = /^([A-Za-z0-9-]+):[ \t]*(.*)$/.exec(line);
    if (match === null) return `not a header line: ${JSON.stringify(line.slice(0, 60))}`;
    headers.push([(match[1] ?? '').toLowerCase(), (match[2] ?? '').trim()]);
  }
  const first = (key: string): string | undefined => headers.find(([k]) => k === key)?.[1];
  const name = first('name');
  const version = first('version');
  if (name === undefined || !/^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(name))
    return 'no valid Name';
  if (version === undefined || version === '') return `${name}: no Version`;
  const license = first('license-expression') ?? first('license');
  const classifiers = headers
    .filter(([key, value]) => key === 'classifier' && value.startsWith('License ::'))
    .map(([, value]) => value.split('::').at(-1)?.trim() ?? '');
  const licenses =
    license !== undefined && license !== '' && license !== 'UNKNOWN'
      ? [license.split('\n')[0] ?? license]
      : classifiers.filter((value) => value !== '');
  return {
    type: 'python',
    name,
    version,
    purl: buildPurl('pypi', undefined, normalizePythonName(name), version),
    ...(licenses.length === 0 ? {} : { licenses }),
  };
}
