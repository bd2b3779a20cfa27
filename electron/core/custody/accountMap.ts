/**
 * 科目对照: the hub's general-ledger codes for our accounts (used by the voucher exports). Every account the
 * custody ledger can post to is listed — level-1 codes of the chart, each bank account's detail, each
 * organization's custody detail — with the hub's code and name when one is set.
 */
import { CHART, bankDetailCode, bankDetailName, custodyDetailCode, custodyDetailName, type BankHolds, type CustodyLiabilityCode } from '@shared/custody/accounts';
import { fail } from '@shared/errors';
import type { CallContext } from '../api/context';
import { opOf } from './common';

export async function listAccountMap(ctx: CallContext) {
  const rows = await ctx.db.selectFrom('custody_account_map').selectAll().execute();
  const map = new Map(rows.map((r) => [r.our_code, r]));
  const banks = await ctx.db.selectFrom('custody_bank_accounts').select(['seq', 'name', 'bank_name', 'holds']).orderBy('seq').execute();
  const accounts = await ctx.db
    .selectFrom('custody_accounts as a')
    .innerJoin('organizations as o', 'o.id', 'a.org_id')
    .select(['a.seq', 'a.liability_code', 'o.name'])
    .orderBy('a.seq')
    .execute();
  const ours: { ourCode: string; ourName: string; level: 1 | 2 }[] = [
    ...CHART.map((d) => ({ ourCode: d.code, ourName: d.name, level: 1 as const })),
    ...banks.map((b) => ({ ourCode: bankDetailCode(b.seq, b.holds as BankHolds), ourName: bankDetailName(`${b.bank_name}${b.name}`, b.holds as BankHolds), level: 2 as const })),
    ...accounts.map((a) => ({
      ourCode: custodyDetailCode(a.liability_code as CustodyLiabilityCode, a.seq),
      ourName: custodyDetailName(a.liability_code as CustodyLiabilityCode, a.name),
      level: 2 as const,
    })),
  ].sort((x, y) => (x.ourCode < y.ourCode ? -1 : x.ourCode > y.ourCode ? 1 : 0));
  return ours.map((o) => {
    const m = map.get(o.ourCode);
    return { ...o, theirCode: m?.their_code ?? '', theirName: m?.their_name ?? '', updatedAt: m?.updated_at ?? null };
  });
}

/** Set (or, with an empty code, clear) the hub's codes; one audit entry for the change. */
export async function saveAccountMap(ctx: CallContext, rows: { ourCode: string; theirCode: string; theirName: string }[]) {
  const seen = new Set<string>();
  rows.forEach((r, i) => {
    if (seen.has(r.ourCode)) throw fail.validation(`第 ${i + 1} 行：科目 ${r.ourCode} 重复`, [{ row: i + 1, path: '本系统科目', message: `科目 ${r.ourCode} 重复` }]);
    seen.add(r.ourCode);
    if (r.theirCode && !/^[0-9A-Za-z.\-_]{1,40}$/.test(r.theirCode)) {
      throw fail.validation(`第 ${i + 1} 行：对方科目编码「${r.theirCode}」只能由数字、字母和 . - _ 组成`, [{ row: i + 1, path: '对方科目编码', message: '只能由数字、字母和 . - _ 组成' }]);
    }
  });
  return ctx.write(async (trx) => {
    const op = opOf(ctx, trx);
    const before = await trx.selectFrom('custody_account_map').selectAll().where('our_code', 'in', rows.length ? rows.map((r) => r.ourCode) : ['']).execute();
    for (const r of rows) {
      if (!r.theirCode) {
        await trx.deleteFrom('custody_account_map').where('our_code', '=', r.ourCode).execute();
        continue;
      }
      const values = { our_code: r.ourCode, their_code: r.theirCode, their_name: r.theirName.trim(), updated_by: op.actor.userId, updated_at: op.nowIso };
      await trx
        .insertInto('custody_account_map')
        .values(values)
        .onConflict((oc) => oc.column('our_code').doUpdateSet({ their_code: values.their_code, their_name: values.their_name, updated_by: values.updated_by, updated_at: values.updated_at }))
        .execute();
    }
    const set = rows.filter((r) => r.theirCode);
    const cleared = rows.filter((r) => !r.theirCode);
    await op.audit({
      entity: 'custody_account_map',
      entityId: 'custody_account_map',
      summary: `修改科目对照：${[set.length ? `设置 ${set.map((r) => `${r.ourCode}→${r.theirCode}`).join('、')}` : '', cleared.length ? `清除 ${cleared.map((r) => r.ourCode).join('、')}` : ''].filter(Boolean).join('；')}`,
      before,
      after: rows,
    });
    return { ok: true as const };
  });
}
