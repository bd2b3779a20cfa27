import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { budgetVsActual, buildOrgStatement, formatBasisPoints } from '@shared/custody/reports';
import { escapeHtml, orgStatementHtml, reconciliationHtml, summaryHtml, voucherHtml } from '@shared/custody/print';

describe('代管资金对账单', () => {
  const movements = [
    { date: '2026-03-20', voucherId: 'v3', voucherNo: '记-2026-03-0003', summary: '支付场地费', counterparty: '阳光物业', amountFen: -123450, kind: 'disbursement' },
    { date: '2026-03-02', voucherId: 'v1', voucherNo: '记-2026-03-0001', summary: '公益创投拨款', counterparty: '区民政局', amountFen: 5000000, kind: 'receipt' },
  ];
  it('runs the balance from the opening to the closing in date order', () => {
    const s = buildOrgStatement({ from: '2026-03-01', to: '2026-03-31', openingFen: 10000, movements });
    expect(s.rows.map((r) => [r.voucherNo, r.inFen, r.outFen, r.balanceFen])).toEqual([
      ['记-2026-03-0001', 5000000, 0, 5010000],
      ['记-2026-03-0003', 0, 123450, 4886550],
    ]);
    expect([s.totalInFen, s.totalOutFen, s.closingFen]).toEqual([5000000, 123450, 4886550]);
  });
  it('folds openings into 期初 and nets a reversal in the column of the entry it reverses', () => {
    const s = buildOrgStatement({
      from: '2026-03-01',
      to: '2026-03-31',
      openingFen: 0,
      movements: [
        { date: '2026-03-01', voucherId: 'o', voucherNo: '记-2026-03-0001', summary: '期初余额结转', counterparty: '', amountFen: 80000, kind: 'opening' },
        { date: '2026-03-05', voucherId: 'p', voucherNo: '记-2026-03-0002', summary: '付款', counterparty: '', amountFen: -3000, kind: 'disbursement' },
        { date: '2026-03-09', voucherId: 'r', voucherNo: '记-2026-03-0003', summary: '冲销', counterparty: '', amountFen: 3000, kind: 'reversal', reversesId: 'p', reversesNo: '记-2026-03-0002', reversedKind: 'disbursement' },
      ],
    });
    expect([s.openingFen, s.totalInFen, s.totalOutFen, s.closingFen]).toEqual([80000, 0, 0, 80000]);
    expect(s.rows.map((r) => [r.voucherNo, r.inFen, r.outFen, r.pair, r.pairNo, r.pairIndex])).toEqual([
      ['记-2026-03-0002', 0, 3000, 'reversed', '记-2026-03-0003', 1],
      ['记-2026-03-0003', 0, -3000, 'reversal', '记-2026-03-0002', 1],
    ]);
  });
  it('refuses movements outside the period and a reversed period', () => {
    expect(() => buildOrgStatement({ from: '2026-03-05', to: '2026-03-31', openingFen: 0, movements })).toThrow('不在对账期间');
    expect(() => buildOrgStatement({ from: '2026-04-01', to: '2026-03-31', openingFen: 0, movements: [] })).toThrow();
  });
  it('property: closing = opening + in − out', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.array(fc.integer({ min: -1e9, max: 1e9 }).filter((x) => x !== 0), { maxLength: 50 }), (opening, amounts) => {
        const s = buildOrgStatement({
          from: '2026-01-01',
          to: '2026-12-31',
          openingFen: opening,
          movements: amounts.map((a, i) => ({ date: '2026-06-01', voucherId: `v${i}`, voucherNo: `记-2026-06-${String(i + 1).padStart(4, '0')}`, summary: '', counterparty: '', amountFen: a, kind: a > 0 ? 'receipt' : 'disbursement' })),
        });
        return s.closingFen === opening + s.totalInFen - s.totalOutFen && (s.rows.length === 0 || s.rows[s.rows.length - 1].balanceFen === s.closingFen);
      }),
    );
  });
  it('prints an escaped A4 page with the amounts and the upper-case closing balance', () => {
    const s = buildOrgStatement({ from: '2026-03-01', to: '2026-03-31', openingFen: 10000, movements });
    const html = orgStatementHtml({ hubName: '某街道<孵化基地>', orgName: '幸福里互助会', accountCode: '26010001', statement: s, printedOn: '2026-04-01' });
    expect(html).toContain('<!DOCTYPE html>');
    expect(html).toContain('代管资金对账单');
    expect(html).toContain('某街道&lt;孵化基地&gt;');
    expect(html).toContain('50,000.00');
    expect(html).toContain('48,865.50');
    expect(html).toContain('肆万捌仟捌佰陆拾伍元伍角整');
    expect(html).not.toMatch(/<script/i);
  });
});

