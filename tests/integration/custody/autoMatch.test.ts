import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { custodyFixture, gbkCsv, ledgerInvariants, NO_VIOLATIONS, postVoucher, type Fixture } from './helpers';

/**
 * Auto-match through the real core: each proposal names its rule and a confidence, and two identical payments on
 * one day are never merged — two bank lines give two pairs, one bank line gives one pair and one entry unmatched.
 */
const ICBC_HEADER = ['凭证号', '交易时间', '借方发生额', '贷方发生额', '余额', '对方单位名称', '摘要', '用途'];
let f: Fixture;
beforeAll(async () => {
  f = await custodyFixture();
  await postVoucher(f, { kind: 'receipt', date: '2026-04-01', amountFen: 5_000_000, orgId: f.orgIds[0], bankAccountId: f.bankId, counterparty: '武侯区民政局', purpose: '公益创投拨款' });
});
afterAll(async () => {
  await f?.cleanup();
});

const rent = (date: string) =>
  postVoucher(f, { kind: 'disbursement', date, amountFen: 123_450, orgId: f.orgIds[0], bankAccountId: f.bankId, counterparty: '阳光物业管理有限公司', purpose: '场地租金' });

async function importLines(rows: string[][], name: string) {
  const file = { name, base64: gbkCsv([ICBC_HEADER, ...rows]) };
  return f.as.maker('custody.statements.import', { bankAccountId: f.bankId, file });
}

describe('auto-match explains itself and never merges equal payments', () => {
  it('two identical payments on one day and two identical bank lines: two pairs, each item once', async () => {
    const a = await rent('2026-04-05');
    const b = await rent('2026-04-05');
    await importLines(
      [
        ['', '2026-04-01 09:00:00', '', '50,000.00', '50,000.00', '武侯区民政局', '转账', '拨款'],
        ['HX01', '2026-04-05 14:00:00', '1,234.50', '', '48,765.50', '阳光物业管理有限公司', '转账', '租金'],
        ['HX02', '2026-04-05 14:00:00', '1,234.50', '', '47,531.00', '阳光物业管理有限公司', '转账', '租金'],
      ],
      '四月.csv',
    );
    const { proposals } = await f.as.maker('custody.match.auto', { bankAccountId: f.bankId, from: '2026-04-01', to: '2026-04-30' });
    const rentPairs = proposals.filter((p) => p.entryId === a.id || p.entryId === b.id);
    expect(rentPairs).toHaveLength(2);
    expect(new Set(rentPairs.map((p) => p.bankLineId)).size).toBe(2);
    expect(new Set(proposals.map((p) => p.entryId)).size).toBe(proposals.length);
    for (const p of rentPairs) {
      expect(p.rule).toBe('amount_date_counterparty');
      expect(p.explanation).toContain('金额相同、同一天、对方单位相同（阳光物业管理有限公司）');
    }
    // The first of the two had a twin to choose from, and says so.
    expect(rentPairs.map((p) => p.alternatives).sort()).toEqual([0, 1]);
    expect(Math.min(...rentPairs.map((p) => p.confidence))).toBeLessThan(Math.max(...rentPairs.map((p) => p.confidence)));
    await f.as.maker('custody.match.confirm', { bankAccountId: f.bankId, pairs: proposals.map(({ bankLineId, entryId }) => ({ bankLineId, entryId })) });
    const groups = await f.raw.all<{ n: number }>(`SELECT group_id, count(*) AS n FROM custody_match_items GROUP BY group_id`);
    expect(groups.every((g) => g.n === 2)).toBe(true);
    expect(await ledgerInvariants(f)).toEqual(NO_VIOLATIONS);
  });

  it('two identical payments on one day and one bank line: one pair, one entry left unmatched', async () => {
    const a = await rent('2026-05-06');
    const b = await rent('2026-05-06');
    await importLines([['HX03', '2026-05-06 14:00:00', '1,234.50', '', '46,296.50', '阳光物业管理有限公司', '转账', '租金']], '五月.csv');
    const { proposals } = await f.as.maker('custody.match.auto', { bankAccountId: f.bankId, from: '2026-05-01', to: '2026-05-31' });
    expect(proposals).toHaveLength(1);
    expect([a.id, b.id]).toContain(proposals[0].entryId);
    expect(proposals[0]).toMatchObject({ alternatives: 1 });
    expect(proposals[0].explanation).toContain('另有 1 笔同额记录可选，请核对');
  });

  it('a bank line quoting the voucher number matches by serial, even with another counterparty and a few days off', async () => {
    const v = await postVoucher(f, { kind: 'disbursement', date: '2026-06-02', amountFen: 88_800, orgId: f.orgIds[0], bankAccountId: f.bankId, counterparty: '某文印店', purpose: '印刷' });
    await importLines([['HX04', '2026-06-04 10:00:00', '888.00', '', '45,408.50', '个体户王某', `付款 ${v.number}`, '印刷费']], '六月.csv');
    const { proposals } = await f.as.maker('custody.match.auto', { bankAccountId: f.bankId, from: '2026-06-01', to: '2026-06-30' });
    expect(proposals).toEqual([expect.objectContaining({ entryId: v.id, rule: 'serial', confidence: 99, dayGap: 2 })]);
    expect(proposals[0].explanation).toContain(`含凭证号 ${v.number}`);
  });
});
