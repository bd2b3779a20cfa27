import { sql } from 'kysely';
import { addMonths, chinaDateOf, daysInMonth } from '@shared/dates/parse';
import type { Db } from '../db/connection';

/**
 * 未对账: the one definition used by 工作台, 银行对账 and the package checks (issue 18: the dashboard listed months
 * that were already closed, because the demo's and older closes left no saved 调节表 while the dashboard only
 * looked at saved 调节表).
 *
 * A month M of bank account B is unreconciled when
 *   - B has posted journal lines dated in M (a month without movements needs no reconciliation), and
 *   - M is not closed (结账 refuses a month whose 调节表 does not agree, so a closed month is reconciled), and
 *   - no 调节表 of B dated at or after M's last day was saved since M was last reopened (反结账 undoes it).
 */
export interface UnreconciledMonth {
  period: string;
  bankAccountId: string;
  bankAccountName: string;
}

export function monthEnd(period: string): string {
  const y = Number(period.slice(0, 4));
  const m = Number(period.slice(5, 7));
  return `${period}-${String(daysInMonth(y, m)).padStart(2, '0')}`;
}

/** The twelve whole months before the running one (the running month is still being booked). */
export function recentMonths(now: Date, count = 12): string[] {
  const month = chinaDateOf(now).slice(0, 7);
  const out: string[] = [];
  for (let i = count; i >= 1; i--) out.push(addMonths(`${month}-01`, -i).slice(0, 7));
  return out;
}

/**
 * The unreconciled months among `periods` (YYYY-MM), in month order then bank account name. One index probe per
 * bank account and month (journal index on bank account and date), never a scan of the ledger.
 */
export async function unreconciledMonths(db: Db, periods: readonly string[]): Promise<UnreconciledMonth[]> {
  const banks = (await sql<{ id: string; name: string }>`SELECT id, name FROM custody_bank_accounts ORDER BY name, id`.execute(db)).rows;
  if (!banks.length || !periods.length) return [];
  const states = new Map(
    (
      await sql<{ period: string; closed: number; reopened_at: string | null }>`SELECT period, closed, reopened_at FROM custody_periods
        WHERE period IN (${sql.join([...periods])})`.execute(db)
    ).rows.map((r) => [r.period, r]),
  );
  const out: UnreconciledMonth[] = [];
  for (const period of [...periods].sort()) {
    const state = states.get(period);
    if (state && state.closed === 1) continue;
    const end = monthEnd(period);
    for (const b of banks) {
      const used = await sql<{ n: number }>`SELECT 1 AS n FROM custody_journal WHERE bank_account_id = ${b.id} AND date BETWEEN ${`${period}-01`} AND ${end} LIMIT 1`.execute(db);
      if (used.rows.length === 0) continue;
      const since = state?.reopened_at ?? '';
      const rec = await sql<{ n: number }>`SELECT 1 AS n FROM custody_reconciliations WHERE bank_account_id = ${b.id} AND as_of >= ${end} AND created_at > ${since} LIMIT 1`.execute(db);
      if (rec.rows.length === 0) out.push({ period, bankAccountId: b.id, bankAccountName: b.name });
    }
  }
  return out;
}

/** The months (once each, in order) that 工作台 lists as 未对账: any bank account unreconciled in the month. */
export function unreconciledPeriods(list: readonly UnreconciledMonth[]): string[] {
  return [...new Set(list.map((u) => u.period))].sort();
}
