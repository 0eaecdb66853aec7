import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';

export interface Credentials {
  readonly url: string;
  readonly token: string;
}

/** Where `goldsmith login` keeps the URL and token (mode 0600). */
export function credentialsPath(): string {
  const base = process.env['XDG_CONFIG_HOME'] ?? path.join(homedir(), '.config');
  return path.join(base, 'goldsmith', 'credentials.json');
}

/** Saves credentials for later commands. */
export async function saveCredentials(credentials: Credentials): Promise<string> {
  const file = credentialsPath();
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, JSON.stringify(credentials, null, 2) + '\n', { mode: 0o600 });
  return file;
}

/**
 * The URL and token to use: GOLDSMITH_URL and GOLDSMITH_TOKEN from the
 * environment win over what `goldsmith login` stored.
 */
export async function loadCredentials(): Promise<Partial<Credentials>> {
  let stored: Partial<Credentials> = {};
  try {
    stored = JSON.parse(await readFile(credentialsPath(), 'utf8')) as Partial<Credentials>;
  } catch {
    // Nothing stored yet.
  }
  const fromEnv = (name: string) => (process.env[name] === '' ? undefined : process.env[name]);
  return {
    url: fromEnv('GOLDSMITH_URL') ?? stored.url,
    token: fromEnv('GOLDSMITH_TOKEN') ?? stored.token,
  };
}
