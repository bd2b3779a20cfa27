import { describe, expect, it } from 'vitest';
import {
  checkLimits,
  checkOverrideGrant,
  checkPeriodClose,
  checkPeriodOpen,
  checkPeriodReopen,
  checkReversal,
  checkVoucherAction,
  describeViolation,
  findLimitViolations,
  type Actor,
  type VoucherFacts,
} from '@shared/custody/workflow';
import { budgetSpendDeltas, disbursementLines, orgBalanceDeltas, receiptLines, reversalLines } from '@shared/custody/voucher';

const maker: Actor = { userId: 'u-maker', roles: ['accountant'] };
const cashier: Actor = { userId: 'u-cashier', roles: ['accountant'] };
const approver: Actor = { userId: 'u-boss', roles: ['approver'] };
const admin: Actor = { userId: 'u-admin', roles: ['admin'] };
const staff: Actor = { userId: 'u-staff', roles: ['staff'] };
const makerWhoApproves: Actor = { userId: 'u-maker', roles: ['accountant', 'approver'] };
const open = { closedPeriods: new Set<string>() };
const marchClosed = { closedPeriods: new Set(['2026-03']) };

const v = (status: VoucherFacts['status'], extra: Partial<VoucherFacts> = {}): VoucherFacts => ({
  status,
  makerId: 'u-maker',
  approverId: null,
  date: '2026-03-10',
  ...extra,
});
const expectOk = (r: { ok: boolean; value?: unknown; error?: string }, value?: unknown) => {
  expect(r.ok, (r as { error?: string }).error).toBe(true);
  if (value !== undefined) expect(r.value).toBe(value);
};
const expectRefused = (r: { ok: boolean; error?: string }, text: string) => {
  expect(r.ok).toBe(false);
  expect(r.error).toContain(text);
};

describe('voucher workflow draft → submitted → approved → posted', () => {
  it('runs the happy path with different maker and approver', () => {
    expectOk(checkVoucherAction(v('draft'), 'edit', maker, open), 'draft');
    expectOk(checkVoucherAction(v('draft'), 'submit', maker, open), 'submitted');
    expectOk(checkVoucherAction(v('submitted'), 'approve', approver, open), 'approved');
    expectOk(checkVoucherAction(v('approved', { approverId: 'u-boss' }), 'post', cashier, open), 'posted');
    expectOk(checkVoucherAction(v('draft'), 'delete', maker, open), 'deleted');
  });
  it('the maker never approves their own voucher, even holding the approver role', () => {
    expectRefused(checkVoucherAction(v('submitted'), 'approve', makerWhoApproves, open), '经办人不能审批');
    expectRefused(checkVoucherAction(v('submitted'), 'reject', makerWhoApproves, { ...open, reason: '金额不对' }), '经办人不能审批');
    expectRefused(checkVoucherAction(v('approved', { approverId: 'u-maker' }), 'post', cashier, open), '经办与审批');
    expectRefused(checkVoucherAction(v('approved', { approverId: null }), 'post', cashier, open), '缺少有效的审批');
  });
  it('roles are checked', () => {
    expectRefused(checkVoucherAction(v('draft'), 'submit', staff, open), '会计');
    expectRefused(checkVoucherAction(v('submitted'), 'approve', cashier, open), '审批人');
    expectRefused(checkVoucherAction(v('approved', { approverId: 'u-boss' }), 'post', approver, open), '会计');
    expectRefused(checkVoucherAction(v('draft'), 'edit', cashier, open), '自己录入');
    expectOk(checkVoucherAction(v('draft'), 'edit', admin, open));
  });
  it('states are checked', () => {
    expectRefused(checkVoucherAction(v('submitted'), 'edit', maker, open), '只有草稿');
    expectRefused(checkVoucherAction(v('draft'), 'approve', approver, open), '只有待审批');
    expectRefused(checkVoucherAction(v('submitted'), 'post', cashier, open), '只有已审批');
    expectRefused(checkVoucherAction(v('draft'), 'withdraw', maker, open), '撤回');
    expectRefused(checkVoucherAction(v('submitted'), 'withdraw', cashier, open), '经办人');
    expectOk(checkVoucherAction(v('approved'), 'withdraw', maker, open), 'draft');
    expectRefused(checkVoucherAction(v('submitted'), 'reject', approver, open), '理由');
    expectOk(checkVoucherAction(v('submitted'), 'reject', approver, { ...open, reason: '附件缺发票' }), 'draft');
  });
  it('a posted voucher accepts no action at all', () => {
    for (const action of ['edit', 'delete', 'submit', 'withdraw', 'reject', 'approve', 'post'] as const) {
      expectRefused(checkVoucherAction(v('posted', { approverId: 'u-boss' }), action, admin, { ...open, reason: 'xxxxx' }), '冲销');
    }
  });
  it('nothing is submitted or posted into a closed month', () => {
    expectRefused(checkPeriodOpen('2026-03-31', marchClosed.closedPeriods), '已结账');
    expectOk(checkPeriodOpen('2026-04-01', marchClosed.closedPeriods));
    expectRefused(checkVoucherAction(v('draft'), 'submit', maker, marchClosed), '已结账');
    expectRefused(checkVoucherAction(v('approved', { approverId: 'u-boss' }), 'post', cashier, marchClosed), '已结账');
  });
});

