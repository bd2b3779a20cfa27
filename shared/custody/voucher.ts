/**
 * 记账凭证: the voucher and its double-entry lines. Amounts are signed fen, debit positive and credit negative,
 * so "the lines sum to zero" is literally a sum. A custody receipt debits the bank and credits the organization's
 * 受托代理负债 detail; a disbursement does the reverse.
 */
import { sumFen } from '../money';
import type { ErrorIssue } from '../errors';
import { BANK_ACCOUNT_CODE, DEFAULT_CUSTODY_LIABILITY_CODE, accountByCode, lineKindOf, type CustodyLiabilityCode } from './accounts';

export interface JournalLine {
  /** Level-1 code of the standard chart (1002, 2601, 4301 …). */
  accountCode: string;
  /** Signed fen: debit > 0, credit < 0, never 0. */
  amountFen: number;
  /** Required on 1002 lines. */
  bankAccountId?: string | null;
  /** Required on custody (2601/2209) lines. */
  orgId?: string | null;
  sourceId?: string | null;
  projectId?: string | null;
  budgetLineId?: string | null;
  memo?: string | null;
}

export type VoucherKind = 'receipt' | 'disbursement' | 'transfer' | 'income' | 'reversal';

export const VOUCHER_KIND_LABELS: Record<VoucherKind, string> = {
  receipt: '代管拨入',
  disbursement: '代管支出',
  transfer: '代管划转',
  income: '本机构收入',
  reversal: '冲销',
};

/** Check a voucher's lines: at least two, each a nonzero safe integer, the right dimension per account, sum 0. */
export function validateVoucherLines(lines: readonly JournalLine[]): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  if (lines.length < 2) issues.push({ path: 'lines', message: '凭证至少要有两条分录' });
  lines.forEach((line, i) => {
    const at = (f: string) => `lines.${i}.${f}`;
    const def = accountByCode(line.accountCode);
    if (!def) issues.push({ path: at('accountCode'), message: `第 ${i + 1} 条分录：科目 ${line.accountCode} 不在科目表中` });
    if (!Number.isSafeInteger(line.amountFen)) {
      issues.push({ path: at('amountFen'), message: `第 ${i + 1} 条分录：金额必须是以分为单位的整数` });
    } else if (line.amountFen === 0) {
      issues.push({ path: at('amountFen'), message: `第 ${i + 1} 条分录：金额不能为零` });
    }
    const kind = lineKindOf(line.accountCode);
    if (kind === 'bank' && !line.bankAccountId) {
      issues.push({ path: at('bankAccountId'), message: `第 ${i + 1} 条分录：银行存款分录必须指定银行账户` });
    }
    if (kind !== 'bank' && line.bankAccountId) {
      issues.push({ path: at('bankAccountId'), message: `第 ${i + 1} 条分录：只有银行存款分录可以指定银行账户` });
    }
    if (kind === 'custody' && !line.orgId) {
      issues.push({ path: at('orgId'), message: `第 ${i + 1} 条分录：受托代理负债分录必须指定组织` });
    }
    if ((kind === 'revenue' || kind === 'expense') && line.orgId) {
      issues.push({ path: at('orgId'), message: `第 ${i + 1} 条分录：${line.accountCode} ${def?.name ?? ''}是本机构的账目，不能记入组织的受托代理明细账` });
    }
    if (line.budgetLineId && kind !== 'custody') {
      issues.push({ path: at('budgetLineId'), message: `第 ${i + 1} 条分录：预算科目只能记在组织的代管分录上` });
    }
  });
  if (issues.length === 0) {
    const total = sumFen(lines.map((l) => l.amountFen));
    if (total !== 0) issues.push({ path: 'lines', message: `借贷不平：分录合计差 ${total} 分` });
  }
  return issues;
}

export function isBalanced(lines: readonly JournalLine[]): boolean {
  return validateVoucherLines(lines).length === 0;
}

interface Tags {
  sourceId?: string | null;
  projectId?: string | null;
  budgetLineId?: string | null;
  memo?: string | null;
}

function positive(amountFen: number): void {
  if (!Number.isSafeInteger(amountFen) || amountFen <= 0) throw new RangeError('金额必须是大于零的整数（分）');
}

/** 代管拨入: money arrives in the bank for an organization. */
export function receiptLines(
  p: { bankAccountId: string; orgId: string; amountFen: number; liability?: CustodyLiabilityCode } & Tags,
): JournalLine[] {
  positive(p.amountFen);
  const tags = { sourceId: p.sourceId ?? null, projectId: p.projectId ?? null, memo: p.memo ?? null };
  return [
    { accountCode: BANK_ACCOUNT_CODE, amountFen: p.amountFen, bankAccountId: p.bankAccountId, ...tags },
    { accountCode: p.liability ?? DEFAULT_CUSTODY_LIABILITY_CODE, amountFen: -p.amountFen, orgId: p.orgId, ...tags },
  ];
}

/** 代管支出: the hub pays out of the bank on the organization's behalf. */
export function disbursementLines(
  p: { bankAccountId: string; orgId: string; amountFen: number; liability?: CustodyLiabilityCode } & Tags,
): JournalLine[] {
  positive(p.amountFen);
  const tags = { sourceId: p.sourceId ?? null, projectId: p.projectId ?? null, memo: p.memo ?? null };
  return [
    {
      accountCode: p.liability ?? DEFAULT_CUSTODY_LIABILITY_CODE,
      amountFen: p.amountFen,
      orgId: p.orgId,
      budgetLineId: p.budgetLineId ?? null,
      ...tags,
    },
    { accountCode: BANK_ACCOUNT_CODE, amountFen: -p.amountFen, bankAccountId: p.bankAccountId, ...tags },
  ];
}

