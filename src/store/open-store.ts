import { openPostgresStore } from './postgres/postgres-store.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

/**
 * Opens the store a database setting names: a `postgres://` or
 * `postgresql://` URL, or `sqlite:PATH` or a plain file path. The only place
 * that chooses a database engine.
 */
export async function openStore(databaseSetting: string): Promise<Store> {
  const setting = databaseSetting.trim();
  if (setting === '') throw new Error('the database setting is empty');
  if (/^postgres(ql)?:\/\//i.test(setting)) return openPostgresStore(setting);
  if (/^sqlite:/i.test(setting)) return openSqliteStore(setting.slice('sqlite:'.length));
  // Any other scheme is a mistake, not a file name; a Windows drive (C:\) has no `//`.
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(setting)) {
    throw new Error(`unsupported database URL ${setting}; use postgres:// or sqlite:PATH`);
  }
  return openSqliteStore(setting);
}