describe('reversal', () => {
  const posted = { status: 'posted' as const, date: '2026-03-10', isReversal: false, reversedBy: null };
  it('is allowed once, dated deliberately, not before the original, not in a closed month', () => {
    expectOk(checkReversal(posted, '2026-04-02', maker, marchClosed.closedPeriods));
    expectOk(checkReversal(posted, '2026-03-10', maker, open.closedPeriods));
    expectRefused(checkReversal(posted, null, maker, open.closedPeriods), '必须指定日期');
    expectRefused(checkReversal(posted, '2026-03-09', maker, open.closedPeriods), '不能早于');
    expectRefused(checkReversal(posted, '2026-03-31', maker, marchClosed.closedPeriods), '已结账');
    expectRefused(checkReversal(posted, '2026/04/02', maker, open.closedPeriods), '格式');
    expectRefused(checkReversal({ ...posted, reversedBy: 'V9' }, '2026-04-02', maker, open.closedPeriods), '重复冲销');
    expectRefused(checkReversal({ ...posted, isReversal: true }, '2026-04-02', maker, open.closedPeriods), '不能再被冲销');
    expectRefused(checkReversal({ ...posted, status: 'approved' }, '2026-04-02', maker, open.closedPeriods), '已记账');
    expectRefused(checkReversal(posted, '2026-04-02', approver, open.closedPeriods), '会计');
  });
});

