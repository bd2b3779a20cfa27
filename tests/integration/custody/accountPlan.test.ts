import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountPlanIssues } from '@shared/custody/accounts';
import { validateVoucherLines } from '@shared/custody/voucher';
import { refusal } from '../../helpers/core';
import { custodyFixture, postVoucher, type Fixture } from './helpers';

/**
 * The hub's own money and custodied money never share an account (《民间非营利组织会计制度》): 1002 银行存款·受托代理
 * 资产 only against 2601/2209 per organization, the hub's own income (4301 提供服务收入 …) on its own accounts.
 */
let f: Fixture;
let ownBankId: string;
beforeAll(async () => {
  f = await custodyFixture();
  ownBankId = (
    await f.as.maker('custody.bankAccounts.save', {
      name: '基本户（自有资金）',
      bankName: '农业银行',
      accountNo: '6228 0000 0000 9999',
      formatId: 'abc',
      openingDate: '2026-01-01',
      bankOpeningFen: 0,
      holds: 'own',
    })
  ).id;
});
afterAll(async () => {
  await f?.cleanup();
});

describe('account plan', () => {
  it('lists each bank account with its role and detail code: 受托代理资产 01, 本机构资金 02', async () => {
    const o = await f.as.viewer('custody.overview', {});
    expect(o.bankAccounts.map((b) => [b.holds, b.detailCode])).toEqual([
      ['custody', '10020101'],
      ['own', '10020202'],
    ]);
  });

  it("refuses the hub's own income (4301) on the custody account, with a Chinese message naming the account", async () => {
    const e = await refusal(
      f.core,
      'custody.vouchers.create',
      { kind: 'income', date: '2026-02-01', amountFen: 80_000, bankAccountId: f.bankId, revenueCode: '4301', purpose: '政府购买服务结算' },
      f.tokens.maker,
    );
    expect(e.code).toBe('VALIDATION');
    expect(e.message).toContain('代管资金专户（1002 银行存款·受托代理资产）');
    expect(e.message).toContain('本机构收入请选择本机构自有账户');
  });

  it("posts the hub's own income on its own account, and keeps it out of every organization's balance", async () => {
    const { number } = await postVoucher(f, { kind: 'income', date: '2026-02-01', amountFen: 80_000, bankAccountId: ownBankId, revenueCode: '4301', purpose: '政府购买服务结算' });
    expect(number).toMatch(/^记-2026-02-/);
    const lines = await f.raw.all(`SELECT j.account_code, j.org_id, j.bank_account_id FROM custody_journal j JOIN custody_vouchers v ON v.id = j.voucher_id WHERE v.number = ? ORDER BY j.line_no`, number);
    expect(lines).toEqual([
      { account_code: '1002', org_id: null, bank_account_id: ownBankId },
      { account_code: '4301', org_id: null, bank_account_id: null },
    ]);
    const accounts = await f.as.viewer('custody.accounts.list', {});
    expect(accounts.every((a) => a.balanceFen === 0)).toBe(true);
  });

  it('refuses custodied money on the own account', async () => {
    const e = await refusal(f.core, 'custody.vouchers.create', { kind: 'receipt', date: '2026-02-02', amountFen: 1_000, orgId: f.orgIds[0], bankAccountId: ownBankId, purpose: '拨款' }, f.tokens.maker);
    expect(e.message).toContain('是本机构自有账户，代管资金的收支请选择代管资金专户');
  });

  it("refuses 4301 posted against an organization's 受托代理 sub-account (the shared rules)", () => {
    const lines = [
      { accountCode: '2601', amountFen: 5_000, orgId: f.orgIds[0] },
      { accountCode: '4301', amountFen: -5_000, orgId: f.orgIds[0] },
    ];
    expect(validateVoucherLines(lines).map((i) => i.message)).toEqual(['第 2 条分录：4301 提供服务收入是本机构的账目，不能记入组织的受托代理明细账']);
    const bank = (id: string) => (id === ownBankId ? { name: '基本户', holds: 'own' as const } : { name: '代管资金专户', holds: 'custody' as const });
    expect(accountPlanIssues(lines, bank)).toEqual(['第 2 条分录：4301 提供服务收入是本机构的收入，不能记入组织的受托代理明细账']);
    expect(accountPlanIssues([{ accountCode: '1002', amountFen: 5_000, bankAccountId: f.bankId }, { accountCode: '4301', amountFen: -5_000 }], bank)[0]).toContain(
      '只能与受托代理负债（2601/2209）对应；4301 提供服务收入是本机构的账目',
    );
    expect(accountPlanIssues([{ accountCode: '1002', amountFen: 5_000, bankAccountId: f.bankId }, { accountCode: '2601', amountFen: -5_000, orgId: 'x' }], bank)).toEqual([]);
  });

  it("the database refuses 4301 on an organization's line and a custody bank line against income, even past the service", async () => {
    const now = new Date().toISOString();
    await f.raw.run(
      `INSERT INTO custody_vouchers (id, kind, status, date, period, amount_fen, bank_account_id, revenue_code, counterparty, purpose, attachments, maker_id, created_at, updated_at)
       VALUES ('v-mixed', 'income', 'approved', '2026-03-03', '2026-03', 700, ?, '4301', '', '混记测试', 0, (SELECT id FROM users WHERE username = 'wangfang'), ?, ?)`,
      f.bankId,
      now,
      now,
    );
    // A 4301 line naming an organization is refused by the database whatever the caller did.
    await expect(
      f.raw.run(`INSERT INTO custody_journal (voucher_id, line_no, date, period, account_code, amount_fen, org_id) VALUES ('v-mixed', 1, '2026-03-03', '2026-03', '4301', -700, ?)`, f.orgIds[0]),
    ).rejects.toThrow('本机构收入、费用科目不能记入组织的受托代理明细账');
    const post = f.raw.tx(async (db) => {
      await db.run(`INSERT INTO custody_journal (voucher_id, line_no, date, period, account_code, amount_fen, bank_account_id) VALUES ('v-mixed', 1, '2026-03-03', '2026-03', '1002', 700, ?)`, f.bankId);
      await db.run(`INSERT INTO custody_journal (voucher_id, line_no, date, period, account_code, amount_fen) VALUES ('v-mixed', 2, '2026-03-03', '2026-03', '4301', -700)`);
      const seq = ((await db.get<{ m: number | null }>(`SELECT max(seq) AS m FROM custody_vouchers WHERE period = '2026-03'`))!.m ?? 0) + 1;
      await db.run(`UPDATE custody_vouchers SET status = 'posted', seq = ?, number = ? WHERE id = 'v-mixed'`, seq, `记-2026-03-${String(seq).padStart(4, '0')}`);
    });
    await expect(post).rejects.toThrow('代管资金专户（受托代理资产）只能与受托代理负债（2601/2209）对应');
  });

  it('an account with postings keeps its role', async () => {
    const o = await f.as.viewer('custody.overview', {});
    const own = o.bankAccounts.find((b) => b.id === ownBankId)!;
    const e = await refusal(
      f.core,
      'custody.bankAccounts.save',
      { id: own.id, name: own.name, bankName: own.bankName, accountNo: own.accountNo, formatId: own.formatId, openingDate: own.openingDate, bankOpeningFen: own.bankOpeningFen, holds: 'custody' },
      f.tokens.maker,
    );
    expect(e.message).toContain('不能再把账户性质从「本机构自有账户」改为「代管资金专户（受托代理资产）」');
  });
});
