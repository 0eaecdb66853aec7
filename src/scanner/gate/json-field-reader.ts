/**
 * Typed reads of untrusted JSON values (principle 7: parse once, at the edge), each failure a
 * {@link GateConfigError} naming the origin and the field's path, e.g. `allowList[2].expires`.
 */
import { GateConfigError } from './gate-config-error.js';

/** A JSON object as `JSON.parse` returns it. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** Where a value was read from: the file (or label) and the field path inside it. */
export interface JsonPlace {
  readonly origin: string;
  readonly field: string | undefined;
}

/** The place of `key` inside the object at `place`. */
export function childPlace(place: JsonPlace, key: string | number): JsonPlace {
  const field =
    typeof key === 'number'
      ? `${place.field ?? ''}[${key}]`
      : place.field === undefined
        ? key
        : `${place.field}.${key}`;
  return { origin: place.origin, field };
}

/** Throws the error for `place`. */
export function invalid(place: JsonPlace, problem: string): never {
  throw new GateConfigError(place.origin, place.field, problem);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** True for a JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value as an object, or an error. */
export function readObject(value: unknown, place: JsonPlace): JsonObject {
  if (!isJsonObject(value)) invalid(place, `expected an object, got ${describe(value)}`);
  return value;
}

/** The value as an array, or an error. */
export function readArray(value: unknown, place: JsonPlace): readonly unknown[] {
  if (!Array.isArray(value)) invalid(place, `expected an array, got ${describe(value)}`);
  return value;
}

/** The value as a non-blank string, or an error. */
export function readString(value: unknown, place: JsonPlace): string {
  if (typeof value !== 'string') invalid(place, `expected a string, got ${describe(value)}`);
  if (value.trim() === '') invalid(place, 'must not be empty');
  return value;
}

/** The value as a non-blank string, undefined when absent, or an error. */
export function readOptionalString(value: unknown, place: JsonPlace): string | undefined {
  return value === undefined ? undefined : readString(value, place);
}

/** The value as a boolean, or an error. */
export function readBoolean(value: unknown, place: JsonPlace): boolean {
  if (typeof value !== 'boolean') invalid(place, `expected true or false, got ${describe(value)}`);
  return value;
}

/** The value as one of `allowed`, or an error listing them. */
export function readEnum<T extends string>(
  value: unknown,
  allowed: readonly T[],
  place: JsonPlace,
): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    invalid(place, `expected one of ${allowed.join(', ')}, got ${describe(value)}`);
  }
  return value as T;
}

/** The value as an array of non-blank strings, or an error. */
export function readStringArray(value: unknown, place: JsonPlace): string[] {
  return readArray(value, place).map((item, index) => readString(item, childPlace(place, index)));
}

/** Refuses fields of `object` not in `known`: a misspelt setting must not be silently ignored. */
export function refuseUnknownFields(
  object: JsonObject,
  known: readonly string[],
  place: JsonPlace,
): void {
  for (const key of Object.keys(object)) {
    if (!known.includes(key)) {
      invalid(childPlace(place, key), `unknown field (known fields: ${known.join(', ')})`);
    }
  }
}
