import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  accountByCode,
  bankDetailCode,
  custodyDetailCode,
  custodyDetailName,
  lineKindOf,
  revenueAccountForSource,
  SOURCE_KINDS,
} from '@shared/custody/accounts';
import {
  bankBalanceDeltas,
  budgetSpendDeltas,
  disbursementLines,
  findSeqGaps,
  formatVoucherNumber,
  incomeLines,
  nextVoucherSeq,
  orgBalanceDeltas,
  parseVoucherNumber,
  periodOf,
  receiptLines,
  reversalLines,
  transferLines,
  validateVoucherLines,
  voucherNumberFor,
  type JournalLine,
} from '@shared/custody/voucher';

describe('chart of accounts (民间非营利组织会计制度)', () => {
  it('has the accounts the custody ledger uses with their standard names', () => {
    expect(accountByCode('1002')?.name).toBe('银行存款');
    expect(accountByCode('2601')?.name).toBe('受托代理负债');
    expect(accountByCode('2209')?.name).toBe('其他应付款');
    expect(accountByCode('4301')?.name).toBe('提供服务收入');
    expect(accountByCode('4401')?.name).toBe('政府补助收入');
    expect(accountByCode('1002')?.normal).toBe('debit');
    expect(accountByCode('2601')?.normal).toBe('credit');
  });
  it('classifies detail codes by their level-1 account', () => {
    expect(lineKindOf('10020101')).toBe('bank');
    expect(lineKindOf('26010007')).toBe('custody');
    expect(lineKindOf('2209')).toBe('custody');
    expect(lineKindOf('4301')).toBe('revenue');
    expect(lineKindOf('5101')).toBe('expense');
    expect(lineKindOf('3101')).toBe('other');
  });
  it('builds detail codes and names for export', () => {
    expect(bankDetailCode(1)).toBe('10020101');
    expect(custodyDetailCode('2601', 7)).toBe('26010007');
    expect(custodyDetailCode('2209', 123)).toBe('22090123');
    expect(custodyDetailName('2601', '幸福里邻里互助会')).toBe('受托代理负债—幸福里邻里互助会');
    expect(() => bankDetailCode(0)).toThrow();
    expect(() => custodyDetailCode('2601', 10000)).toThrow();
  });
  it('maps government-purchased services to 4301, not 4401', () => {
    expect(revenueAccountForSource('gov_purchase')).toBe('4301');
    expect(revenueAccountForSource('lottery')).toBe('4401');
    expect(revenueAccountForSource('venture', true)).toBe('4401');
    expect(revenueAccountForSource('venture', false)).toBe('4101');
    expect(revenueAccountForSource('donation')).toBe('4101');
    expect(revenueAccountForSource('membership')).toBe('4201');
    expect(revenueAccountForSource('other')).toBe('4901');
    expect(SOURCE_KINDS.map((s) => s.label)).toEqual(['政府购买服务', '公益创投', '社区基金(会)', '福利彩票公益金', '社会捐赠', '会费', '其他']);
  });
});

