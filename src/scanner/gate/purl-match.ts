/**
 * Package URL matching for VEX statements and allow-list entries: does a purl a document names
 * refer to a package the scan found? Parsing follows the purl specification's "How to parse a
 * purl string" (github.com/package-url/purl-spec, PURL-SPECIFICATION.rst); case rules come from
 * its PURL-TYPES.rst.
 */
import { normalizePythonName } from '../inventory/purl.js';

/** A package URL's identity: percent-decoded, case normalised as its type requires. */
export interface ParsedPurl {
  /** Lowercase, as the spec makes the type case-insensitive. */
  readonly type: string;
  /** Segments joined with `/`; empty when the purl has none. */
  readonly namespace: string;
  readonly name: string;
  /** Undefined when the purl names no version. */
  readonly version: string | undefined;
}

interface CaseRule {
  readonly namespace?: (text: string) => string;
  readonly name?: (text: string) => string;
}

const lower = (text: string): string => text.toLowerCase();

/**
 * Types whose namespace or name PURL-TYPES.rst declares case-insensitive ("must be lowercased").
 * Any other type compares exactly (maven, nuget, cargo, gem, generic, ...).
 */
const CASE_RULES: Readonly<Record<string, CaseRule>> = {
  alpm: { namespace: lower, name: lower },
  apk: { namespace: lower, name: lower },
  bitbucket: { namespace: lower, name: lower },
  bitnami: { name: lower },
  composer: { namespace: lower, name: lower },
  deb: { namespace: lower, name: lower },
  github: { namespace: lower, name: lower },
  golang: { namespace: lower, name: lower },
  hex: { namespace: lower, name: lower },
  npm: { namespace: lower, name: lower },
  oci: { name: lower },
  // The spec lowercases and maps `_` to `-`; PEP 503 also folds `.`, and the inventory writes
  // pypi names that way, so both sides fold the same.
  pypi: { name: normalizePythonName },
  rpm: { namespace: lower },
};

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** Splits and decodes a purl; undefined when `purl` is not a valid package URL. */
export function parsePurl(purl: string): ParsedPurl | undefined {
  // The spec parses right to left: subpath after `#`, qualifiers after `?`, both ignored here.
  let rest = purl.trim();
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  const query = rest.indexOf('?');
  if (query >= 0) rest = rest.slice(0, query);

  const colon = rest.indexOf(':');
  if (colon < 0 || rest.slice(0, colon).toLowerCase() !== 'pkg') return undefined;
  // `pkg://type/...` is tolerated: the spec strips slashes after the scheme.
  rest = rest.slice(colon + 1).replace(/^\/+/, '');

  const typeEnd = rest.indexOf('/');
  if (typeEnd <= 0) return undefined;
  const type = rest.slice(0, typeEnd).toLowerCase();
  if (!/^[a-z.+-][a-z0-9.+-]*$/.test(type)) return undefined;
  rest = rest.slice(typeEnd + 1);

  // The version follows the last `@` after the last `/`: an unencoded npm scope (`@angular/core`)
  // is not a version, though the spec wants it written `%40angular`.
  let version: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at > rest.lastIndexOf('/')) {
    version = decode(rest.slice(at + 1));
    if (version === undefined || version === '') return undefined;
    rest = rest.slice(0, at);
  }

  const segments: string[] = [];
  for (const segment of rest.split('/')) {
    if (segment === '') continue;
    const decoded = decode(segment);
    if (decoded === undefined) return undefined;
    segments.push(decoded);
  }
  const rawName = segments.pop();
  if (rawName === undefined || rawName === '') return undefined;

  const rule = CASE_RULES[type] ?? {};
  const namespace = segments.join('/');
  return {
    type,
    namespace: rule.namespace ? rule.namespace(namespace) : namespace,
    name: rule.name ? rule.name(rawName) : rawName,
    version,
  };
}

/**
 * True when `pattern` (from a VEX statement or an allow-list entry) names the package `candidate`:
 * same type, namespace and name; same version only when the pattern has one. Qualifiers and
 * subpath are ignored. An invalid purl on either side matches nothing.
 */
export function purlMatches(pattern: string | ParsedPurl, candidate: string | ParsedPurl): boolean {
  const a = typeof pattern === 'string' ? parsePurl(pattern) : pattern;
  const b = typeof candidate === 'string' ? parsePurl(candidate) : candidate;
  if (a === undefined || b === undefined) return false;
  return (
    a.type === b.type &&
    a.namespace === b.namespace &&
    a.name === b.name &&
    (a.version === undefined || a.version === b.version)
  );
}
