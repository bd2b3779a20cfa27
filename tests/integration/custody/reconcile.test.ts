import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { refusal } from '../../helpers/core';
import { custodyFixture, gbkCsv, ledgerInvariants, NO_VIOLATIONS, postVoucher, type Fixture } from './helpers';

let f: Fixture;
const ids: Record<string, string> = {};
beforeAll(async () => {
  f = await custodyFixture();
  const base = { bankAccountId: f.bankId, sourceId: f.sourceId, counterparty: '武侯区民政局' };
  ids.r1 = (await postVoucher(f, { ...base, kind: 'receipt', date: '2026-03-02', amountFen: 5_000_000, orgId: f.orgIds[0], purpose: '公益创投拨款' })).id;
  ids.r2 = (await postVoucher(f, { ...base, kind: 'receipt', date: '2026-03-03', amountFen: 800_000, orgId: f.orgIds[1], purpose: '社区基金资助', counterparty: '某某社区基金会' })).id;
  ids.d1 = (await postVoucher(f, { ...base, kind: 'disbursement', date: '2026-03-05', amountFen: 123_450, orgId: f.orgIds[0], purpose: '场地租金', counterparty: '阳光物业管理有限公司' })).id;
  ids.d2 = (await postVoucher(f, { ...base, kind: 'disbursement', date: '2026-03-05', amountFen: 123_450, orgId: f.orgIds[0], purpose: '场地租金(二)', counterparty: '阳光物业管理有限公司' })).id;
  // paid by the bank only in April: outstanding on 31 March
  ids.d3 = (await postVoucher(f, { ...base, kind: 'disbursement', date: '2026-03-31', amountFen: 30_000, orgId: f.orgIds[0], purpose: '志愿者补贴', counterparty: '张三' })).id;
});
afterAll(async () => {
  await f?.cleanup();
});

const ICBC_HEADER = ['凭证号', '交易时间', '借方发生额', '贷方发生额', '余额', '对方单位名称', '摘要', '用途'];
const statementRows = [
  ['中国工商银行 账户历史明细'],
  ['账号：4402000000001234'],
  ICBC_HEADER,
  ['', '2026-03-02 09:15:22', '', '50,000.00', '50,000.00', '武侯区民政局', '转账', '公益创投拨款'],
  ['', '2026-03-04 10:00:00', '', '8,000.00', '58,000.00', '某某社区基金会', '转账', '资助'],
  ['', '2026-03-05 14:00:00', '1,234.50', '', '56,765.50', '阳光物业管理有限公司', '转账', '租金'],
  ['', '2026-03-05 14:00:00', '1,234.50', '', '55,531.00', '阳光物业管理有限公司', '转账', '租金'],
  ['', '2026-03-21 00:00:00', '', '3.21', '55,534.21', '', '结息', ''],
  ['', '2026-03-31 00:00:00', '15.00', '', '55,519.21', '', '手续费', ''],
  ['合计', '', '2,484.00', '58,003.21'],
];

describe('reversal', () => {
  it('is dated deliberately, approved by another person, and undoes the original', async () => {
    const e1 = await refusal(f.core, 'custody.vouchers.reverse', { id: ids.r2, date: '2026-03-01', reason: '金额录错' }, f.tokens.maker);
    expect(e1.message).toContain('不能早于');
    const { id } = await f.as.maker('custody.vouchers.reverse', { id: ids.r2, date: '2026-03-04', reason: '重复录入' });
    const again = await refusal(f.core, 'custody.vouchers.reverse', { id: ids.r2, date: '2026-03-04', reason: '重复录入' }, f.tokens.maker);
    expect(again.message).toContain('重复冲销');
    await f.as.maker('custody.vouchers.submit', { id });
    await f.as.approver('custody.vouchers.approve', { id });
    const { number } = await f.as.cashier('custody.vouchers.post', { id });
    const detail = await f.as.viewer('custody.vouchers.get', { id });
    expect(detail.voucher.reversesNumber).toBe('记-2026-03-0002');
    expect(detail.lines.map((l) => l.amountFen)).toEqual([-800_000, 800_000]);
    const orig = await f.as.viewer('custody.vouchers.get', { id: ids.r2 });
    expect(orig.voucher.reversedByNumber).toBe(number);
    const rr = await refusal(f.core, 'custody.vouchers.reverse', { id, date: '2026-03-05', reason: '再冲' }, f.tokens.maker);
    expect(rr.message).toContain('不能再被冲销');
    // Re-record it correctly.
    ids.r2b = (
      await postVoucher(f, { kind: 'receipt', date: '2026-03-04', amountFen: 800_000, orgId: f.orgIds[1], bankAccountId: f.bankId, sourceId: f.sourceId, counterparty: '某某社区基金会', purpose: '社区基金资助' })
    ).id;
    expect(await ledgerInvariants(f)).toEqual(NO_VIOLATIONS);
  });
});

