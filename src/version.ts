import { readFileSync } from 'node:fs';

/** Goldsmith's version, from package.json. */
export const GOLDSMITH_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;
