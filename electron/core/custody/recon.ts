/**
 * Matching bank lines to ledger entries and the 银行存款余额调节表. A ledger entry is one posted voucher's
 * movement on the bank account (opening vouchers excluded: they are the bank's opening balance).
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { fail } from '@shared/errors';
import { formatFen } from '@shared/money';
import { addDays, daysFromCivil, splitDate } from '@shared/dates/parse';
import { autoMatch, checkManualMatch, reconcile, type MatchItem, type ReconItem } from '@shared/custody/matching';
import type { CallContext, Trx } from '../api/context';
import type { Db } from '../db/connection';
import { opOf, orgNames, requireBankAccount } from './common';

type Reader = Db | Trx;

interface EntryRow {
  id: string;
  date: string;
  amount_fen: number;
  number: string | null;
  counterparty: string;
  purpose: string;
  org_id: string | null;
}

/** Posted entries of a bank account within [from, to], with their match group. */
async function entries(db: Reader, bankAccountId: string, from: string, to: string, onlyUnmatched = false) {
  const r = await sql<EntryRow & { group_id: string | null }>`
    SELECT v.id, v.date, e.amount_fen, v.number, v.counterparty, v.purpose, v.org_id, m.group_id
    FROM (SELECT voucher_id, sum(amount_fen) AS amount_fen FROM custody_journal
          WHERE bank_account_id = ${bankAccountId} AND date >= ${from} AND date <= ${to} GROUP BY voucher_id) e
    JOIN custody_vouchers v ON v.id = e.voucher_id
    LEFT JOIN custody_match_items m ON m.side = 'entry' AND m.item_id = v.id
    WHERE v.kind <> 'opening' AND e.amount_fen <> 0 ${onlyUnmatched ? sql`AND m.group_id IS NULL` : sql``}
    ORDER BY v.date, v.number`.execute(db);
  return r.rows;
}

async function bankLines(db: Reader, bankAccountId: string, from: string, to: string, onlyUnmatched = false) {
  let q = db
    .selectFrom('custody_statement_lines as l')
    .leftJoin('custody_match_items as m', (j) => j.on('m.side', '=', 'bank').onRef('m.item_id', '=', 'l.id'))
    .select(['l.id', 'l.row_no', 'l.date', 'l.amount_fen', 'l.balance_fen', 'l.counterparty_name', 'l.counterparty_account', 'l.summary', 'l.serial', 'm.group_id'])
    .where('l.bank_account_id', '=', bankAccountId)
    .where('l.date', '>=', from)
    .where('l.date', '<=', to);
  if (onlyUnmatched) q = q.where('m.group_id', 'is', null);
  return q.orderBy('l.date').orderBy('l.import_id').orderBy('l.row_no').execute();
}

export async function matchData(ctx: CallContext, bankAccountId: string, from: string, to: string) {
  await requireBankAccount(ctx.db, bankAccountId);
  const es = await entries(ctx.db, bankAccountId, from, to);
  const names = await orgNames(ctx.db, es.map((e) => e.org_id));
  const ls = await bankLines(ctx.db, bankAccountId, from, to);
  return {
    bankLines: ls.map((l) => ({
      id: l.id,
      row: l.row_no,
      date: l.date,
      amountFen: l.amount_fen,
      balanceFen: l.balance_fen,
      counterpartyName: l.counterparty_name,
      counterpartyAccount: l.counterparty_account,
      summary: l.summary,
      serial: l.serial,
      groupId: l.group_id,
    })),
    entries: es.map((e) => ({
      id: e.id,
      number: e.number ?? '',
      date: e.date,
      amountFen: e.amount_fen,
      counterparty: e.counterparty,
      purpose: e.purpose,
      orgName: e.org_id ? (names.get(e.org_id) ?? null) : null,
      groupId: e.group_id,
    })),
  };
}

/**
 * The unmatched posted entries that could take part in an automatic match: only an entry whose amount equals
 * an unmatched bank line's within the window can ever be proposed (matching is by exact amount), so the
 * journal is summed per voucher from the covering index and the vouchers are read only for those candidates.
 */