/** 代管划转: move custodied money from one organization's account to another's; the bank does not move. */
export function transferLines(
  p: { fromOrgId: string; toOrgId: string; amountFen: number; liability?: CustodyLiabilityCode } & Tags,
): JournalLine[] {
  positive(p.amountFen);
  if (p.fromOrgId === p.toOrgId) throw new RangeError('划出与划入不能是同一个组织');
  const code = p.liability ?? DEFAULT_CUSTODY_LIABILITY_CODE;
  return [
    { accountCode: code, amountFen: p.amountFen, orgId: p.fromOrgId, memo: p.memo ?? null },
    { accountCode: code, amountFen: -p.amountFen, orgId: p.toOrgId, memo: p.memo ?? null },
  ];
}

/** 本机构收入: the hub's own revenue (e.g. 4301 for a government-purchased service it delivered). */
export function incomeLines(
  p: { bankAccountId: string; revenueCode: string; amountFen: number } & Tags,
): JournalLine[] {
  positive(p.amountFen);
  if (lineKindOf(p.revenueCode) !== 'revenue') throw new RangeError(`${p.revenueCode} 不是收入类科目`);
  const tags = { sourceId: p.sourceId ?? null, projectId: p.projectId ?? null, memo: p.memo ?? null };
  return [
    { accountCode: BANK_ACCOUNT_CODE, amountFen: p.amountFen, bankAccountId: p.bankAccountId, ...tags },
    { accountCode: p.revenueCode, amountFen: -p.amountFen, ...tags },
  ];
}

/** A reversing voucher's lines: every line of the original with its sign flipped, all tags kept. */
export function reversalLines(original: readonly JournalLine[]): JournalLine[] {
  return original.map((l) => ({ ...l, amountFen: -l.amountFen }));
}

/** Change of each organization's custody balance (credit-normal: a credit raises what the hub holds for it). */
export function orgBalanceDeltas(lines: readonly JournalLine[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const l of lines) {
    if (lineKindOf(l.accountCode) !== 'custody' || !l.orgId) continue;
    out.set(l.orgId, sumFen([out.get(l.orgId) ?? 0, -l.amountFen]));
  }
  return out;
}

/** Change of each bank account's ledger balance (debit-normal). */
export function bankBalanceDeltas(lines: readonly JournalLine[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const l of lines) {
    if (lineKindOf(l.accountCode) !== 'bank' || !l.bankAccountId) continue;
    out.set(l.bankAccountId, sumFen([out.get(l.bankAccountId) ?? 0, l.amountFen]));
  }
  return out;
}

/** Spending charged to each budget line: debits to the organization's custody account tagged with the line. */
export function budgetSpendDeltas(lines: readonly JournalLine[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const l of lines) {
    if (lineKindOf(l.accountCode) !== 'custody' || !l.budgetLineId) continue;
    out.set(l.budgetLineId, sumFen([out.get(l.budgetLineId) ?? 0, l.amountFen]));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Voucher numbers: 记-2026-03-0007, one sequence per month, assigned at posting, no gaps.

export const VOUCHER_WORD = '记';

export interface VoucherNumber {
  word: string;
  year: number;
  month: number;
  seq: number;
}

/** `2026-03-15` → `2026-03`. */
export function periodOf(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`日期格式应为 YYYY-MM-DD: ${date}`);
  return date.slice(0, 7);
}

export function formatVoucherNumber(n: VoucherNumber): string {
  if (!Number.isInteger(n.seq) || n.seq < 1) throw new RangeError('凭证序号从 1 开始');
  if (!Number.isInteger(n.month) || n.month < 1 || n.month > 12) throw new RangeError('月份应为 1-12');
  if (!Number.isInteger(n.year) || n.year < 1900 || n.year > 9999) throw new RangeError('年份不合理');
  return `${n.word}-${n.year}-${String(n.month).padStart(2, '0')}-${String(n.seq).padStart(4, '0')}`;
}

export function voucherNumberFor(date: string, seq: number, word = VOUCHER_WORD): string {
  const period = periodOf(date);
  return formatVoucherNumber({ word, year: Number(period.slice(0, 4)), month: Number(period.slice(5, 7)), seq });
}

export function parseVoucherNumber(text: string): VoucherNumber | null {
  const m = /^(.+)-(\d{4})-(\d{2})-(\d{4,})$/.exec(text.trim());
  if (!m) return null;
  const month = Number(m[3]);
  const seq = Number(m[4]);
  if (month < 1 || month > 12 || seq < 1) return null;
  return { word: m[1], year: Number(m[2]), month, seq };
}

/** The next number in a month, given the sequence numbers already used there (which must be 1..n). */
export function nextVoucherSeq(used: readonly number[]): number {
  const gaps = findSeqGaps(used);
  if (gaps.length > 0) throw new RangeError(`凭证号不连续，缺 ${gaps.join(', ')}`);
  return used.length + 1;
}

/** Missing or duplicated sequence numbers: a correct month is exactly 1..n. */
export function findSeqGaps(used: readonly number[]): number[] {
  const seen = new Set<number>();
  const problems: number[] = [];
  let max = 0;
  for (const s of used) {
    if (seen.has(s)) problems.push(s);
    seen.add(s);
    if (s > max) max = s;
  }
  for (let i = 1; i <= max; i++) if (!seen.has(i)) problems.push(i);
  return problems.sort((x, y) => x - y);
}