describe('bank statement import', () => {
  it('previews a GBK CSV of 工商银行 with title rows and imports it; a second import adds nothing', async () => {
    const file = { name: '工行明细.csv', base64: gbkCsv(statementRows.map((r) => r.map(String))) };
    const preview = await f.as.maker('custody.statements.preview', { bankAccountId: f.bankId, file });
    expect(preview.encoding).toBe('gb18030');
    expect(preview.formatId).toBe('icbc');
    expect(preview.issues, JSON.stringify(preview.issues)).toEqual([]);
    expect(preview.balanceBreaks).toEqual([]);
    expect(preview.newCount).toBe(6);
    expect(preview.lines.filter((l) => l.amountFen === -123_450)).toHaveLength(2);
    const first = await f.as.maker('custody.statements.import', { bankAccountId: f.bankId, file });
    expect(first).toMatchObject({ added: 6, duplicates: 0 });
    const second = await f.as.maker('custody.statements.import', { bankAccountId: f.bankId, file });
    expect(second).toMatchObject({ added: 0, duplicates: 6, importId: null });
    const again = await f.as.maker('custody.statements.preview', { bankAccountId: f.bankId, file });
    expect(again.lines.every((l) => l.duplicate)).toBe(true);
  });

  it('the same statement as xlsx adds nothing either', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('明细');
    ws.addRow(['中国工商银行 账户历史明细']);
    ws.addRow(ICBC_HEADER);
    ws.addRow(['', '2026-03-02 09:15:22', null, 50000, 50000, '武侯区民政局', '转账', '公益创投拨款']);
    ws.addRow(['', '2026-03-05 14:00:00', 1234.5, null, 56765.5, '阳光物业管理有限公司', '转账', '租金']);
    const base64 = Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
    const r = await f.as.maker('custody.statements.import', { bankAccountId: f.bankId, file: { name: 'a.xlsx', base64 } });
    expect(r).toMatchObject({ added: 0, duplicates: 2 });
  });

  it('refuses a statement with bad cells, naming row and column, and writes nothing', async () => {
    const bad = [ICBC_HEADER, ['', '2026-03-06', '1,23.4', '', '', '', '', ''], ['', '2026-02-30', '', '5.00', '', '', '', '']];
    const file = { name: 'bad.csv', base64: gbkCsv(bad) };
    const e = await refusal(f.core, 'custody.statements.import', { bankAccountId: f.bankId, file }, f.tokens.maker);
    expect(e.code).toBe('VALIDATION');
    expect(e.issues).toEqual([
      expect.objectContaining({ row: 2, path: '借方发生额' }),
      expect.objectContaining({ row: 3, path: '交易时间' }),
    ]);
    const n = (await f.raw.get<{ n: number }>(`SELECT count(*) AS n FROM custody_statement_lines`))!;
    expect(n.n).toBe(6);
  });
});

