import { sql, type Kysely } from 'kysely';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kyselyFor, migrateToLatest, openSqlite } from '../../electron/core/db/connection';
import { migratePostgresToLatest } from '../../electron/core/db/postgres';
import { openFreshPg } from './pg';

/**
 * The database's own invariants, as plain SQL run straight at the tables (no service in between), so the same
 * scenarios check the SQLite triggers and the PostgreSQL constraints/PL/pgSQL triggers: the bad write must be
 * refused by the database itself, whatever the caller.
 */
export interface Engine {
  name: 'sqlite' | 'postgres';
  exec(statement: string): Promise<void>;
  rows<T = Record<string, unknown>>(query: string): Promise<T[]>;
  /** The refusal's message, or null when the statement went through. */
  refusal(statement: string): Promise<string | null>;
  close(): Promise<void>;
}

function engineOver(name: Engine['name'], db: Kysely<unknown>, close: () => Promise<void>): Engine {
  return {
    name,
    exec: async (s) => void (await sql.raw(s).execute(db)),
    rows: async <T>(q: string) => (await sql.raw<T>(q).execute(db)).rows,
    refusal: async (s) => {
      try {
        await sql.raw(s).execute(db);
        return null;
      } catch (e) {
        return (e as Error).message;
      }
    },
    close,
  };
}

export async function openSqliteEngine(): Promise<Engine> {
  const dir = mkdtempSync(join(tmpdir(), 'incubase-inv-'));
  const sqlite = openSqlite(join(dir, 'hub.db'));
  const db = kyselyFor(sqlite);
  await migrateToLatest(db, sqlite);
  return engineOver('sqlite', db as Kysely<unknown>, async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });
}

export async function openPostgresEngine(): Promise<Engine> {
  const pg = await openFreshPg('inv');
  await migratePostgresToLatest(pg.db);
  return engineOver('postgres', pg.db as Kysely<unknown>, pg.close);
}

const AT = "'2026-03-01T00:00:00.000Z'";

export const BASE = [
  `INSERT INTO organizations (id, name, mgmt_class, created_at, updated_at) VALUES ('o1', '邻里守望互助队', 'filed', ${AT}, ${AT})`,
  `INSERT INTO venues (id, name, host_type_code, capacity, opening_hours_json, created_at, updated_at)
     VALUES ('v1', '多功能活动室', 'hub', 30, '{}', ${AT}, ${AT})`,
  `INSERT INTO venue_booking_series (id, venue_id, organization_id, recurrence_kind, created_at) VALUES ('s1', 'v1', 'o1', 'once', ${AT})`,
  `INSERT INTO custody_bank_accounts (id, seq, name, bank_name, account_no, opening_date, created_at)
     VALUES ('ba1', 1, '代管资金专户', '工商银行', '6222000011112222', '2026-01-01', ${AT})`,
  `INSERT INTO custody_accounts (id, org_id, seq, liability_code, opened_on, created_at) VALUES ('ca1', 'o1', 1, '2601', '2026-01-01', ${AT})`,
];

export function booking(id: string, start: string, end: string, state = 'approved'): string {
  return `INSERT INTO venue_bookings (id, series_id, venue_id, organization_id, start_at, end_at, state, expected_attendance, created_at, updated_at)
    VALUES ('${id}', 's1', 'v1', 'o1', '${start}', '${end}', '${state}', 10, ${AT}, ${AT})`;
}

export function voucher(id: string, date: string, amountFen: number, status = 'approved'): string {
  return `INSERT INTO custody_vouchers (id, kind, status, date, period, amount_fen, org_id, bank_account_id, maker_id, created_at, updated_at)
    VALUES ('${id}', 'receipt', '${status}', '${date}', '${date.slice(0, 7)}', ${amountFen}, 'o1', 'ba1', 'u-maker', ${AT}, ${AT})`;
}

/** The two journal lines of a receipt: bank debit, the organization's liability credit (`credit` lets them differ). */
export function lines(voucherId: string, date: string, debit: number, credit = debit): string {
  return `INSERT INTO custody_journal (voucher_id, line_no, date, period, account_code, amount_fen, bank_account_id, org_id) VALUES
    ('${voucherId}', 1, '${date}', '${date.slice(0, 7)}', '1002', ${debit}, 'ba1', NULL),
    ('${voucherId}', 2, '${date}', '${date.slice(0, 7)}', '2601', ${-credit}, NULL, 'o1')`;
}

export function post(voucherId: string, period: string, seq: number): string {
  return `UPDATE custody_vouchers SET status = 'posted', seq = ${seq}, number = '${period}-${String(seq).padStart(3, '0')}' WHERE id = '${voucherId}'`;
}
