/*
 * One OSV record (https://ossf.github.io/osv-schema/, schema 1.6), parsed and
 * validated once at the edge into a typed value. Only the fields the scanner
 * reads are typed; `database_specific` and `ecosystem_specific` stay opaque
 * objects, as the schema leaves them.
 */

/** How a range's events order versions. */
export type OsvRangeType = 'ECOSYSTEM' | 'SEMVER' | 'GIT';

/** One event of a range: each names exactly one kind of version. */
export type OsvEvent =
  | { readonly introduced: string }
  | { readonly fixed: string }
  | { readonly last_affected: string }
  | { readonly limit: string };

export interface OsvRange {
  readonly type: OsvRangeType;
  readonly repo: string | undefined;
  readonly events: readonly OsvEvent[];
}

export interface OsvPackage {
  /** `Debian:12`, `npm`, `PyPI`, ...: the ecosystem with its optional `:suffix`. */
  readonly ecosystem: string;
  readonly name: string;
  readonly purl: string | undefined;
}

export type OsvSeverityType = 'CVSS_V2' | 'CVSS_V3' | 'CVSS_V4' | 'Ubuntu';

export interface OsvSeverity {
  readonly type: OsvSeverityType;
  readonly score: string;
}

export interface OsvAffected {
  readonly package: OsvPackage;
  readonly severity: readonly OsvSeverity[];
  readonly ranges: readonly OsvRange[];
  readonly versions: readonly string[];
  readonly ecosystemSpecific: Readonly<Record<string, unknown>> | undefined;
  readonly databaseSpecific: Readonly<Record<string, unknown>> | undefined;
}

export interface OsvRecord {
  readonly id: string;
  /** As written in the record. */
  readonly modified: string;
  /** `modified` in one fixed format (see `normalizeOsvTimestamp`), so text order is time order. */
  readonly modifiedKey: string;
  readonly published: string | undefined;
  readonly withdrawn: string | undefined;
  readonly aliases: readonly string[];
  readonly related: readonly string[];
  readonly upstream: readonly string[];
  readonly summary: string | undefined;
  readonly details: string | undefined;
  readonly severity: readonly OsvSeverity[];
  readonly affected: readonly OsvAffected[];
  readonly databaseSpecific: Readonly<Record<string, unknown>> | undefined;
}

/** A parsed record, or why it was rejected (with its id when it had a readable one). */
export type OsvParseResult =
  | { readonly ok: true; readonly record: OsvRecord }
  | { readonly ok: false; readonly id: string | undefined; readonly reason: string };

const RANGE_TYPES: ReadonlySet<string> = new Set(['ECOSYSTEM', 'SEMVER', 'GIT']);
const SEVERITY_TYPES: ReadonlySet<string> = new Set(['CVSS_V2', 'CVSS_V3', 'CVSS_V4', 'Ubuntu']);
const EVENT_KINDS = ['introduced', 'fixed', 'last_affected', 'limit'] as const;
/** RFC 3339 as the OSV schema's `timestamp` allows it; offsets other than Z are tolerated. */
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}:\d{2}:\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$/;
/** A GIT range's commits must be full hashes (or `0`), per the schema. */
const GIT_COMMIT = /^(0|[a-f0-9]{40}|[a-f0-9]{64})$/;

/** Thrown inside the parser only; `parseOsvRecord` turns it into a rejection. */
class InvalidRecord extends Error {}

/**
 * `YYYY-MM-DDTHH:MM:SS.ffffffZ` in UTC: OSV timestamps vary in their fraction
 * digits and offset, and a fixed format makes text comparison time comparison
 * (the store compares `modified` as text). Undefined when not RFC 3339.
 */
export function normalizeOsvTimestamp(value: string): string | undefined {
  const match = TIMESTAMP.exec(value);
  if (match === null) return undefined;
  const [, date, time, fraction, offset] = match;
  const ms = Date.parse(`${date}T${time}${offset === 'z' ? 'Z' : offset}`);
  if (Number.isNaN(ms)) return undefined;
  const micros = (fraction ?? '').padEnd(6, '0').slice(0, 6);
  return `${new Date(ms).toISOString().slice(0, 19)}.${micros}Z`;
}

/** Parses one decoded JSON value as an OSV record; never throws. */
export function parseOsvRecord(value: unknown): OsvParseResult {
  const id = isObject(value) && typeof value['id'] === 'string' ? value['id'] : undefined;
  try {
    return { ok: true, record: toRecord(value) };
  } catch (error) {
    if (error instanceof InvalidRecord) return { ok: false, id, reason: error.message };
    throw error;
  }
}

function toRecord(value: unknown): OsvRecord {
  if (!isObject(value)) throw new InvalidRecord('a record must be a JSON object');
  const id = requiredString(value, 'id');
  if (id.trim() === '') throw new InvalidRecord('id is empty');
  const modified = requiredString(value, 'modified');
  const modifiedKey = normalizeOsvTimestamp(modified);
  if (modifiedKey === undefined) throw new InvalidRecord(`modified is not RFC 3339: ${modified}`);
  return {
    id,
    modified,
    modifiedKey,
    published: optionalTimestamp(value, 'published'),
    withdrawn: optionalTimestamp(value, 'withdrawn'),
    aliases: stringArray(value, 'aliases'),
    related: stringArray(value, 'related'),
    upstream: stringArray(value, 'upstream'),
    summary: optionalString(value, 'summary'),
    details: optionalString(value, 'details'),
    severity: severities(value, 'severity'),
    affected: arrayOf(value, 'affected').flatMap((item, i) => toAffected(item, `affected[${i}]`)),
    databaseSpecific: optionalObject(value, 'database_specific'),
  };
}