describe('matching and the 银行存款余额调节表', () => {
  it('auto-matches by amount and date, keeps two equal payments apart, and reconciles', async () => {
    const { proposals } = await f.as.maker('custody.match.auto', { bankAccountId: f.bankId, from: '2026-03-01', to: '2026-03-31' });
    // 50,000 ↔ r1; 8,000 ↔ r2b (the reversed r2 and its reversal are not offered twice); two 1,234.50 ↔ d1, d2.
    expect(proposals).toHaveLength(4);
    expect(new Set(proposals.map((p) => p.entryId))).toEqual(new Set([ids.r1, ids.r2b, ids.d1, ids.d2]));
    await f.as.maker('custody.match.confirm', { bankAccountId: f.bankId, pairs: proposals.map(({ bankLineId, entryId }) => ({ bankLineId, entryId })) });
    const dup = await refusal(f.core, 'custody.match.confirm', { bankAccountId: f.bankId, pairs: [proposals[0]] }, f.tokens.maker);
    expect(dup.message).toContain('已经勾对');

    // r2 and its reversal cancel out: match them to each other by hand (no bank line) is refused; the accountant
    // matches the pair against nothing — instead, they stay as offsetting outstanding items.
    const rec = await f.as.viewer('custody.reconcile', { bankAccountId: f.bankId, asOf: '2026-03-31' });
    expect(rec.ledgerBalanceFen).toBe(5_000_000 + 800_000 - 800_000 + 800_000 - 246_900 - 30_000);
    expect(rec.bankBalanceFen).toBe(5_551_921);
    expect(rec.bankInNotLedger.map((x) => x.amountFen)).toEqual([321]);
    expect(rec.bankOutNotLedger.map((x) => x.amountFen)).toEqual([-1500]);
    expect(rec.ledgerOutNotBank.map((x) => x.amountFen).sort()).toEqual([-800_000, -30_000].sort());
    expect(rec.ledgerInNotBank.map((x) => x.amountFen)).toEqual([800_000]);
    expect(rec.adjustedLedgerFen).toBe(rec.adjustedBankFen);
    expect(rec.agrees).toBe(true);
    const printed = await f.as.viewer('custody.reconcile.print', { bankAccountId: f.bankId, asOf: '2026-03-31' });
    expect(printed.fileName).toBe('银行存款余额调节表_2026-03-31.pdf');
    expect(printed.html).toContain('调节后两方余额相符');
    expect(printed.html).toContain('55,519.21');
  });

  it('matches one bank line to several vouchers by hand and unmatches', async () => {
    const data = await f.as.viewer('custody.match.data', { bankAccountId: f.bankId, from: '2026-03-01', to: '2026-03-31' });
    const rev = data.entries.filter((e) => e.groupId === null && Math.abs(e.amountFen) === 800_000);
    expect(rev).toHaveLength(2);
    const bad = await refusal(f.core, 'custody.match.manual', { bankAccountId: f.bankId, bankLineIds: [data.bankLines.find((l) => l.amountFen === 321)!.id], entryIds: [rev[0].id] }, f.tokens.maker);
    expect(bad.message).toContain('金额不相等');
    const fee = data.bankLines.find((l) => l.amountFen === -1500)!;
    // record the bank fee and interest, then match
    const feeV = await postVoucher(f, { kind: 'disbursement', date: '2026-03-31', amountFen: 1500, orgId: f.orgIds[0], bankAccountId: f.bankId, purpose: '银行手续费', counterparty: '' });
    const intV = await postVoucher(f, { kind: 'receipt', date: '2026-03-21', amountFen: 321, orgId: f.orgIds[0], bankAccountId: f.bankId, purpose: '利息收入', counterparty: '' });
    const interest = data.bankLines.find((l) => l.amountFen === 321)!;
    const { groupId } = await f.as.maker('custody.match.manual', { bankAccountId: f.bankId, bankLineIds: [fee.id, interest.id], entryIds: [feeV.id, intV.id] });
    await f.as.maker('custody.match.unmatch', { groupId });
    await f.as.maker('custody.match.manual', { bankAccountId: f.bankId, bankLineIds: [fee.id], entryIds: [feeV.id] });
    await f.as.maker('custody.match.manual', { bankAccountId: f.bankId, bankLineIds: [interest.id], entryIds: [intV.id] });
    const rec = await f.as.viewer('custody.reconcile', { bankAccountId: f.bankId, asOf: '2026-03-31' });
    expect(rec.bankInNotLedger).toEqual([]);
    expect(rec.bankOutNotLedger).toEqual([]);
    expect(rec.agrees).toBe(true);
    expect(await ledgerInvariants(f)).toEqual(NO_VIOLATIONS);
  });

  it('closes March when it reconciles; a closed month accepts nothing; reopening is an admin act with a reason', async () => {
    const pending = await f.as.maker('custody.vouchers.create', { kind: 'receipt', date: '2026-03-15', amountFen: 1, orgId: f.orgIds[0], bankAccountId: f.bankId, purpose: '测试' });
    const e1 = await refusal(f.core, 'custody.periods.close', { period: '2026-03' }, f.tokens.maker);
    expect(e1.message).toContain('未记账');
    await f.as.maker('custody.vouchers.delete', { id: pending.id });
    await f.as.maker('custody.periods.close', { period: '2026-03' });
    const closed = await refusal(f.core, 'custody.vouchers.create', { kind: 'receipt', date: '2026-03-20', amountFen: 1, orgId: f.orgIds[0], bankAccountId: f.bankId, purpose: '补录' }, f.tokens.maker);
    expect(closed.message).toContain('已结账');
    const rev = await refusal(f.core, 'custody.vouchers.reverse', { id: ids.d3, date: '2026-03-31', reason: '错误' }, f.tokens.maker);
    expect(rev.message).toContain('已结账');
    const unmatchClosed = (await f.raw.get<{ group_id: string }>(`SELECT group_id FROM custody_match_items LIMIT 1`))!;
    const um = await refusal(f.core, 'custody.match.unmatch', { groupId: unmatchClosed.group_id }, f.tokens.maker);
    expect(um.message).toContain('已结账');
    await expect(f.raw.run(`INSERT INTO custody_vouchers (id, kind, status, date, period, amount_fen, maker_id, created_at, updated_at) VALUES ('x', 'receipt', 'draft', '2026-03-09', '2026-03', 1, 'u', 'now', 'now')`)).rejects.toThrow('已结账');
    // A reversal dated in April is fine.
    const { id } = await f.as.maker('custody.vouchers.reverse', { id: ids.d3, date: '2026-04-01', reason: '志愿者补贴取消' });
    expect(id).toBeTruthy();
    const e2 = await refusal(f.core, 'custody.periods.reopen', { period: '2026-03', reason: '补录遗漏的银行手续费' }, f.tokens.maker);
    expect(e2.code).toBe('FORBIDDEN');
    const e3 = await refusal(f.core, 'custody.periods.reopen', { period: '2026-03', reason: '补录' }, f.tokens.admin);
    expect(e3.code).toBe('VALIDATION');
    await f.as.admin('custody.periods.reopen', { period: '2026-03', reason: '补录遗漏的银行手续费' });
    const periods = await f.as.viewer('custody.periods.list', {});
    expect(periods.find((p) => p.period === '2026-03')).toMatchObject({ closed: false, reopenReason: '补录遗漏的银行手续费' });
    const audit = await f.raw.all<{ summary: string }>(`SELECT summary FROM audit_log WHERE entity = 'custody_period' ORDER BY id`);
    expect(audit.map((a) => a.summary)).toEqual(['结账 2026-03', '反结账 2026-03，理由：补录遗漏的银行手续费']);
  });

  it('prints and exports the statement of an organization', async () => {
    const s = await f.as.viewer('custody.orgStatement', { orgId: f.orgIds[0], from: '2026-03-01', to: '2026-03-31' });
    expect(s.openingFen).toBe(0);
    expect(s.closingFen).toBe(5_000_000 - 246_900 - 30_000 - 1500 + 321);
    expect(s.rows[0]).toMatchObject({ voucherNo: '记-2026-03-0001', inFen: 5_000_000 });
    const p = await f.as.viewer('custody.orgStatement.print', { orgId: f.orgIds[0], from: '2026-03-01', to: '2026-03-31' });
    expect(p.html).toContain('幸福里邻里互助会');
    expect(p.html).toContain('50,000.00');
    const x = await f.as.viewer('custody.orgStatement.export', { orgId: f.orgIds[0], from: '2026-03-01', to: '2026-03-31' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(x.base64, 'base64') as never);
    const ws = wb.worksheets[0];
    const closing = ws.getRow(ws.rowCount - 2);
    expect(closing.getCell(3).value).toBe('期末余额');
    expect(closing.getCell(8).value).toBe(s.closingFen);
    const v = await f.as.viewer('custody.vouchers.print', { ids: [ids.r1] });
    expect(v.html).toContain('记-2026-03-0001');
    const ex = await f.as.viewer('custody.vouchers.export', { from: '2026-03-01', to: '2026-03-31' });
    expect(ex.fileName).toContain('.xlsx');
    // For the general accounting software: one row per journal line with the standard account codes and the
    // amount in integer 分, so each voucher sums to zero.
    const vwb = new ExcelJS.Workbook();
    await vwb.xlsx.load(Buffer.from(ex.base64, 'base64') as never);
    const vs = vwb.worksheets[0];
    expect(vs.getRow(2).values).toEqual([undefined, '日期', '凭证号', '摘要', '科目编码', '科目名称', '本系统科目编码', '本系统科目名称', '借方金额', '贷方金额', '金额(分,借正贷负)', '对方单位']);
    const perVoucher = new Map<string, number>();
    const codes = new Set<string>();
    for (let r = 3; r <= vs.rowCount; r++) {
      const row = vs.getRow(r);
      perVoucher.set(String(row.getCell(2).value), (perVoucher.get(String(row.getCell(2).value)) ?? 0) + Number(row.getCell(10).value));
      codes.add(String(row.getCell(6).value));
    }
    const posted = await f.raw.all<{ number: string }>(`SELECT number FROM custody_vouchers WHERE period = '2026-03' AND status = 'posted' ORDER BY seq`);
    expect([...perVoucher.keys()].sort()).toEqual(posted.map((x) => x.number).sort());
    expect([...perVoucher.values()].every((sum) => sum === 0)).toBe(true);
    expect(codes).toContain('10020101');
    expect(codes).toContain('26010001');
    // The month's vouchers printed for binding, in number order.
    const month = await f.as.viewer('custody.vouchers.printPeriod', { period: '2026-03' });
    expect(month.fileName).toBe(`记账凭证_2026-03_${posted.length}张.pdf`);
    const at = posted.map((x) => month.html.indexOf(`凭证号：${x.number}`));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    const none = await refusal(f.core, 'custody.vouchers.printPeriod', { period: '2025-02' }, f.tokens.viewer);
    expect(none.message).toContain('没有已记账的凭证');
    const rx = await f.as.viewer('custody.reconcile.export', { bankAccountId: f.bankId, asOf: '2026-03-31' });
    expect(rx.base64.length).toBeGreaterThan(100);
    const sx = await f.as.viewer('custody.summary.export', { from: '2026-01-01', to: '2026-12-31' });
    expect(sx.base64.length).toBeGreaterThan(100);
  });
});
