import type { Migration } from 'kysely';
import { MIGRATIONS } from './list';

/**
 * Every SQLite migration, in order, read off the one list in `./list.ts` (which also feeds the PostgreSQL index,
 * `./postgres/index.ts`). Numbers are global: 0002 organizations, 0003 venues, 0004 custody, 0005 training,
 * 0006 submission; later ones of an area take the next free number.
 */
export const migrations: Record<string, Migration> = Object.fromEntries(MIGRATIONS.map(([name, sqlite]) => [name, sqlite]));

export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;