describe('voucher lines', () => {
  it('a receipt debits the bank and credits the organization', () => {
    const lines = receiptLines({ bankAccountId: 'B1', orgId: 'O1', amountFen: 500000, sourceId: 'S1' });
    expect(lines).toMatchObject([
      { accountCode: '1002', amountFen: 500000, bankAccountId: 'B1', sourceId: 'S1' },
      { accountCode: '2601', amountFen: -500000, orgId: 'O1', sourceId: 'S1' },
    ]);
    expect(validateVoucherLines(lines)).toEqual([]);
    expect(orgBalanceDeltas(lines).get('O1')).toBe(500000);
    expect(bankBalanceDeltas(lines).get('B1')).toBe(500000);
  });
  it('a disbursement reduces both and charges the budget line', () => {
    const lines = disbursementLines({ bankAccountId: 'B1', orgId: 'O1', amountFen: 12345, budgetLineId: 'L1', liability: '2209' });
    expect(lines[0]).toMatchObject({ accountCode: '2209', amountFen: 12345, orgId: 'O1', budgetLineId: 'L1' });
    expect(validateVoucherLines(lines)).toEqual([]);
    expect(orgBalanceDeltas(lines).get('O1')).toBe(-12345);
    expect(bankBalanceDeltas(lines).get('B1')).toBe(-12345);
    expect(budgetSpendDeltas(lines).get('L1')).toBe(12345);
  });
  it('a transfer moves money between organizations without touching the bank', () => {
    const lines = transferLines({ fromOrgId: 'O1', toOrgId: 'O2', amountFen: 100 });
    expect(orgBalanceDeltas(lines)).toEqual(new Map([['O1', -100], ['O2', 100]]));
    expect(bankBalanceDeltas(lines).size).toBe(0);
    expect(() => transferLines({ fromOrgId: 'O1', toOrgId: 'O1', amountFen: 100 })).toThrow();
  });
  it('hub income credits a revenue account', () => {
    const lines = incomeLines({ bankAccountId: 'B1', revenueCode: '4301', amountFen: 800000 });
    expect(lines[1]).toMatchObject({ accountCode: '4301', amountFen: -800000 });
    expect(validateVoucherLines(lines)).toEqual([]);
    expect(() => incomeLines({ bankAccountId: 'B1', revenueCode: '2601', amountFen: 1 })).toThrow();
  });
  it('builders refuse zero, negative and fractional amounts', () => {
    for (const amountFen of [0, -1, 1.5, Number.NaN]) {
      expect(() => receiptLines({ bankAccountId: 'B', orgId: 'O', amountFen })).toThrow(RangeError);
    }
  });
  it('a reversal negates every line and balances out the original', () => {
    const orig = disbursementLines({ bankAccountId: 'B1', orgId: 'O1', amountFen: 999, budgetLineId: 'L1' });
    const rev = reversalLines(orig);
    expect(validateVoucherLines(rev)).toEqual([]);
    expect(budgetSpendDeltas(rev).get('L1')).toBe(-999);
    expect(orgBalanceDeltas([...orig, ...rev]).get('O1')).toBe(0);
  });

  it('refuses unbalanced, zero, fractional lines and missing dimensions, naming the line', () => {
    const base: JournalLine[] = receiptLines({ bankAccountId: 'B1', orgId: 'O1', amountFen: 100 });
    expect(validateVoucherLines([base[0]])[0].message).toContain('至少要有两条');
    expect(validateVoucherLines([base[0], { ...base[1], amountFen: -99 }])[0].message).toContain('借贷不平');
    expect(validateVoucherLines([base[0], { ...base[1], amountFen: 0 }]).map((i) => i.path)).toContain('lines.1.amountFen');
    expect(validateVoucherLines([{ ...base[0], amountFen: 100.5 }, base[1]])[0].message).toContain('整数');
    expect(validateVoucherLines([{ ...base[0], bankAccountId: null }, base[1]])[0]).toMatchObject({ path: 'lines.0.bankAccountId' });
    expect(validateVoucherLines([base[0], { ...base[1], orgId: undefined }])[0]).toMatchObject({ path: 'lines.1.orgId' });
    expect(validateVoucherLines([base[0], { ...base[1], accountCode: '9999' }])[0].message).toContain('不在科目表');
    expect(validateVoucherLines([{ ...base[0], budgetLineId: 'L' }, base[1]])[0].message).toContain('预算科目');
    expect(validateVoucherLines([base[0], { ...base[1], bankAccountId: 'B' }])[0].message).toContain('只有银行存款');
  });

  it('property: any combination of built vouchers balances and deltas add up', () => {
    const amount = fc.integer({ min: 1, max: 1e11 });
    const voucher = fc.oneof(
      amount.map((a) => receiptLines({ bankAccountId: 'B', orgId: 'O1', amountFen: a })),
      amount.map((a) => disbursementLines({ bankAccountId: 'B', orgId: 'O2', amountFen: a })),
      amount.map((a) => transferLines({ fromOrgId: 'O1', toOrgId: 'O2', amountFen: a })),
    );
    fc.assert(
      fc.property(fc.array(voucher, { maxLength: 30 }), (vs) => {
        const all = vs.flat();
        const orgTotal = [...orgBalanceDeltas(all).values()].reduce((s, x) => s + x, 0);
        const bankTotal = [...bankBalanceDeltas(all).values()].reduce((s, x) => s + x, 0);
        // What the bank holds equals what is owed to the organizations.
        return vs.every((v) => validateVoucherLines(v).length === 0) && orgTotal === bankTotal;
      }),
    );
  });
});

describe('voucher numbers', () => {
  it('formats 记-2026-03-0007 and parses it back', () => {
    expect(formatVoucherNumber({ word: '记', year: 2026, month: 3, seq: 7 })).toBe('记-2026-03-0007');
    expect(voucherNumberFor('2026-12-31', 12345)).toBe('记-2026-12-12345');
    expect(parseVoucherNumber('记-2026-03-0007')).toEqual({ word: '记', year: 2026, month: 3, seq: 7 });
    expect(parseVoucherNumber('记-2026-13-0007')).toBeNull();
    expect(parseVoucherNumber('记-2026-03-0000')).toBeNull();
    expect(parseVoucherNumber('abc')).toBeNull();
    expect(() => formatVoucherNumber({ word: '记', year: 2026, month: 3, seq: 0 })).toThrow();
    expect(periodOf('2026-03-15')).toBe('2026-03');
    expect(() => periodOf('2026/03/15')).toThrow();
  });
  it('the next number follows 1..n without gaps and refuses a broken month', () => {
    expect(nextVoucherSeq([])).toBe(1);
    expect(nextVoucherSeq([3, 1, 2])).toBe(4);
    expect(findSeqGaps([1, 2, 4])).toEqual([3]);
    expect(findSeqGaps([1, 2, 2])).toEqual([2]);
    expect(() => nextVoucherSeq([1, 3])).toThrow('不连续');
  });
  it('property: numbering n postings gives 1..n', () => {
    fc.assert(
      fc.property(fc.nat({ max: 200 }), (n) => {
        const used: number[] = [];
        for (let i = 0; i < n; i++) used.push(nextVoucherSeq(used));
        return findSeqGaps(used).length === 0 && used.length === n && (n === 0 || used[n - 1] === n);
      }),
    );
  });
});

describe('funding source dictionary codes', () => {
  it('map to an accounting treatment by code', async () => {
    const { sourceKindOfCode } = await import('@shared/custody/accounts');
    expect(sourceKindOfCode('Z01')).toBe('gov_purchase');
    expect(revenueAccountForSource(sourceKindOfCode('Z01'))).toBe('4301');
    expect(sourceKindOfCode('Z04')).toBe('lottery');
    expect(sourceKindOfCode('Z99')).toBe('other');
    expect(sourceKindOfCode('donation')).toBe('donation');
  });
});
