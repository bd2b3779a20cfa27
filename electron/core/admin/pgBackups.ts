import { spawnSync } from 'node:child_process';
import { pgToolPath, runPgTool } from '../db/pgTools';

/**
 * Backups of a hub kept in PostgreSQL, with PostgreSQL's own tools (BackupManager calls these in PostgreSQL mode):
 * `pg_dump --format=custom` (compressed, consistent: one snapshot while calls go on) and `pg_restore` into the
 * same database. The dump carries the tables, their rows, the constraints, the PL/pgSQL invariants and the
 * migration bookkeeping; attachments and keys stay in the data folder as in SQLite mode.
 */
export async function pgDump(url: string, file: string): Promise<void> {
  await runPgTool('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', '--file', file, '--dbname', url]);
}

/**
 * Replaces every object of the dump in the database, in one transaction: `--clean --if-exists` drops what the
 * dump creates before creating it again, `--single-transaction` makes it all or nothing, `--exit-on-error` stops
 * at the first problem (rolled back). Run with no connection of ours open (their locks would make it wait).
 */
export async function pgRestore(url: string, file: string): Promise<void> {
  await runPgTool('pg_restore', ['--clean', '--if-exists', '--single-transaction', '--exit-on-error', '--no-owner', '--no-privileges', '--dbname', url, file]);
}

/** Null when the file is a whole dump pg_restore can read (its table of contents), else the reason. */
export function checkPgDump(file: string): string | null {
  const r = spawnSync(pgToolPath('pg_restore'), ['--list', file], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.error) return `无法运行 pg_restore：${r.error.message}`;
  return r.status === 0 ? null : r.stderr.trim() || `pg_restore 退出码 ${r.status}`;
}
