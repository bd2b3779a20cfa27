import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { accountPlanIssues } from '@shared/custody/accounts';
import { custodyFixture, postVoucher, type Fixture } from './helpers';

/**
 * The account plan as a hub setting with sane defaults: a bank account saved without a role is the 代管资金专户
 * (1002 银行存款·受托代理资产), an organization's account opened without a liability code is 2601 受托代理负债; an
 * organization can be kept on 2209 其他应付款 instead, and its money then posts, balances, prints and exports on 2209.
 */
let f: Fixture;
beforeAll(async () => {
  f = await custodyFixture();
});
afterAll(async () => {
  await f?.cleanup();
});

describe('account plan defaults and 2209 其他应付款 per organization', () => {
  it('defaults: the bank account holds custodied money, organizations are on 2601', async () => {
    const o = await f.as.viewer('custody.overview', {});
    expect(o.bankAccounts.map((b) => [b.holds, b.detailCode])).toEqual([['custody', '10020101']]);
    const accounts = await f.as.viewer('custody.accounts.list', {});
    expect(accounts.map((a) => [a.orgId, a.liabilityCode, a.detailCode])).toEqual([
      [f.orgIds[0], '2601', '26010001'],
      [f.orgIds[1], '2601', '26010002'],
    ]);
  });

  it('an organization on 2209: receipts and payments post on 2209 against 1002, its statement and the 用友 export show it', async () => {
    const opened = await f.as.maker('custody.accounts.open', { orgId: f.orgIds[2], openedOn: '2026-01-01', liabilityCode: '2209' });
    expect(opened.detailCode).toBe('22090003');
    const inV = await postVoucher(f, { kind: 'receipt', date: '2026-03-02', amountFen: 50_000, orgId: f.orgIds[2], bankAccountId: f.bankId, purpose: '会费代收' });
    await postVoucher(f, { kind: 'disbursement', date: '2026-03-05', amountFen: 12_000, orgId: f.orgIds[2], bankAccountId: f.bankId, purpose: '活动支出' });
    const lines = await f.raw.all(
      `SELECT j.account_code, j.amount_fen, j.org_id, j.bank_account_id FROM custody_journal j JOIN custody_vouchers v ON v.id = j.voucher_id WHERE v.number = ? ORDER BY j.line_no`,
      inV.number,
    );
    expect(lines).toEqual([
      { account_code: '1002', amount_fen: 50_000, org_id: null, bank_account_id: f.bankId },
      { account_code: '2209', amount_fen: -50_000, org_id: f.orgIds[2], bank_account_id: null },
    ]);
    const account = (await f.as.viewer('custody.accounts.list', {})).find((a) => a.orgId === f.orgIds[2])!;
    expect(account.balanceFen).toBe(38_000);
    const s = await f.as.viewer('custody.orgStatement', { orgId: f.orgIds[2], from: '2026-03-01', to: '2026-03-31' });
    expect([s.openingFen, s.totalInFen, s.totalOutFen, s.closingFen]).toEqual([0, 50_000, 12_000, 38_000]);
    const file = await f.as.viewer('custody.vouchers.export', { format: 'yonyou', from: '2026-03-01', to: '2026-03-31' });
    const text = iconv.decode(Buffer.from(file.base64, 'base64'), 'gbk');
    expect(text).toContain(',会费代收,22090003,0,500.00,');
    expect(text).toContain(',活动支出,22090003,120.00,0,');
    // The hub's own income is refused on 2209 as on 2601: custodied money only against 1002 受托代理资产.
    const bank = () => ({ name: '工商银行基本户', holds: 'custody' as const });
    expect(accountPlanIssues([{ accountCode: '2209', amountFen: 700, orgId: f.orgIds[2] }, { accountCode: '4301', amountFen: -700, orgId: f.orgIds[2] }], bank)).toEqual([
      '第 2 条分录：4301 提供服务收入是本机构的收入，不能记入组织的受托代理明细账',
    ]);
    expect(accountPlanIssues([{ accountCode: '1002', amountFen: 700, bankAccountId: f.bankId }, { accountCode: '2209', amountFen: -700, orgId: f.orgIds[2] }], bank)).toEqual([]);
  });
});
