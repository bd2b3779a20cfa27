/**
 * Voucher workflow: draft → submitted → approved → posted, with the rules an auditor expects:
 * the maker (经办) never approves their own voucher, posted vouchers are never changed (a reversing voucher
 * fixes a mistake), nothing is dated in a closed month, and an organization's balance or a budget line can only
 * go wrong with an approver's written override.
 */
import type { Role } from '../roles';
import { formatFen } from '../money';
import { periodOf } from './voucher';

export const VOUCHER_STATUSES = ['draft', 'submitted', 'approved', 'posted'] as const;
export type VoucherStatus = (typeof VOUCHER_STATUSES)[number];

export const VOUCHER_STATUS_LABELS: Record<VoucherStatus, string> = {
  draft: '草稿',
  submitted: '待审批',
  approved: '已审批',
  posted: '已记账',
};

export type VoucherAction = 'edit' | 'delete' | 'submit' | 'withdraw' | 'reject' | 'approve' | 'post';

export interface Actor {
  userId: string;
  roles: readonly Role[];
}

export interface VoucherFacts {
  status: VoucherStatus;
  /** 经办/制单人. */
  makerId: string;
  approverId?: string | null;
  /** Business date of the voucher. */
  date: string;
}

export type Check<T = true> = { ok: true; value: T } | { ok: false; error: string };
const yes = <T>(value: T): Check<T> => ({ ok: true, value });
const no = <T = never>(error: string): Check<T> => ({ ok: false, error });

const isFinance = (a: Actor) => a.roles.includes('admin') || a.roles.includes('accountant');
const isApprover = (a: Actor) => a.roles.includes('admin') || a.roles.includes('approver');

/** Periods as 'YYYY-MM'. */
export function checkPeriodOpen(date: string, closedPeriods: ReadonlySet<string>): Check<true> {
  const period = periodOf(date);
  if (closedPeriods.has(period)) return no(`${period} 已结账，不能再录入或记账该月的凭证（如需更正请由管理员反结账）`);
  return yes(true);
}

/**
 * May `actor` do `action` on a voucher with these facts? Returns the status after the action.
 * `delete` of a draft removes it (drafts have no number and no journal effect).
 */