/** The entry as a one-element list, or none for an entry without a package. */
function toAffected(value: unknown, where: string): OsvAffected[] {
  if (!isObject(value)) throw new InvalidRecord(`${where} is not an object`);
  const pkg = value['package'];
  // The schema allows an entry without a package (a GIT-only range); the
  // scanner matches packages, so it drops the entry and keeps the record.
  if (pkg === undefined || pkg === null) return [];
  if (!isObject(pkg)) throw new InvalidRecord(`${where}.package must be an object`);
  const ecosystem = requiredString(pkg, 'ecosystem', `${where}.package`);
  const name = requiredString(pkg, 'name', `${where}.package`);
  if (ecosystem === '' || name === '') {
    throw new InvalidRecord(`${where}.package has an empty ecosystem or name`);
  }
  const affected: OsvAffected = {
    package: { ecosystem, name, purl: optionalString(pkg, 'purl', `${where}.package`) },
    severity: severities(value, 'severity', where),
    ranges: arrayOf(value, 'ranges', where).map((range, i) =>
      toRange(range, `${where}.ranges[${i}]`),
    ),
    versions: stringArray(value, 'versions', where),
    ecosystemSpecific: optionalObject(value, 'ecosystem_specific', where),
    databaseSpecific: optionalObject(value, 'database_specific', where),
  };
  return [affected];
}

function toRange(value: unknown, where: string): OsvRange {
  if (!isObject(value)) throw new InvalidRecord(`${where} is not an object`);
  const type = requiredString(value, 'type', where);
  if (!RANGE_TYPES.has(type)) throw new InvalidRecord(`${where}.type ${type} is unknown`);
  const repo = optionalString(value, 'repo', where);
  if (type === 'GIT' && repo === undefined) throw new InvalidRecord(`${where} is GIT without repo`);
  const events = arrayOf(value, 'events', where).map((event, i) =>
    toEvent(event, `${where}.events[${i}]`, type === 'GIT'),
  );
  if (!events.some((event) => 'introduced' in event)) {
    throw new InvalidRecord(`${where} has no introduced event`);
  }
  if (events.some((e) => 'fixed' in e) && events.some((e) => 'last_affected' in e)) {
    throw new InvalidRecord(`${where} mixes fixed and last_affected events`);
  }
  return { type: type as OsvRangeType, repo, events };
}

function toEvent(value: unknown, where: string, git: boolean): OsvEvent {
  if (!isObject(value)) throw new InvalidRecord(`${where} is not an object`);
  const kinds = EVENT_KINDS.filter((kind) => kind in value);
  if (kinds.length !== 1) {
    throw new InvalidRecord(`${where} must name exactly one of ${EVENT_KINDS.join(', ')}`);
  }
  const kind = kinds[0]!;
  const version = requiredString(value, kind, where);
  if (git && !GIT_COMMIT.test(version)) {
    throw new InvalidRecord(`${where}.${kind} is not a full commit hash`);
  }
  return { [kind]: version } as OsvEvent;
}

function severities(
  value: Readonly<Record<string, unknown>>,
  key: string,
  where = 'record',
): OsvSeverity[] {
  return arrayOf(value, key, where).map((item, i) => {
    const at = `${where}.${key}[${i}]`;
    if (!isObject(item)) throw new InvalidRecord(`${at} is not an object`);
    const type = requiredString(item, 'type', at);
    if (!SEVERITY_TYPES.has(type)) throw new InvalidRecord(`${at}.type ${type} is unknown`);
    return { type: type as OsvSeverityType, score: requiredString(item, 'score', at) };
  });
}

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requiredString(
  value: Readonly<Record<string, unknown>>,
  key: string,
  where = 'record',
): string {
  const field = value[key];
  if (typeof field !== 'string') throw new InvalidRecord(`${where}.${key} must be a string`);
  return field;
}

function optionalString(
  value: Readonly<Record<string, unknown>>,
  key: string,
  where = 'record',
): string | undefined {
  const field = value[key];
  if (field === undefined || field === null) return undefined;
  if (typeof field !== 'string') throw new InvalidRecord(`${where}.${key} must be a string`);
  return field;
}

function optionalTimestamp(
  value: Readonly<Record<string, unknown>>,
  key: string,
): string | undefined {
  const field = optionalString(value, key);
  if (field !== undefined && normalizeOsvTimestamp(field) === undefined) {
    throw new InvalidRecord(`${key} is not RFC 3339: ${field}`);
  }
  return field;
}

function optionalObject(
  value: Readonly<Record<string, unknown>>,
  key: string,
  where = 'record',
): Readonly<Record<string, unknown>> | undefined {
  const field = value[key];
  if (field === undefined || field === null) return undefined;
  if (!isObject(field)) throw new InvalidRecord(`${where}.${key} must be an object`);
  return field;
}

/** An array field; absent and null (both allowed by the schema) read as empty. */
function arrayOf(
  value: Readonly<Record<string, unknown>>,
  key: string,
  where = 'record',
): readonly unknown[] {
  const field = value[key];
  if (field === undefined || field === null) return [];
  if (!Array.isArray(field)) throw new InvalidRecord(`${where}.${key} must be an array`);
  return field;
}

function stringArray(
  value: Readonly<Record<string, unknown>>,
  key: string,
  where = 'record',
): string[] {
  return arrayOf(value, key, where).map((item, i) => {
    if (typeof item !== 'string') throw new InvalidRecord(`${where}.${key}[${i}] must be a string`);
    return item;
  });
}
