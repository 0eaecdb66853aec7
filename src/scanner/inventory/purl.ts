/**
 * Package URLs (github.com/package-url/purl-spec), built in one place so every analyzer and
 * report writes them the same canonical way.
 */

/** Qualifier values; undefined ones are left out. */
export type PurlQualifiers = Readonly<Record<string, string | undefined>>;

/** A canonical purl: each namespace segment, name and version encoded, qualifiers sorted by key. */
export function buildPurl(
  type: string,
  namespace: string | undefined,
  name: string,
  version: string,
  qualifiers: PurlQualifiers = {},
): string {
  const ns =
    namespace === undefined || namespace === ''
      ? ''
      : `${namespace.split('/').map(purlEncode).join('/')}/`;
  const pairs = Object.entries(qualifiers)
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${purlEncode(value)}`);
  const query = pairs.length === 0 ? '' : `?${pairs.join('&')}`;
  return `pkg:${type}/${ns}${purlEncode(name)}@${purlEncode(version)}${query}`;
}

/** The Python package name as PEP 503 normalises it (and the purl spec requires for pypi). */
export function normalizePythonName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/**
 * Percent-encodes a purl component: everything but ASCII letters, digits and `-._~`, so `+`
 * becomes `%2B` and an epoch's `:` becomes `%3A` (as packageurl implementations write them).
 */
export function purlEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
