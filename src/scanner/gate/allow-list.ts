/**
 * Allow-list entries: an installation's accepted risks. Each one names a vulnerability (by any of
 * its ids) or a policy finding code, carries a reason, and expires, so an exception is reviewed
 * rather than forgotten (issue: "allow-list entries with an expiry date and a reason").
 */
import { POLICY_FINDING_CATALOGUE } from '../policy/policy-finding-catalogue.js';
import {
  type JsonPlace,
  childPlace,
  invalid,
  readArray,
  readObject,
  readOptionalString,
  readString,
  refuseUnknownFields,
} from './json-field-reader.js';
import { parsePurl } from './purl-match.js';

/** One accepted risk. */
export interface AllowListEntry {
  /** A vulnerability id or any of its aliases, or a policy finding code (`POLICY_SSH_PASSWORD_AUTH`). */
  readonly id: string;
  /**
   * Restricts a vulnerability entry to a package: the binary package name, the source package
   * name, or a purl without version. Absent: any package.
   */
  readonly package?: string;
  /** Restricts a policy code entry to findings whose evidence is this file (relative to the root). */
  readonly path?: string;
  /** `YYYY-MM-DD`: the last day (UTC) the entry applies. */
  readonly expires: string;
  /** Why the risk is accepted; shown in the report next to the finding. */
  readonly reason: string;
}

const DAY_MS = 86_400_000;

const ENTRY_FIELDS = ['id', 'package', 'path', 'expires', 'reason'] as const;

/** True when `id` is a policy finding code rather than a vulnerability id. */
function isPolicyCode(id: string): boolean {
  return Object.hasOwn(POLICY_FINDING_CATALOGUE, id);
}

/**
 * The first instant at which the entry no longer applies: midnight UTC after its `expires` day.
 * `expires` must already be validated.
 */
function allowListEntryEnd(entry: AllowListEntry): number {
  return Date.parse(`${entry.expires}T00:00:00Z`) + DAY_MS;
}

/** True when the entry still applies at `now`: through the whole of its `expires` day, UTC. */
export function isAllowListEntryActive(entry: AllowListEntry, now: Date): boolean {
  return now.getTime() < allowListEntryEnd(entry);
}

function readExpiry(value: unknown, place: JsonPlace): string {
  const text = readString(value, place);
  const time = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : NaN;
  // Round-tripping refuses dates that would roll over, such as 2025-02-30.
  if (Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== text) {
    invalid(place, `expected a calendar date YYYY-MM-DD (UTC), got ${JSON.stringify(text)}`);
  }
  return text;
}

function readEntry(value: unknown, place: JsonPlace): AllowListEntry {
  const object = readObject(value, place);
  refuseUnknownFields(object, ENTRY_FIELDS, place);
  const id = readString(object.id, childPlace(place, 'id')).trim();
  const pkg = readOptionalString(object.package, childPlace(place, 'package'))?.trim();
  const path = readOptionalString(object.path, childPlace(place, 'path'))?.trim();
  const expires = readExpiry(object.expires, childPlace(place, 'expires'));
  const reason = readString(object.reason, childPlace(place, 'reason')).trim();

  if (isPolicyCode(id)) {
    if (pkg !== undefined) {
      invalid(childPlace(place, 'package'), `${id} is a policy code: restrict it with path`);
    }
  } else {
    if (path !== undefined) {
      invalid(childPlace(place, 'path'), `${id} is not a policy code: restrict it with package`);
    }
    if (pkg?.startsWith('pkg:')) {
      const purl = parsePurl(pkg);
      if (purl === undefined) invalid(childPlace(place, 'package'), `invalid purl ${pkg}`);
      // The entry outlives upgrades by design; its expiry, not a version, ends it.
      if (purl.version !== undefined) {
        invalid(childPlace(place, 'package'), `purl must not name a version: ${pkg}`);
      }
    }
  }
  return {
    id,
    ...(pkg === undefined ? {} : { package: pkg }),
    // Evidence paths are relative to the scanned root, without a leading slash.
    ...(path === undefined ? {} : { path: path.replace(/^\/+/, '') }),
    expires,
    reason,
  };
}

/** Parses an allow-list (a JSON array); throws GateConfigError naming `origin`, entry and field. */
export function parseAllowList(json: unknown, origin: string): AllowListEntry[] {
  const place: JsonPlace = { origin, field: 'allowList' };
  return readArray(json, place).map((item, index) => readEntry(item, childPlace(place, index)));
}
