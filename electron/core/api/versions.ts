/**
 * Record versions: the one place that decides whether an edit was made on the current record.
 *
 * Every record a user edits carries an integer `version` (migration 0019; organizations since 0002). Reads return
 * it, updates and state changes send back the version they were read at. A write either names the version in
 * its UPDATE's WHERE (`updateVersioned`) or checks it first inside its write transaction (`checkVersion`) — both
 * are atomic, because `ctx.write` holds SQLite's write lock from BEGIN IMMEDIATE to COMMIT, for this process and
 * for any other process on the same file. A stale version is refused with a CONFLICT that says who changed the
 * record last and when (from the audit log), and carries the current version so the screen can reload.
 */
import { sql, type RawBuilder } from 'kysely';
import { AppError, fail, type StaleDetails } from '@shared/errors';
import type { Trx } from './context';

/** The versioned tables: the audit entity their changes are logged under, and what a user calls one. */
export const VERSIONED = {
  organizations: { entity: 'organization', label: '组织' },
  venues: { entity: 'venue', label: '场地' },
  venue_bookings: { entity: 'venue_booking', label: '预约' },
  custody_vouchers: { entity: 'custody_voucher', label: '凭证' },
  training_sessions: { entity: 'training_session', label: '培训场次' },
  training_trainees: { entity: 'training_trainee', label: '学员' },
  users: { entity: 'user', label: '用户' },
} as const;
export type VersionedTable = keyof typeof VERSIONED;

/** `SET version = version + 1`: put it in every UPDATE of a versioned table. */
export const nextVersion = (): RawBuilder<number> => sql<number>`version + 1`;

/** China local time of an ISO instant, `YYYY-MM-DD HH:mm` (the office's clock, whatever the server's zone). */
export function chinaMinute(iso: string): string {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return iso;
  return new Date(t + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** Who changed the record last and when: the newest audit row of the entity (or the row's own updated_at). */
async function lastChange(trx: Trx, table: VersionedTable, id: string): Promise<{ by: string | null; at: string | null }> {
  const { entity } = VERSIONED[table];
  const row = await sql<{ at: string; username: string | null; display_name: string | null }>`
    SELECT a.at, a.username, u.display_name FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
    WHERE a.entity = ${entity} AND a.entity_id = ${id} ORDER BY a.id DESC LIMIT 1`.execute(trx);
  const a = row.rows[0];
  if (a) return { by: a.display_name ?? a.username, at: a.at };
  const own = await sql<{ updated_at: string | null }>`SELECT updated_at FROM ${sql.table(table)} WHERE id = ${id}`.execute(trx);
  return { by: null, at: own.rows[0]?.updated_at ?? null };
}

/** The CONFLICT for a stale version: 「该凭证已被 张丽 于 2026-12-03 10:12 修改，请刷新后重新填写」. */
export async function staleVersionError(trx: Trx, table: VersionedTable, id: string, expected: number, current: number): Promise<AppError> {
  const { entity, label } = VERSIONED[table];
  const last = await lastChange(trx, table, id);
  const who = last.by ? ` ${last.by} ` : '其他用户';
  const when = last.at ? `于 ${chinaMinute(last.at)} ` : '';
  const details: StaleDetails = { stale: true, entity, id, currentVersion: current, expectedVersion: expected, changedBy: last.by, changedAt: last.at };
  return fail.conflict(`该${label}已被${who}${when}修改，请刷新后重新填写`, { ...details });
}

/**
 * Inside a write: the record exists and is still at `expected` (when given); returns its current version.
 * Call it before the checks and writes of an update or a state change, with the version the client read.
 */
export async function checkVersion(trx: Trx, table: VersionedTable, id: string, expected: number | null | undefined): Promise<number> {
  const row = await sql<{ version: number }>`SELECT version FROM ${sql.table(table)} WHERE id = ${id}`.execute(trx);
  const current = row.rows[0]?.version;
  if (current === undefined) throw fail.notFound(VERSIONED[table].label);
  if (expected != null && expected !== current) throw await staleVersionError(trx, table, id, expected, current);
  return current;
}

/**
 * `UPDATE table SET …, version = version + 1 WHERE id = ? AND version = ?` (the version test left out when
 * `expected` is null: a change the server makes on its own). Zero rows means gone or stale: refused as such.
 * Returns the new version.
 */
export async function updateVersioned(
  trx: Trx,
  table: VersionedTable,
  id: string,
  expected: number | null | undefined,
  set: Record<string, unknown>,
): Promise<number> {
  const cols = Object.entries(set).filter(([k, v]) => k !== 'version' && v !== undefined);
  const assignments = sql.join([...cols.map(([k, v]) => sql`${sql.ref(k)} = ${v}`), sql`version = version + 1`]);
  const guard = expected != null ? sql` AND version = ${expected}` : sql``;
  const r = await sql<{ version: number }>`UPDATE ${sql.table(table)} SET ${assignments} WHERE id = ${id}${guard} RETURNING version`.execute(trx);
  const v = r.rows[0]?.version;
  if (v !== undefined) return v;
  const current = await checkVersion(trx, table, id, null);
  throw await staleVersionError(trx, table, id, expected ?? current, current);
}
