import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusal } from '../../helpers/core';
import { custodyFixture, gbkCsv, ledgerInvariants, NO_VIOLATIONS, postVoucher, type Fixture } from './helpers';

/**
 * Hand-made match groups as they happen: one bank payment covering several vouchers (a batch transfer), one
 * voucher received in two instalments, and a payment the bank executed only in the next month, which stays
 * outstanding on the month-end reconciliation until then.
 */
let f: Fixture;
const v: Record<string, string> = {};
let lines: { id: string; date: string; amountFen: number }[] = [];

beforeAll(async () => {
  f = await custodyFixture();
  const base = { bankAccountId: f.bankId, orgId: f.orgIds[0] };
  v.grant = (await postVoucher(f, { ...base, kind: 'receipt', date: '2026-03-02', amountFen: 100_000, counterparty: '武侯区民政局', purpose: '项目拨款' })).id;
  v.feeA = (await postVoucher(f, { ...base, kind: 'disbursement', date: '2026-03-10', amountFen: 30_000, counterparty: '张三', purpose: '志愿者补贴（张三）' })).id;
  v.feeB = (await postVoucher(f, { ...base, kind: 'disbursement', date: '2026-03-10', amountFen: 20_000, counterparty: '李四', purpose: '志愿者补贴（李四）' })).id;
  v.late = (await postVoucher(f, { ...base, kind: 'disbursement', date: '2026-03-31', amountFen: 5_000, counterparty: '快印店', purpose: '宣传印刷' })).id;
  const header = ['交易时间', '借方发生额', '贷方发生额', '余额', '对方单位名称', '摘要'];
  const rows = [
    ['中国工商银行 账户历史明细'],
    header,
    ['2026-03-02 10:00:00', '', '600.00', '600.00', '武侯区民政局', '拨款（第一笔）'],
    ['2026-03-03 10:00:00', '', '400.00', '1,000.00', '武侯区民政局', '拨款（第二笔）'],
    ['2026-03-11 09:00:00', '500.00', '', '500.00', '', '代发志愿者补贴（批量）'],
    ['2026-04-02 09:00:00', '50.00', '', '450.00', '快印店', '印刷费'],
  ];
  await f.as.maker('custody.statements.import', { bankAccountId: f.bankId, file: { name: 'icbc.csv', base64: gbkCsv(rows) } });
  lines = (await f.as.viewer('custody.match.data', { bankAccountId: f.bankId, from: '2026-03-01', to: '2026-04-30' })).bankLines;
});
afterAll(async () => {
  await f?.cleanup();
});

const line = (amountFen: number, date?: string) => lines.find((l) => l.amountFen === amountFen && (!date || l.date === date))!.id;

describe('hand-made match groups', () => {
  it('auto-matching proposes none of them: no single line has the amount of a single voucher', async () => {
    const { proposals } = await f.as.maker('custody.match.auto', { bankAccountId: f.bankId, from: '2026-03-01', to: '2026-04-30' });
    expect(proposals.filter((p) => p.entryId !== v.late)).toEqual([]);
  });

  it('one batch payment covers two vouchers, and one voucher arrives in two instalments', async () => {
    const batch = await f.as.maker('custody.match.manual', { bankAccountId: f.bankId, bankLineIds: [line(-50_000)], entryIds: [v.feeA, v.feeB] });
    const parts = await f.as.maker('custody.match.manual', { bankAccountId: f.bankId, bankLineIds: [line(60_000), line(40_000)], entryIds: [v.grant] });
    expect(batch.groupId).not.toBe(parts.groupId);
    const data = await f.as.viewer('custody.match.data', { bankAccountId: f.bankId, from: '2026-03-01', to: '2026-03-31' });
    expect(data.entries.filter((e) => e.groupId === batch.groupId).map((e) => e.id).sort()).toEqual([v.feeA, v.feeB].sort());
    expect(data.bankLines.filter((l) => l.groupId === parts.groupId)).toHaveLength(2);
    // Nothing is matched twice, and the sums must agree.
    const twice = await refusal(f.core, 'custody.match.manual', { bankAccountId: f.bankId, bankLineIds: [line(-50_000)], entryIds: [v.feeA, v.feeB] }, f.tokens.maker);
    expect(twice.code).toBe('RULE');
    expect(twice.message).toContain('已经勾对');
    const viewer = await refusal(f.core, 'custody.match.manual', { bankAccountId: f.bankId, bankLineIds: [line(-5_000)], entryIds: [v.late] }, f.tokens.viewer);
    expect(viewer.code).toBe('FORBIDDEN');
  });

  it('a payment the bank made next month is outstanding at the month end, and settled after', async () => {
    await f.as.maker('custody.match.manual', { bankAccountId: f.bankId, bankLineIds: [line(-5_000)], entryIds: [v.late] });
    const march = await f.as.viewer('custody.reconcile', { bankAccountId: f.bankId, asOf: '2026-03-31' });
    expect(march.ledgerBalanceFen).toBe(100_000 - 30_000 - 20_000 - 5_000);
    expect(march.bankBalanceFen).toBe(50_000);
    expect(march.ledgerOutNotBank.map((x) => [x.date, x.amountFen])).toEqual([['2026-03-31', -5_000]]);
    expect([march.bankInNotLedger, march.bankOutNotLedger, march.ledgerInNotBank]).toEqual([[], [], []]);
    expect(march.agrees).toBe(true);
    const april = await f.as.viewer('custody.reconcile', { bankAccountId: f.bankId, asOf: '2026-04-30' });
    expect([april.ledgerInNotBank, april.ledgerOutNotBank, april.bankInNotLedger, april.bankOutNotLedger]).toEqual([[], [], [], []]);
    expect(april.ledgerBalanceFen).toBe(april.bankBalanceFen);
  });

  it('once March is closed its matches cannot be undone, even by a raw DELETE', async () => {
    await f.as.maker('custody.periods.close', { period: '2026-03' });
    const data = await f.as.viewer('custody.match.data', { bankAccountId: f.bankId, from: '2026-03-01', to: '2026-03-31' });
    const groupId = data.entries.find((e) => e.id === v.feeA)!.groupId!;
    const e = await refusal(f.core, 'custody.match.unmatch', { groupId }, f.tokens.maker);
    expect(e.code).toBe('RULE');
    expect(e.message).toContain('已结账');
    await expect(f.raw.run(`DELETE FROM custody_match_items WHERE group_id = ?`, groupId)).rejects.toThrow(/已结账/);
    expect(await ledgerInvariants(f)).toEqual(NO_VIOLATIONS);
  });
});