export function checkVoucherAction(
  v: VoucherFacts,
  action: VoucherAction,
  actor: Actor,
  ctx: { closedPeriods: ReadonlySet<string>; reason?: string | null },
): Check<VoucherStatus | 'deleted'> {
  if (v.status === 'posted') {
    return no('凭证已记账，不能修改、删除或退回；如有错误请做冲销凭证');
  }
  switch (action) {
    case 'edit':
    case 'delete':
      if (v.status !== 'draft') return no('只有草稿可以修改或删除，请先撤回');
      if (!isFinance(actor)) return no('只有会计/出纳可以修改凭证');
      if (actor.userId !== v.makerId && !actor.roles.includes('admin')) return no('只能修改自己录入的凭证');
      return yes(action === 'delete' ? 'deleted' : 'draft');
    case 'submit': {
      if (v.status !== 'draft') return no('只有草稿可以提交审批');
      if (!isFinance(actor)) return no('只有会计/出纳可以提交凭证');
      const open = checkPeriodOpen(v.date, ctx.closedPeriods);
      if (!open.ok) return open;
      return yes('submitted');
    }
    case 'withdraw':
      if (v.status !== 'submitted' && v.status !== 'approved') return no('只有待审批或已审批未记账的凭证可以撤回');
      if (actor.userId !== v.makerId) return no('只有经办人可以撤回自己的凭证');
      return yes('draft');
    case 'reject':
      if (v.status !== 'submitted') return no('只有待审批的凭证可以退回');
      if (!isApprover(actor)) return no('只有审批人可以退回凭证');
      if (actor.userId === v.makerId) return no('经办人不能审批自己录入的凭证');
      if (!ctx.reason || ctx.reason.trim().length < 2) return no('退回必须填写理由');
      return yes('draft');
    case 'approve':
      if (v.status !== 'submitted') return no('只有待审批的凭证可以审批');
      if (!isApprover(actor)) return no('只有审批人可以审批凭证');
      if (actor.userId === v.makerId) return no('经办人不能审批自己录入的凭证（经办与审批必须是不同的人）');
      return yes('approved');
    case 'post': {
      if (v.status !== 'approved') return no('只有已审批的凭证可以记账');
      if (!isFinance(actor)) return no('只有会计/出纳可以记账');
      if (!v.approverId || v.approverId === v.makerId) return no('凭证缺少有效的审批（经办与审批必须是不同的人）');
      const open = checkPeriodOpen(v.date, ctx.closedPeriods);
      if (!open.ok) return open;
      return yes('posted');
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Reversal

export interface ReversalFacts {
  status: VoucherStatus;
  date: string;
  /** The original is itself a reversing voucher. */
  isReversal: boolean;
  /** A reversal of it already exists (in any status). */
  reversedBy?: string | null;
}

/**
 * A posted voucher may be reversed once, by a new voucher dated deliberately (the caller must pass a date; there
 * is no "today" default), not before the original and not in a closed month. A reversal is not reversed again:
 * the correct entry is recorded as a new voucher.
 */
export function checkReversal(
  original: ReversalFacts,
  reversalDate: string | null | undefined,
  actor: Actor,
  closedPeriods: ReadonlySet<string>,
): Check<true> {
  if (!isFinance(actor)) return no('只有会计/出纳可以做冲销凭证');
  if (original.status !== 'posted') return no('只有已记账的凭证需要冲销；未记账的凭证请撤回后修改');
  if (original.isReversal) return no('冲销凭证不能再被冲销，请录入一张新的正确凭证');
  if (original.reversedBy) return no('该凭证已有冲销凭证，不能重复冲销');
  if (!reversalDate) return no('冲销凭证必须指定日期');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(reversalDate)) return no('冲销日期格式应为 YYYY-MM-DD');
  if (reversalDate < original.date) return no(`冲销日期不能早于原凭证日期 ${original.date}`);
  return checkPeriodOpen(reversalDate, closedPeriods);
}

// ---------------------------------------------------------------------------------------------------------
// Balance and budget limits, and the approver's override

export type LimitViolation =
  | { kind: 'negative_balance'; orgId: string; balanceBeforeFen: number; balanceAfterFen: number }
  | { kind: 'over_budget'; budgetLineId: string; budgetFen: number; spentBeforeFen: number; spentAfterFen: number };

/**
 * Would posting these deltas break a limit? `orgDeltas` and `budgetDeltas` come from `orgBalanceDeltas` and
 * `budgetSpendDeltas`. Only changes that make things worse count: a receipt into an already negative (overridden)
 * account is never refused.
 */
export function findLimitViolations(p: {
  orgDeltas: ReadonlyMap<string, number>;
  orgBalances: ReadonlyMap<string, number>;
  budgetDeltas: ReadonlyMap<string, number>;
  budgets: ReadonlyMap<string, { budgetFen: number; spentFen: number }>;
}): LimitViolation[] {
  const out: LimitViolation[] = [];
  for (const [orgId, delta] of p.orgDeltas) {
    const before = p.orgBalances.get(orgId) ?? 0;
    const after = before + delta;
    if (delta < 0 && after < 0) out.push({ kind: 'negative_balance', orgId, balanceBeforeFen: before, balanceAfterFen: after });
  }
  for (const [budgetLineId, delta] of p.budgetDeltas) {
    const b = p.budgets.get(budgetLineId);
    if (!b) continue;
    const after = b.spentFen + delta;
    if (delta > 0 && after > b.budgetFen) {
      out.push({ kind: 'over_budget', budgetLineId, budgetFen: b.budgetFen, spentBeforeFen: b.spentFen, spentAfterFen: after });
    }
  }
  return out;
}

export function describeViolation(v: LimitViolation, names: { org?: (id: string) => string; line?: (id: string) => string } = {}): string {
  if (v.kind === 'negative_balance') {
    const who = names.org?.(v.orgId) ?? v.orgId;
    return `${who} 的代管余额将变为 ${formatFen(v.balanceAfterFen)}（当前 ${formatFen(v.balanceBeforeFen)}），余额不足`;
  }
  const what = names.line?.(v.budgetLineId) ?? v.budgetLineId;
  return `预算科目「${what}」将支出 ${formatFen(v.spentAfterFen)}，超出预算 ${formatFen(v.budgetFen)}`;
}

export const MIN_OVERRIDE_REASON_LENGTH = 5;

export interface Override {
  byUserId: string;
  reason: string;
}

/** Can this override be granted on a voucher made by `makerId`? */
export function checkOverrideGrant(actor: Actor, makerId: string, reason: string | null | undefined): Check<Override> {
  if (!isApprover(actor)) return no('只有审批人可以特批');
  if (actor.userId === makerId) return no('经办人不能为自己的凭证特批');
  const text = (reason ?? '').trim();
  if (text.length < MIN_OVERRIDE_REASON_LENGTH) return no(`特批必须写明理由（至少 ${MIN_OVERRIDE_REASON_LENGTH} 个字）`);
  return yes({ byUserId: actor.userId, reason: text });
}

/** At posting: refuse violations unless a valid override (by someone other than the maker) is on the voucher. */
export function checkLimits(
  violations: readonly LimitViolation[],
  override: Override | null | undefined,
  makerId: string,
  describe: (v: LimitViolation) => string = (v) => describeViolation(v),
): Check<{ overridden: boolean }> {
  if (violations.length === 0) return yes({ overridden: false });
  if (override && override.byUserId !== makerId && override.reason.trim().length >= MIN_OVERRIDE_REASON_LENGTH) {
    return yes({ overridden: true });
  }
  return no(`${violations.map(describe).join('；')}。需审批人写明理由特批后才能记账`);
}

// ---------------------------------------------------------------------------------------------------------
// Period close and reopen

/** A voucher of the month that blocks its close: what the accountant needs to find it. */
export interface UnpostedVoucher {
  id: string;
  status: Exclude<VoucherStatus, 'posted'>;
  date: string;
  amountFen: number;
  purpose: string;
  makerName: string;
}

export interface PeriodCloseFacts {
  period: string;
  /** Vouchers dated in the period that are not posted (drafts, submitted, approved). */
  unpostedCount: number;
  /** Those vouchers, to name them in the refusal (the ones still in approval first). */
  unposted?: readonly UnpostedVoucher[];
  /** For each bank account: does the 余额调节表 at month end agree? */
  reconciliations: readonly { bankAccountName: string; agrees: boolean; differenceFen: number }[];
  /** Earlier periods that have posted vouchers and are still open. */
  earlierOpenPeriods: readonly string[];
  alreadyClosed: boolean;
}

export function checkPeriodClose(f: PeriodCloseFacts, actor: Actor): Check<true> {
  if (!isFinance(actor)) return no('只有会计或管理员可以结账');
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(f.period)) return no('期间格式应为 YYYY-MM');
  if (f.alreadyClosed) return no(`${f.period} 已经结账`);
  if (f.earlierOpenPeriods.length > 0) return no(`请先结账更早的期间：${f.earlierOpenPeriods.join('、')}`);
  if (f.unpostedCount > 0) {
    if (!f.unposted?.length) return no(`${f.period} 还有 ${f.unpostedCount} 张未记账的凭证，请先记账或删除`);
    const inApproval = f.unposted.filter((v) => v.status !== 'draft').length;
    const shown = f.unposted.slice(0, 10).map((v) => `${VOUCHER_STATUS_LABELS[v.status]} ${v.date} ${formatFen(v.amountFen)}「${v.purpose}」(${v.makerName} 录入)`);
    const more = f.unposted.length > shown.length ? `等 ${f.unposted.length} 张` : '';
    return no(
      `${f.period} 还有 ${f.unpostedCount} 张未记账的凭证${inApproval ? `(其中 ${inApproval} 张仍在审批中)` : ''}，不能结账：${shown.join('；')}${more}。请先审批记账、退回或删除`,
    );
  }
  const bad = f.reconciliations.filter((r) => !r.agrees);
  if (bad.length > 0) {
    return no(`银行存款余额调节表不平：${bad.map((r) => `${r.bankAccountName} 相差 ${formatFen(r.differenceFen)}`).join('；')}`);
  }
  return yes(true);
}

/** Reopening is an admin act with a reason, and only the latest closed period can be reopened. */
export function checkPeriodReopen(
  period: string,
  closedPeriods: ReadonlySet<string>,
  actor: Actor,
  reason: string | null | undefined,
): Check<true> {
  if (!actor.roles.includes('admin')) return no('只有系统管理员可以反结账');
  if (!closedPeriods.has(period)) return no(`${period} 未结账`);
  const later = [...closedPeriods].filter((p) => p > period).sort();
  if (later.length > 0) return no(`请先反结账更晚的期间：${later.join('、')}`);
  if ((reason ?? '').trim().length < MIN_OVERRIDE_REASON_LENGTH) return no(`反结账必须写明理由（至少 ${MIN_OVERRIDE_REASON_LENGTH} 个字）`);
  return yes(true);
}
