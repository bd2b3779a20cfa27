import type { Migration } from 'kysely';
import { MIGRATIONS } from '../list';

/**
 * The PostgreSQL form of every migration, under the same names and in the same order as the SQLite set: both are
 * read off the one list in `../list.ts`, where each row names a migration and its two forms.
 */
export const postgresMigrations: Record<string, Migration> = Object.fromEntries(MIGRATIONS.map(([name, , postgres]) => [name, postgres]));