async function autoMatchCandidates(db: Reader, bankAccountId: string, lines: readonly MatchItem[], from: string, to: string, window: number): Promise<MatchItem[]> {
  const days = new Map<number, number[]>();
  for (const l of lines) {
    const list = days.get(l.amountFen) ?? [];
    list.push(dayNumber(l.date));
    days.set(l.amountFen, list);
  }
  for (const list of days.values()) list.sort((a, b) => a - b);
  const near = (amountFen: number, day: number) => {
    const list = days.get(amountFen);
    if (!list) return false;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid] < day - window) lo = mid + 1;
      else hi = mid;
    }
    return lo < list.length && list[lo] <= day + window;
  };
  const sums = await sql<{ voucher_id: string; date: string; amount_fen: number }>`
    SELECT voucher_id, min(date) AS date, sum(amount_fen) AS amount_fen FROM custody_journal
    WHERE bank_account_id = ${bankAccountId} AND date >= ${from} AND date <= ${to} GROUP BY voucher_id`.execute(db);
  const candidates = sums.rows.filter((e) => e.amount_fen !== 0 && near(e.amount_fen, dayNumber(e.date)));
  const out: MatchItem[] = [];
  for (let i = 0; i < candidates.length; i += 500) {
    const chunk = candidates.slice(i, i + 500);
    const facts = await sql<{ id: string; kind: string; status: string; counterparty: string; number: string | null; group_id: string | null }>`
      SELECT v.id, v.kind, v.status, v.counterparty, v.number, m.group_id FROM custody_vouchers v
      LEFT JOIN custody_match_items m ON m.side = 'entry' AND m.item_id = v.id
      WHERE v.id IN (${sql.join(chunk.map((c) => c.voucher_id))})`.execute(db);
    const byId = new Map(facts.rows.map((f) => [f.id, f]));
    for (const c of chunk) {
      const v = byId.get(c.voucher_id);
      if (!v || v.kind === 'opening' || v.status !== 'posted' || v.group_id) continue;
      out.push({ id: c.voucher_id, date: c.date, amountFen: c.amount_fen, counterparty: v.counterparty, reference: v.number });
    }
  }
  return out;
}

/** Day numbers of dates; a ledger has a few thousand distinct dates, so they are parsed once each. */
const dayNumbers = new Map<string, number>();
function dayNumber(date: string): number {
  let n = dayNumbers.get(date);
  if (n === undefined) {
    const { year, month, day } = splitDate(date);
    n = daysFromCivil(year, month, day);
    if (dayNumbers.size > 100_000) dayNumbers.clear();
    dayNumbers.set(date, n);
  }
  return n;
}

/** Proposals only: the accountant confirms them. */
export async function autoMatchProposals(ctx: CallContext, bankAccountId: string, from: string, to: string, windowDays?: number) {
  await requireBankAccount(ctx.db, bankAccountId);
  const window = windowDays ?? (await ctx.core.settings()).custodyMatchWindowDays;
  const ls = (await bankLines(ctx.db, bankAccountId, from, to, true)).map(
    (l): MatchItem => ({ id: l.id, date: l.date, amountFen: l.amount_fen, counterparty: l.counterparty_name, reference: `${l.serial} ${l.summary}` }),
  );
  const es = await autoMatchCandidates(ctx.db, bankAccountId, ls, addDays(from, -window), addDays(to, window), window);
  return { proposals: autoMatch(ls, es, { windowDays: window }) };
}

async function itemFacts(trx: Trx, bankAccountId: string, bankLineIds: string[], entryIds: string[]) {
  const ls = bankLineIds.length
    ? await trx.selectFrom('custody_statement_lines').select(['id', 'date', 'amount_fen', 'bank_account_id']).where('id', 'in', bankLineIds).execute()
    : [];
  if (ls.length !== new Set(bankLineIds).size || ls.some((l) => l.bank_account_id !== bankAccountId)) throw fail.validation('银行流水不存在或不属于该账户');
  const es: { id: string; date: string; amount_fen: number }[] = [];
  for (let i = 0; i < entryIds.length; i += 500) {
    const chunk = entryIds.slice(i, i + 500);
    const r = await sql<{ id: string; date: string; amount_fen: number }>`
      SELECT v.id, v.date, sum(j.amount_fen) AS amount_fen FROM custody_vouchers v
      JOIN custody_journal j ON j.voucher_id = v.id AND j.bank_account_id = ${bankAccountId}
      WHERE v.id IN (${sql.join(chunk)}) AND v.status = 'posted' AND v.kind <> 'opening' GROUP BY v.id`.execute(trx);
    es.push(...r.rows);
  }
  if (es.length !== new Set(entryIds).size) throw fail.validation('所选凭证不存在、未记账或与该银行账户无关');
  const taken = new Set<string>();
  const keys = [...bankLineIds.map((id) => ['bank', id]), ...entryIds.map((id) => ['entry', id])];
  for (let i = 0; i < keys.length; i += 400) {
    const chunk = keys.slice(i, i + 400);
    const r = await trx
      .selectFrom('custody_match_items')
      .select(['side', 'item_id'])
      .where((eb) => eb.or(chunk.map(([side, id]) => eb.and([eb('side', '=', side), eb('item_id', '=', id)]))))
      .execute();
    for (const x of r) taken.add(`${x.side === 'bank' ? 'b' : 'e'}:${x.item_id}`);
  }
  return { ls, es, taken };
}

