/**
 * The statements of posting (the same SQL on both engines; `engineSql.ts` runs them). On SQLite they are prepared
 * once per database handle. Posting is the custody area's hot write path:
 * through kysely every statement is compiled to SQL and then prepared by SQLite again on each call (preparing
 * the journal INSERT and the status UPDATE also compiles their triggers), which cost more CPU than running them.
 *
 * Use only inside a write transaction (`Op.sqlite` in `ctx.write`): `Core.write` holds kysely's single
 * connection for the whole transaction, and these statements run on that same better-sqlite3 handle, so they
 * see and join the open transaction. Outside one they would bypass kysely's connection queue. On PostgreSQL they
 * are sent through the transaction's connection.
 */
import type { Trx } from '../api/context';
import type { SqliteHandle } from '../db/connection';
import { statementRunner, type StatementRunner } from './engineSql';

const SQL = {
  voucher: `SELECT * FROM custody_vouchers WHERE id = ?`,
  periodClosed: `SELECT 1 AS closed FROM custody_periods WHERE period = ? AND closed = 1`,
  account: `SELECT liability_code, balance_fen FROM custody_accounts WHERE org_id = ?`,
  orgName: `SELECT name FROM organizations WHERE id = ?`,
  bank: `SELECT name, holds FROM custody_bank_accounts WHERE id = ?`,
  budgetLine: `SELECT id, name, budget_fen, spent_fen FROM custody_budget_lines WHERE id = ?`,
  journalOf: `SELECT * FROM custody_journal WHERE voucher_id = ? ORDER BY line_no`,
  // The last number of the month from the (period, seq) index: one index probe. Contiguity is the database's
  // job (trigger custody_vouchers_seq_contiguous, migration 0014), not a count of the month at every posting.
  lastSeq: `SELECT max(seq) AS max FROM custody_vouchers WHERE period = ? AND seq IS NOT NULL`,
  insertLine: `INSERT INTO custody_journal (voucher_id, line_no, date, period, account_code, amount_fen, bank_account_id, org_id, source_id, project_id, budget_line_id)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  markPosted: `UPDATE custody_vouchers SET status = 'posted', seq = ?, number = ?, poster_id = ?, posted_at = ?, updated_at = ?, version = version + 1
    WHERE id = ? AND status = 'approved' AND version = ?`,
} as const;

export type PostingStatement = keyof typeof SQL;

/** The posting statements of `op`'s transaction, on its engine (`engineSql.ts`). */
export function postingStatements(op: { trx: Trx; sqlite: SqliteHandle }): StatementRunner<PostingStatement> {
  return statementRunner(op.trx, op.sqlite, SQL);
}
