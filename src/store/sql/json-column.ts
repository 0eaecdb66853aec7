/** Encodes a value for a JSON text column. */
export function toJson(value: unknown): string {
  return JSON.stringify(value);
}

/**
 * Decodes a JSON text column. Only Goldsmith writes these columns, through
 * `toJson` from typed values, so the type is trusted rather than re-validated.
 */
export function fromJson<T>(text: string, column: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new Error(`column ${column} holds invalid JSON`, { cause: error });
  }
}