describe('记账凭证 print', () => {
  it('shows debit and credit columns, totals and signatures', () => {
    const html = voucherHtml([
      {
        hubName: '孵化基地',
        number: '记-2026-03-0007',
        date: '2026-03-05',
        attachments: 2,
        lines: [
          { summary: '支付场地费', account: '2601 受托代理负债', detail: '26010001 受托代理负债—幸福里互助会', amountFen: 123450 },
          { summary: '支付场地费', account: '1002 银行存款', detail: '10020101 银行存款—工行—受托代理资产', amountFen: -123450 },
        ],
        makerName: '王会计',
        approverName: '李主任',
        posterName: '赵出纳',
        statusLabel: '已记账',
        reversalOf: null,
        overrideReason: '下周拨款到账，先行垫付',
      },
    ]);
    expect(html).toContain('记-2026-03-0007');
    expect(html).toContain('2026年03月05日');
    expect(html.match(/1,234\.50/g)?.length).toBe(4);
    expect(html).toContain('壹仟贰佰叁拾肆元伍角整');
    expect(html).toContain('审核：李主任');
    expect(html).toContain('制单：王会计');
    expect(html).toContain('特批理由');
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});

describe('budget vs actual', () => {
  it('computes remaining, usage in basis points and overspending without floats', () => {
    const r = budgetVsActual(
      [
        { id: 'a', name: '场地费', budgetFen: 300000 },
        { id: 'b', name: '讲师费', budgetFen: 100000 },
        { id: 'c', name: '不可预见费', budgetFen: 0 },
      ],
      new Map([['a', 100000], ['b', 120000]]),
    );
    expect(r.lines.map((l) => [l.remainingFen, l.usedBasisPoints, l.over])).toEqual([
      [200000, 3333, false],
      [-20000, 12000, true],
      [0, null, false],
    ]);
    expect([r.totalBudgetFen, r.totalSpentFen, r.totalRemainingFen]).toEqual([400000, 220000, 180000]);
    expect(formatBasisPoints(3333)).toBe('33.33%');
    expect(formatBasisPoints(5)).toBe('0.05%');
    expect(formatBasisPoints(null)).toBe('—');
  });
});

describe('来源与项目汇总 print', () => {
  it('lists sources with totals and budget lines with execution and overspending, escaped', () => {
    const html = summaryHtml({
      hubName: '某街道孵化基地',
      from: '2026-01-01',
      to: '2026-06-30',
      sources: [
        { name: '区公益创投<2026>', kindLabel: '公益创投', openingFen: 0, inFen: 5_000_000, outFen: 123_450, closingFen: 4_876_550 },
        { name: '社会捐赠', kindLabel: '社会捐赠', openingFen: 0, inFen: 100_000, outFen: 0, closingFen: 100_000 },
      ],
      projects: [
        {
          name: '邻里守望计划',
          orgName: '幸福里互助会',
          lines: [
            { name: '活动物料', budgetFen: 300_000, spentFen: 123_450, remainingFen: 176_550, usedText: '41.15%', over: false },
            { name: '讲师费', budgetFen: 100_000, spentFen: 100_001, remainingFen: -1, usedText: '100.00%', over: true },
          ],
          totalBudgetFen: 400_000,
          totalSpentFen: 223_451,
          totalRemainingFen: 176_549,
        },
      ],
      printedOn: '2026-07-01',
    });
    expect(html).toContain('代管资金来源与项目汇总');
    expect(html).toContain('区公益创投&lt;2026&gt;');
    expect(html).toContain('51,000.00'); // receipts of both sources
    expect(html).toContain('1,234.50');
    expect(html).toContain('41.15%');
    expect(html).toContain('100.00%（超支）');
    expect(html).toContain('-0.01');
    expect(html).toContain('邻里守望计划 合计');
    expect(html).not.toMatch(/<script/i);
  });

  it('says so when there is nothing to list', () => {
    const html = summaryHtml({ hubName: '基地', from: '2026-01-01', to: '2026-01-31', sources: [], projects: [], printedOn: '2026-02-01' });
    expect(html).toContain('本期没有代管资金收支');
    expect(html).toContain('没有项目预算');
  });
});

describe('银行存款余额调节表 print', () => {
  const base = {
    hubName: '某街道孵化基地',
    bankAccountName: '工商银行 代管资金专户',
    asOf: '2026-03-31',
    ledgerBalanceFen: 5_000_000,
    bankBalanceFen: 5_030_000,
    ledgerInNotBank: [],
    ledgerOutNotBank: [{ date: '2026-03-31', amountFen: -30_000, label: '记-2026-03-0009 志愿者补贴' }],
    bankInNotLedger: [{ date: '2026-03-21', amountFen: 321, label: '结息' }],
    bankOutNotLedger: [{ date: '2026-03-31', amountFen: -321, label: '手续费 <网银>' }],
    adjustedLedgerFen: 5_000_000,
    adjustedBankFen: 5_000_000,
    differenceFen: 0,
    agrees: true,
    printedOn: '2026-04-01',
  };
  it('shows both sides with their outstanding items and the agreeing balances', () => {
    const html = reconciliationHtml(base);
    expect(html).toContain('银行存款余额调节表');
    expect(html).toContain('2026年03月31日');
    expect(html).toContain('加：银行已收、企业未收');
    expect(html).toContain('减：企业已付、银行未付');
    expect(html).toContain('记-2026-03-0009 志愿者补贴');
    expect(html).toContain('手续费 &lt;网银&gt;');
    expect(html).toContain('300.00');
    expect(html).toContain('50,300.00');
    expect(html).toContain('调节后两方余额相符');
    expect(html).not.toContain('不相符');
  });
  it('marks a difference', () => {
    const html = reconciliationHtml({ ...base, adjustedBankFen: 4_999_900, differenceFen: 100, agrees: false });
    expect(html).toContain('不相符');
    expect(html).toContain('相差 1.00 元');
  });
});