export async function confirmMatches(ctx: CallContext, bankAccountId: string, pairs: { bankLineId: string; entryId: string }[]) {
  return ctx.write(async (trx) => {
    const op = opOf(ctx, trx);
    await requireBankAccount(trx, bankAccountId);
    const { ls, es, taken } = await itemFacts(trx, bankAccountId, pairs.map((p) => p.bankLineId), pairs.map((p) => p.entryId));
    const lineById = new Map(ls.map((l) => [l.id, l]));
    const entryById = new Map(es.map((e) => [e.id, e]));
    const used = new Set<string>();
    for (const p of pairs) {
      const l = lineById.get(p.bankLineId)!;
      const e = entryById.get(p.entryId)!;
      const check = checkManualMatch(
        { bankLines: [{ id: l.id, date: l.date, amountFen: l.amount_fen }], entries: [{ id: e.id, date: e.date, amountFen: e.amount_fen }] },
        new Set([...taken, ...used]),
      );
      if (!check.ok) throw fail.rule(`${l.date} ${formatFen(l.amount_fen)}：${check.error}`);
      used.add(`b:${l.id}`);
      used.add(`e:${e.id}`);
      const groupId = randomUUID();
      await trx.insertInto('custody_match_groups').values({ id: groupId, bank_account_id: bankAccountId, method: 'auto', created_by: op.actor.userId, created_at: op.nowIso }).execute();
      await trx
        .insertInto('custody_match_items')
        .values([
          { group_id: groupId, side: 'bank', item_id: l.id, date: l.date, amount_fen: l.amount_fen },
          { group_id: groupId, side: 'entry', item_id: e.id, date: e.date, amount_fen: e.amount_fen },
        ])
        .execute();
    }
    await op.audit({ entity: 'custody_match', entityId: bankAccountId, summary: `确认自动勾对 ${pairs.length} 组`, after: { pairs: pairs.slice(0, 200) } });
    return { created: pairs.length };
  });
}

export async function manualMatch(ctx: CallContext, bankAccountId: string, bankLineIds: string[], entryIds: string[]) {
  return ctx.write(async (trx) => {
    const op = opOf(ctx, trx);
    await requireBankAccount(trx, bankAccountId);
    const { ls, es, taken } = await itemFacts(trx, bankAccountId, bankLineIds, entryIds);
    const check = checkManualMatch(
      { bankLines: ls.map((l) => ({ id: l.id, date: l.date, amountFen: l.amount_fen })), entries: es.map((e) => ({ id: e.id, date: e.date, amountFen: e.amount_fen })) },
      taken,
    );
    if (!check.ok) throw fail.rule(check.error);
    const groupId = randomUUID();
    await trx.insertInto('custody_match_groups').values({ id: groupId, bank_account_id: bankAccountId, method: 'manual', created_by: op.actor.userId, created_at: op.nowIso }).execute();
    await trx
      .insertInto('custody_match_items')
      .values([
        ...ls.map((l) => ({ group_id: groupId, side: 'bank', item_id: l.id, date: l.date, amount_fen: l.amount_fen })),
        ...es.map((e) => ({ group_id: groupId, side: 'entry', item_id: e.id, date: e.date, amount_fen: e.amount_fen })),
      ])
      .execute();
    const total = ls.reduce((s, l) => s + l.amount_fen, 0);
    await op.audit({
      entity: 'custody_match',
      entityId: groupId,
      summary: `手工勾对：${ls.length} 条银行流水 ↔ ${es.length} 张凭证，金额 ${formatFen(total)}`,
      after: { bankLineIds, entryIds },
    });
    return { groupId };
  });
}

export async function unmatch(ctx: CallContext, groupId: string) {
  return ctx.write(async (trx) => {
    const op = opOf(ctx, trx);
    const g = await trx.selectFrom('custody_match_groups').selectAll().where('id', '=', groupId).executeTakeFirst();
    if (!g) throw fail.notFound('勾对记录');
    const items = await trx.selectFrom('custody_match_items').selectAll().where('group_id', '=', groupId).execute();
    // Items are deleted explicitly (not by cascade) so the closed-period trigger sees each one.
    await trx.deleteFrom('custody_match_items').where('group_id', '=', groupId).execute();
    await trx.deleteFrom('custody_match_groups').where('id', '=', groupId).execute();
    await op.audit({ entity: 'custody_match', entityId: groupId, summary: `取消勾对（${items.length} 项）`, before: { group: g, items } });
    return { ok: true as const };
  });
}