describe('balance and budget limits with override', () => {
  const balances = new Map([['O1', 10000]]);
  const budgets = new Map([['L1', { budgetFen: 50000, spentFen: 45000 }]]);
  const check = (lines: ReturnType<typeof receiptLines>) =>
    findLimitViolations({ orgDeltas: orgBalanceDeltas(lines), orgBalances: balances, budgetDeltas: budgetSpendDeltas(lines), budgets });

  it('allows spending up to the balance and the budget exactly', () => {
    expect(check(disbursementLines({ bankAccountId: 'B', orgId: 'O1', amountFen: 5000, budgetLineId: 'L1' }))).toEqual([]);
    expect(check(disbursementLines({ bankAccountId: 'B', orgId: 'O1', amountFen: 10000 }))).toEqual([]);
  });
  it('finds a negative balance and an overspent budget line', () => {
    const vs = check(disbursementLines({ bankAccountId: 'B', orgId: 'O1', amountFen: 10001, budgetLineId: 'L1' }));
    expect(vs).toEqual([
      { kind: 'negative_balance', orgId: 'O1', balanceBeforeFen: 10000, balanceAfterFen: -1 },
      { kind: 'over_budget', budgetLineId: 'L1', budgetFen: 50000, spentBeforeFen: 45000, spentAfterFen: 55001 },
    ]);
    expect(describeViolation(vs[0], { org: () => '幸福里互助会' })).toBe('幸福里互助会 的代管余额将变为 -¥0.01（当前 ¥100.00），余额不足');
    expect(describeViolation(vs[1], { line: () => '场地费' })).toContain('超出预算 ¥500.00');
  });
  it('a receipt or the reversal of a disbursement is never refused', () => {
    const neg = new Map([['O1', -500]]);
    const rev = reversalLines(disbursementLines({ bankAccountId: 'B', orgId: 'O1', amountFen: 100, budgetLineId: 'L1' }));
    expect(findLimitViolations({ orgDeltas: orgBalanceDeltas(rev), orgBalances: neg, budgetDeltas: budgetSpendDeltas(rev), budgets: new Map([['L1', { budgetFen: 0, spentFen: 900 }]]) })).toEqual([]);
    expect(check(receiptLines({ bankAccountId: 'B', orgId: 'O1', amountFen: 1 }))).toEqual([]);
  });
  it('the reversal of a receipt that was already spent is a violation', () => {
    const rev = reversalLines(receiptLines({ bankAccountId: 'B', orgId: 'O1', amountFen: 20000 }));
    expect(check(rev)[0]).toMatchObject({ kind: 'negative_balance', balanceAfterFen: -10000 });
  });
  it('refuses at posting unless an approver other than the maker gave a written reason', () => {
    const vs = check(disbursementLines({ bankAccountId: 'B', orgId: 'O1', amountFen: 20000 }));
    expectRefused(checkLimits(vs, null, 'u-maker'), '特批');
    expectRefused(checkLimits(vs, { byUserId: 'u-maker', reason: '急需支付场地费' }, 'u-maker'), '特批');
    expectRefused(checkLimits(vs, { byUserId: 'u-boss', reason: '急' }, 'u-maker'), '特批');
    expect(checkLimits(vs, { byUserId: 'u-boss', reason: '下周拨款到账，先行垫付' }, 'u-maker')).toEqual({ ok: true, value: { overridden: true } });
    expect(checkLimits([], null, 'u-maker')).toEqual({ ok: true, value: { overridden: false } });
  });
  it('grants an override only to an approver who is not the maker, with a reason of 5+ characters', () => {
    expectRefused(checkOverrideGrant(cashier, 'u-maker', '下周拨款到账'), '审批人');
    expectRefused(checkOverrideGrant(makerWhoApproves, 'u-maker', '下周拨款到账'), '经办人');
    expectRefused(checkOverrideGrant(approver, 'u-maker', '  急用 '), '理由');
    expect(checkOverrideGrant(approver, 'u-maker', ' 下周拨款到账 ')).toEqual({ ok: true, value: { byUserId: 'u-boss', reason: '下周拨款到账' } });
  });
});

describe('period close and reopen', () => {
  const facts = {
    period: '2026-03',
    unpostedCount: 0,
    reconciliations: [{ bankAccountName: '工行基本户', agrees: true, differenceFen: 0 }],
    earlierOpenPeriods: [] as string[],
    alreadyClosed: false,
  };
  it('closes a reconciled month with everything posted', () => {
    expectOk(checkPeriodClose(facts, cashier));
  });
  it('refuses each reason', () => {
    expectRefused(checkPeriodClose(facts, approver), '会计');
    expectRefused(checkPeriodClose({ ...facts, period: '2026-13' }, cashier), '格式');
    expectRefused(checkPeriodClose({ ...facts, alreadyClosed: true }, cashier), '已经结账');
    expectRefused(checkPeriodClose({ ...facts, earlierOpenPeriods: ['2026-02'] }, cashier), '2026-02');
    expectRefused(checkPeriodClose({ ...facts, unpostedCount: 2 }, cashier), '2 张未记账');
    expectRefused(
      checkPeriodClose({ ...facts, reconciliations: [{ bankAccountName: '工行基本户', agrees: false, differenceFen: 1234 }] }, cashier),
      '工行基本户 相差 ¥12.34',
    );
  });
  it('reopens only as admin, with a reason, latest period first', () => {
    const closed = new Set(['2026-02', '2026-03']);
    expectOk(checkPeriodReopen('2026-03', closed, admin, '补录遗漏的银行手续费'));
    expectRefused(checkPeriodReopen('2026-03', closed, cashier, '补录遗漏的银行手续费'), '管理员');
    expectRefused(checkPeriodReopen('2026-03', closed, admin, '补录'), '理由');
    expectRefused(checkPeriodReopen('2026-02', closed, admin, '补录遗漏的银行手续费'), '2026-03');
    expectRefused(checkPeriodReopen('2026-04', closed, admin, '补录遗漏的银行手续费'), '未结账');
  });
});
