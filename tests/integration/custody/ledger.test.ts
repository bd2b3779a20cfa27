import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusal } from '../../helpers/core';
import { custodyFixture, gbkCsv, ledgerInvariants, NO_VIOLATIONS, postVoucher, rolledBack, type Fixture } from './helpers';

let f: Fixture;
beforeAll(async () => {
  f = await custodyFixture();
});
afterAll(async () => {
  await f?.cleanup();
});

const receipt = (amountFen: number, date = '2026-03-02', orgIdx = 0) => ({
  kind: 'receipt' as const,
  date,
  amountFen,
  orgId: f.orgIds[orgIdx],
  bankAccountId: f.bankId,
  sourceId: f.sourceId,
  counterparty: '武侯区民政局',
  purpose: '公益创投首期拨款',
});

describe('custody ledger end to end through the core', () => {
  it('records, approves and posts a receipt with a sequential number', async () => {
    const a = await postVoucher(f, receipt(5_000_000));
    expect(a.number).toBe('记-2026-03-0001');
    const b = await postVoucher(f, receipt(1_000_000, '2026-03-03', 1));
    expect(b.number).toBe('记-2026-03-0002');
    const accounts = await f.as.viewer('custody.accounts.list', {});
    expect(accounts.map((x) => [x.orgName, x.balanceFen, x.detailCode])).toEqual([
      ['幸福里邻里互助会', 5_000_000, '26010001'],
      ['夕阳红文艺队', 1_000_000, '26010002'],
    ]);
    const detail = await f.as.viewer('custody.vouchers.get', { id: a.id });
    expect(detail.lines.map((l) => [l.accountCode, l.detailCode, l.amountFen])).toEqual([
      ['1002', '10020101', 5_000_000],
      ['2601', '26010001', -5_000_000],
    ]);
    expect(detail.history.length).toBeGreaterThanOrEqual(4);
    expect(await ledgerInvariants(f)).toEqual(NO_VIOLATIONS);
  });

  it('the maker cannot approve, even an admin who made it; roles are enforced', async () => {
    const { id } = await f.as.admin('custody.vouchers.create', receipt(100));
    await f.as.admin('custody.vouchers.submit', { id });
    const e1 = await refusal(f.core, 'custody.vouchers.approve', { id }, f.tokens.admin);
    expect(e1.code).toBe('RULE');
    expect(e1.message).toContain('经办人不能审批');
    const e2 = await refusal(f.core, 'custody.vouchers.approve', { id }, f.tokens.maker);
    expect(e2.code).toBe('FORBIDDEN');
    const e3 = await refusal(f.core, 'custody.vouchers.create', receipt(100), f.tokens.viewer);
    expect(e3.code).toBe('FORBIDDEN');
    await f.as.admin('custody.vouchers.withdraw', { id });
    await f.as.admin('custody.vouchers.delete', { id });
  });

  it('refuses a disbursement beyond the balance or the budget unless an approver overrides with a reason', async () => {
    const over = {
      kind: 'disbursement' as const,
      date: '2026-03-10',
      amountFen: 1_500_000,
      orgId: f.orgIds[1],
      bankAccountId: f.bankId,
      counterparty: '某某音响租赁',
      purpose: '演出设备租赁',
    };
    const { id } = await f.as.maker('custody.vouchers.create', over);
    const preview = await f.as.maker('custody.vouchers.get', { id });
    expect(preview.violations[0]).toContain('夕阳红文艺队 的代管余额将变为 -¥5,000.00');
    await f.as.maker('custody.vouchers.submit', { id });
    await f.as.approver('custody.vouchers.approve', { id });
    const e = await refusal(f.core, 'custody.vouchers.post', { id }, f.tokens.cashier);
    expect(e.code).toBe('RULE');
    expect(e.message).toContain('余额不足');
    const short = await refusal(f.core, 'custody.vouchers.override', { id, reason: '急' }, f.tokens.approver);
    expect(short.message).toContain('理由');
    await f.as.approver('custody.vouchers.override', { id, reason: '区拨款下周到账，先行垫付演出租赁费' });
    const { number } = await f.as.cashier('custody.vouchers.post', { id });
    expect(number).toBe('记-2026-03-0003');
    expect((await f.as.viewer('custody.accounts.list', {})).find((a) => a.orgId === f.orgIds[1])!.balanceFen).toBe(-500_000);
    const audit = await f.raw.all<{ summary: string }>(`SELECT summary FROM audit_log WHERE entity_id = ? ORDER BY id`, id);
    expect(audit.map((a) => a.summary).join('\n')).toContain('特批');

    const budget = {
      kind: 'disbursement' as const,
      date: '2026-03-11',
      amountFen: 100_001,
      orgId: f.orgIds[0],
      bankAccountId: f.bankId,
      budgetLineId: f.lineIds[1],
      counterparty: '张老师',
      purpose: '讲师费',
    };
    const b = await f.as.maker('custody.vouchers.create', budget);
    await f.as.maker('custody.vouchers.submit', { id: b.id });
    await f.as.approver('custody.vouchers.approve', { id: b.id });
    const eb = await refusal(f.core, 'custody.vouchers.post', { id: b.id }, f.tokens.cashier);
    expect(eb.message).toContain('超出预算');
    await f.as.maker('custody.vouchers.withdraw', { id: b.id });
    const read = await f.as.maker('custody.vouchers.get', { id: b.id });
    await f.as.maker('custody.vouchers.update', { ...budget, id: b.id, version: read.voucher.version, amountFen: 100_000 });
    await f.as.maker('custody.vouchers.submit', { id: b.id });
    await f.as.approver('custody.vouchers.approve', { id: b.id });
    await f.as.cashier('custody.vouchers.post', { id: b.id });
    const p = (await f.as.viewer('custody.projects.list', {})).find((x) => x.id === f.projectId)!;
    expect(p.lines[1]).toMatchObject({ spentFen: 100_000, remainingFen: 0 });
    expect(await ledgerInvariants(f)).toEqual(NO_VIOLATIONS);
  });

  it('database triggers refuse changing or deleting posted lines and vouchers', async () => {
    const db = f.raw;
    await expect(db.run(`UPDATE custody_journal SET amount_fen = amount_fen + 1`)).rejects.toThrow('已记账的分录不可修改');
    await expect(db.run(`DELETE FROM custody_journal`)).rejects.toThrow('已记账的分录不可删除');
    await expect(db.run(`UPDATE custody_vouchers SET purpose = 'x' WHERE status = 'posted'`)).rejects.toThrow('已记账的凭证不可修改');
    await expect(db.run(`DELETE FROM custody_vouchers WHERE status = 'posted'`)).rejects.toThrow('已记账的凭证不可删除');
    const v = (await db.get<{ id: string; date: string; period: string }>(`SELECT id, date, period FROM custody_vouchers WHERE status = 'posted' LIMIT 1`))!;
    const addLine = `INSERT INTO custody_journal (voucher_id, line_no, date, period, account_code, amount_fen, bank_account_id) VALUES (?, 99, ?, ?, '1002', 5, ?)`;
    await expect(db.run(addLine, v.id, v.date, v.period, f.bankId)).rejects.toThrow('分录只能随凭证记账写入');
    await expect(db.run(`UPDATE custody_accounts SET balance_fen = balance_fen`)).resolves.toBeGreaterThan(0);
    expect(await ledgerInvariants(f)).toEqual(NO_VIOLATIONS);
  });

  it('the database refuses to post unbalanced lines and to take fractional fen', async () => {
    const { id } = await f.as.maker('custody.vouchers.create', receipt(700));
    await f.as.maker('custody.vouchers.submit', { id });
    await f.as.approver('custody.vouchers.approve', { id });
    const v = (await f.raw.get<{ date: string; period: string }>(`SELECT date, period FROM custody_vouchers WHERE id = ?`, id))!;
    await rolledBack(f.raw, async (db) => {
      await db.run(`INSERT INTO custody_journal (voucher_id, line_no, date, period, account_code, amount_fen, bank_account_id) VALUES (?, 1, ?, ?, '1002', 700, ?)`, id, v.date, v.period, f.bankId);
      const next = (await db.get<{ n: number }>(`SELECT coalesce(max(seq), 0) + 1 AS n FROM custody_vouchers WHERE period = ?`, v.period))!.n;
      await expect(db.run(`UPDATE custody_vouchers SET status = 'posted', seq = ?, number = 'x' WHERE id = ?`, next, id)).rejects.toThrow('借贷不平');
      await expect(db.run(`UPDATE custody_vouchers SET status = 'draft' WHERE id = ?`, id)).rejects.toThrow('只能记账');
      // A fraction of a fen sent as a value is refused (SQLite: the column's typeof CHECK; PostgreSQL: BIGINT input
      // refuses "-699.5"). A fractional literal typed into the SQL text itself PostgreSQL rounds by its assignment
      // cast before any check sees it, so even then the column never holds a fraction.
      await expect(
        db.run(`INSERT INTO custody_journal (voucher_id, line_no, date, period, account_code, amount_fen, org_id) VALUES (?, 2, ?, ?, '2601', ?, ?)`, id, v.date, v.period, -699.5, f.orgIds[0]),
      ).rejects.toThrow();
      // Balanced now; the number must follow the month's last one: no gap, no number taken twice.
      await db.run(`INSERT INTO custody_journal (voucher_id, line_no, date, period, account_code, amount_fen, org_id) VALUES (?, 2, ?, ?, '2601', -700, ?)`, id, v.date, v.period, f.orgIds[0]);
      await expect(db.run(`UPDATE custody_vouchers SET status = 'posted', seq = ?, number = 'x' WHERE id = ?`, next + 1, id)).rejects.toThrow('不能跳号');
      await expect(db.run(`UPDATE custody_vouchers SET status = 'posted', seq = 0, number = 'x' WHERE id = ?`, id)).rejects.toThrow('不能跳号');
      if (next > 1) await expect(db.run(`UPDATE custody_vouchers SET status = 'posted', seq = ?, number = 'x' WHERE id = ?`, next - 1, id)).rejects.toThrow();
      await expect(db.run(`UPDATE custody_vouchers SET status = 'posted', seq = ?, number = 'x' WHERE id = ?`, next, id)).resolves.toBe(1);
    });
    await f.as.maker('custody.vouchers.withdraw', { id });
    await f.as.maker('custody.vouchers.delete', { id });
    expect(await ledgerInvariants(f)).toEqual(NO_VIOLATIONS);
  });
});
