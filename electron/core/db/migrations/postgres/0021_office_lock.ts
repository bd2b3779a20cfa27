/**
 * PostgreSQL form of 0021_office_lock: the SQLite migration is written with kysely's schema builder only, which
 * compiles the same table for PostgreSQL, so it is used as it is.
 */
export { up } from '../0021_office_lock';
