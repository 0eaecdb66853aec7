import { InvalidArgumentError } from 'commander';

/** A whole number option, or a clear error. */
export function parseWholeNumber(value: string, option: string): number {
  if (!/^\d+$/.test(value))
    throw new InvalidArgumentError(`${option} takes a whole number, not "${value}"`);
  return Number(value);
}

const UNITS: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** A size like `512M` or `2G` (binary units) in bytes. */
export function parseSize(value: string, option: string): number {
  const match = /^(\d+)([KMGT]?)i?B?$/i.exec(value.trim());
  if (match === null)
    throw new InvalidArgumentError(`${option} takes a size like 500M or 2G, not "${value}"`);
  return Number(match[1]) * (UNITS[match[2]!.toUpperCase()] ?? 1);
}