/** The 银行存款余额调节表 of a bank account at the close of `asOf`. */
export async function reconciliation(db: Reader, bankAccountId: string, asOf: string) {
  const bank = await requireBankAccount(db, bankAccountId);
  const ledger = await db
    .selectFrom('custody_journal')
    .select(sql<number>`coalesce(sum(amount_fen), 0)`.as('b'))
    .where('bank_account_id', '=', bankAccountId)
    .where('date', '<=', asOf)
    .executeTakeFirstOrThrow();
  const bankSum = await db
    .selectFrom('custody_statement_lines')
    .select(sql<number>`coalesce(sum(amount_fen), 0)`.as('b'))
    .where('bank_account_id', '=', bankAccountId)
    .where('date', '>=', bank.opening_date)
    .where('date', '<=', asOf)
    .executeTakeFirstOrThrow();
  const bankBalanceFen = bank.bank_opening_fen + bankSum.b;
  const last = await db
    .selectFrom('custody_statement_lines')
    .select(['balance_fen', 'date'])
    .where('bank_account_id', '=', bankAccountId)
    .where('date', '<=', asOf)
    .orderBy('date', 'desc')
    .orderBy('import_id', 'desc')
    .orderBy('row_no', 'desc')
    .limit(1)
    .executeTakeFirst();
  let bankBalanceSource = `期初银行余额 ${formatFen(bank.bank_opening_fen)} + 已导入流水`;
  if (last?.balance_fen !== null && last?.balance_fen !== undefined && last.balance_fen !== bankBalanceFen) {
    bankBalanceSource += `（注意：对账单 ${last.date} 余额列为 ${formatFen(last.balance_fen)}，与推算不符，可能缺少流水）`;
  }
  // Outstanding = not matched, or matched in a group that has an item dated after asOf.
  const outstandingEntries = await sql<EntryRow>`
    SELECT v.id, v.date, e.amount_fen, v.number, v.counterparty, v.purpose, v.org_id
    FROM (SELECT voucher_id, sum(amount_fen) AS amount_fen FROM custody_journal
          WHERE bank_account_id = ${bankAccountId} AND date <= ${asOf} GROUP BY voucher_id) e
    JOIN custody_vouchers v ON v.id = e.voucher_id
    LEFT JOIN custody_match_items m ON m.side = 'entry' AND m.item_id = v.id
    WHERE v.kind <> 'opening' AND e.amount_fen <> 0
      AND (m.group_id IS NULL OR EXISTS (SELECT 1 FROM custody_match_items x WHERE x.group_id = m.group_id AND x.date > ${asOf}))`.execute(db);
  const outstandingLines = await sql<{ id: string; date: string; amount_fen: number; counterparty_name: string; summary: string }>`
    SELECT l.id, l.date, l.amount_fen, l.counterparty_name, l.summary
    FROM custody_statement_lines l
    LEFT JOIN custody_match_items m ON m.side = 'bank' AND m.item_id = l.id
    WHERE l.bank_account_id = ${bankAccountId} AND l.date >= ${bank.opening_date} AND l.date <= ${asOf}
      AND (m.group_id IS NULL OR EXISTS (SELECT 1 FROM custody_match_items x WHERE x.group_id = m.group_id AND x.date > ${asOf}))`.execute(db);
  const names = await orgNames(db, outstandingEntries.rows.map((e) => e.org_id));
  const labels = new Map<string, string>();
  const entryItems: ReconItem[] = outstandingEntries.rows.map((e) => {
    labels.set(e.id, `${e.number ?? ''} ${e.org_id ? (names.get(e.org_id) ?? '') : ''} ${e.purpose}`.trim());
    return { id: e.id, date: e.date, amountFen: e.amount_fen, groupId: null };
  });
  const lineItems: ReconItem[] = outstandingLines.rows.map((l) => {
    labels.set(l.id, `${l.counterparty_name} ${l.summary}`.trim());
    return { id: l.id, date: l.date, amountFen: l.amount_fen, groupId: null };
  });
  const r = reconcile({ asOf, ledgerBalanceFen: ledger.b, bankBalanceFen, entries: entryItems, bankLines: lineItems });
  const view = (xs: ReconItem[]) => xs.map((x) => ({ id: x.id, date: x.date, amountFen: x.amountFen, label: labels.get(x.id) ?? '' }));
  return {
    bankAccountId,
    bankAccountName: `${bank.bank_name} ${bank.name}`,
    asOf,
    ledgerBalanceFen: r.ledgerBalanceFen,
    bankBalanceFen: r.bankBalanceFen,
    bankBalanceSource,
    ledgerInNotBank: view(r.ledgerInNotBank),
    ledgerOutNotBank: view(r.ledgerOutNotBank),
    bankInNotLedger: view(r.bankInNotLedger),
    bankOutNotLedger: view(r.bankOutNotLedger),
    adjustedLedgerFen: r.adjustedLedgerFen,
    adjustedBankFen: r.adjustedBankFen,
    differenceFen: r.differenceFen,
    agrees: r.agrees,
  };
}
