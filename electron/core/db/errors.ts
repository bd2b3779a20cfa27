/**
 * What a database error means, on either engine, in one place: the core's error mapping and the services read
 * this instead of engine codes. SQLite (better-sqlite3) reports `SQLITE_CONSTRAINT_TRIGGER` etc.; PostgreSQL (pg)
 * reports a SQLSTATE in `code`, the constraint's name in `constraint`.
 */
export type DbErrorKind =
  /** One of our own rules (a trigger's RAISE; on PostgreSQL also a named constraint that has a Chinese text). */
  | 'rule'
  /** Two held bookings of one venue would overlap (SQLite trigger; PostgreSQL EXCLUDE constraint). */
  | 'overlap'
  | 'unique'
  | 'foreign_key'
  | 'check'
  /** Another writer holds the lock (SQLite busy) or won the race (PostgreSQL serialization failure/deadlock). */
  | 'busy'
  | 'full'
  | 'readonly';

export interface DbErrorInfo {
  kind: DbErrorKind;
  message: string;
  constraint?: string;
}

/** The overlap refusal's text (the SQLite triggers of 0003/0013 raise it; PostgreSQL's constraint maps to it). */
export const OVERLAP_MESSAGE = '该场地在这段时间已有已批准的预约(两个已批准的预约不能重叠)';

/** PostgreSQL constraints that stand for a rule the SQLite schema raises with a Chinese message. */
const PG_CONSTRAINT_RULES: Record<string, { kind: DbErrorKind; message: string }> = {
  venue_bookings_no_overlap: { kind: 'overlap', message: OVERLAP_MESSAGE },
};

/** The SQLSTATE classes of pg errors we tell apart. */
const PG_CODES: Record<string, DbErrorKind> = {
  P0001: 'rule', // RAISE EXCEPTION in our PL/pgSQL triggers
  '23505': 'unique',
  '23503': 'foreign_key',
  '23514': 'check',
  '23502': 'check', // not null
  '23P01': 'rule', // exclusion (named ones are mapped above)
  '40001': 'busy', // serialization_failure
  '40P01': 'busy', // deadlock_detected
  '55P03': 'busy', // lock_not_available
  '53100': 'full', // disk_full
  '25006': 'readonly', // read_only_sql_transaction
};

export function dbErrorInfo(e: unknown): DbErrorInfo | null {
  const err = e as { code?: unknown; message?: unknown; constraint?: unknown; severity?: unknown };
  if (!err || typeof err.code !== 'string' || typeof err.message !== 'string') return null;
  const code = err.code;
  const message = err.message;
  if (code.startsWith('SQLITE_')) {
    if (code === 'SQLITE_CONSTRAINT_TRIGGER') return { kind: message.includes('两个已批准的预约不能重叠') ? 'overlap' : 'rule', message };
    if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return { kind: 'unique', message };
    if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return { kind: 'foreign_key', message };
    if (code === 'SQLITE_CONSTRAINT_CHECK' || code === 'SQLITE_CONSTRAINT_NOTNULL') return { kind: 'check', message };
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code.startsWith('SQLITE_BUSY_')) return { kind: 'busy', message };
    if (code === 'SQLITE_FULL') return { kind: 'full', message };
    if (code === 'SQLITE_READONLY' || code.startsWith('SQLITE_READONLY_')) return { kind: 'readonly', message };
    return null;
  }
  if (/^[0-9A-Z]{5}$/.test(code) && typeof err.severity === 'string') {
    const constraint = typeof err.constraint === 'string' ? err.constraint : undefined;
    const named = constraint ? PG_CONSTRAINT_RULES[constraint] : undefined;
    if (named) return { ...named, constraint };
    const kind = PG_CODES[code];
    return kind ? { kind, message, constraint } : null;
  }
  return null;
}

/** True for a failure that a fresh attempt of the same transaction may not meet (PostgreSQL serialization/deadlock). */
export function isRetryableConflict(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  return code === '40001' || code === '40P01';
}
