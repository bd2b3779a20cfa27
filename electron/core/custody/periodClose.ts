/**
 * Closing a month (结账) as the 期间 screen does it: the 余额调节表 of every active bank account that was open by
 * the month's last day is computed and kept, and the ledger's own close rule decides. The custody history import
 * closes its months through the same function.
 */
import { randomUUID } from 'node:crypto';
import { daysInMonth } from '@shared/dates/parse';
import type { CallContext } from '../api/context';
import { opOf } from './common';
import { closePeriod } from './ledger';
import { reconciliation } from './recon';

const ok = { ok: true as const };

export function lastDayOf(period: string): string {
  const y = Number(period.slice(0, 4));
  const m = Number(period.slice(5, 7));
  return `${period}-${String(daysInMonth(y, m)).padStart(2, '0')}`;
}

export async function closeMonth(ctx: CallContext, period: string) {
  return ctx.write(async (trx) => {
    const op = opOf(ctx, trx);
    const asOf = lastDayOf(period);
    const banks = await trx.selectFrom('custody_bank_accounts').selectAll().where('active', '=', 1).execute();
    const recs = [];
    for (const b of banks) {
      if (b.opening_date > asOf) continue;
      const r = await reconciliation(trx, b.id, asOf);
      recs.push(r);
    }
    await closePeriod(
      op,
      period,
      recs.map((r) => ({ bankAccountName: r.bankAccountName, agrees: r.agrees, differenceFen: r.differenceFen })),
    );
    for (const r of recs) {
      await trx
        .insertInto('custody_reconciliations')
        .values({
          id: randomUUID(),
          bank_account_id: r.bankAccountId,
          as_of: asOf,
          ledger_balance_fen: r.ledgerBalanceFen,
          bank_balance_fen: r.bankBalanceFen,
          adjusted_ledger_fen: r.adjustedLedgerFen,
          adjusted_bank_fen: r.adjustedBankFen,
          snapshot_json: JSON.stringify(r),
          created_by: op.actor.userId,
          created_at: op.nowIso,
        })
        .execute();
    }
    return ok;
  });
}

