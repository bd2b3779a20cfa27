/**
 * Report computations on already-fetched rows: the per-organization 代管资金对账单 (opening, movements with a
 * running balance, closing) and budget versus actual. Pure, so the printed page, the xlsx file and the screen
 * show the same numbers.
 *
 * How a movement counts (one definition for the statement, the source summary and the submission package):
 * - an opening voucher (期初余额结转) is part of the 期初 line, never 收入;
 * - a reversal (冲销) counts in the column of the entry it reverses, with the opposite sign (红字), so a
 *   receipt and its reversal net to zero in 收入, a disbursement and its reversal net to zero in 支出;
 * - everything else: money in is 收入, money out is 支出.
 * Hence 期初 + 收入 − 支出 = 期末 on every statement, whatever was reversed or opened within the period.
 */
import { sumFen } from '../money';

/** The voucher kinds a custody line can come from. */
export type MovementVoucherKind = 'opening' | 'receipt' | 'disbursement' | 'transfer' | 'income' | 'reversal';
export type MovementClass = 'opening' | 'in' | 'out';

/**
 * The column a line of an organization's custody account belongs to. `orgAmountFen` is the signed change of the
 * organization's balance (+ raises it); for a reversal, `reversedKind` is the kind of the voucher it reverses.
 */
export function movementClass(kind: string, reversedKind: string | null | undefined, orgAmountFen: number): MovementClass {
  if (kind === 'reversal') {
    if (reversedKind === 'opening') return 'opening';
    // The reversed line moved the balance the other way: its column is the one of -amount.
    return orgAmountFen < 0 ? 'in' : 'out';
  }
  if (kind === 'opening') return 'opening';
  return orgAmountFen > 0 ? 'in' : 'out';
}

/** A movement's contribution to 收入 (in) and 支出 (out); a reversal's is negative in its original's column. */
export function movementColumns(cls: MovementClass, orgAmountFen: number): { openingFen: number; inFen: number; outFen: number } {
  if (cls === 'opening') return { openingFen: orgAmountFen, inFen: 0, outFen: 0 };
  if (cls === 'in') return { openingFen: 0, inFen: orgAmountFen, outFen: 0 };
  return { openingFen: 0, inFen: 0, outFen: -orgAmountFen };
}

export interface StatementMovement {
  date: string;
  voucherId: string;
  voucherNo: string;
  summary: string;
  counterparty: string;
  /** Signed change of the organization's balance: + 拨入/收入, − 支出. */
  amountFen: number;
  kind: MovementVoucherKind | string;
  /** For a reversal: the voucher it reverses, its number and kind. */
  reversesId?: string | null;
  reversesNo?: string | null;
  reversedKind?: string | null;
}

export interface OrgStatementRow extends StatementMovement {
  /** What the row adds to 收入 / 支出 (negative for a reversal: 红字冲销). */
  inFen: number;
  outFen: number;
  balanceFen: number;
  /**
   * `reversed`: reversed by a voucher within the period; `reversal`: reverses one within the period — the two
   * rows are a pair that nets out. `correction`: reverses an entry of an earlier period (it still nets, against
   * the opening balance's history). `normal` otherwise.
   */
  pair: 'normal' | 'reversed' | 'reversal' | 'correction';
  /** The number of the other voucher of the pair. */
  pairNo: string | null;
  /** 1, 2, … per pair within the statement, for the printed mark 〔冲1〕. */
  pairIndex: number | null;
}

export interface OrgStatement {
  from: string;
  to: string;
  /** Balance brought forward from before `from`. */
  broughtForwardFen: number;
  /** Opening vouchers (期初余额结转) dated within the period, folded into the 期初 line. */
  openings: { date: string; voucherNo: string; amountFen: number }[];
  /** The 期初 line: brought forward + openings within the period. */
  openingFen: number;
  rows: OrgStatementRow[];
  totalInFen: number;
  totalOutFen: number;
  closingFen: number;
}

/** Movements must be within [from, to]; they are ordered by date then voucher number. */
export function buildOrgStatement(p: { from: string; to: string; openingFen: number; movements: readonly StatementMovement[] }): OrgStatement {
  if (p.from > p.to) throw new RangeError('开始日期不能晚于结束日期');
  const sorted = [...p.movements].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.voucherNo < b.voucherNo ? -1 : a.voucherNo > b.voucherNo ? 1 : 0));
  for (const m of sorted) if (m.date < p.from || m.date > p.to) throw new RangeError(`${m.voucherNo} 的日期 ${m.date} 不在对账期间内`);
  const openings: OrgStatement['openings'] = [];
  const regular: StatementMovement[] = [];
  for (const m of sorted) {
    if (movementClass(m.kind, m.reversedKind, m.amountFen) === 'opening') openings.push({ date: m.date, voucherNo: m.voucherNo, amountFen: m.amountFen });
    else regular.push(m);
  }
  const openingFen = sumFen([p.openingFen, ...openings.map((o) => o.amountFen)]);
  const inPeriod = new Map(regular.map((m) => [m.voucherId, m]));
  const reversedBy = new Map<string, StatementMovement>();
  for (const m of regular) if (m.kind === 'reversal' && m.reversesId && inPeriod.has(m.reversesId)) reversedBy.set(m.reversesId, m);
  const pairIndex = new Map<string, number>();
  for (const m of regular) if (reversedBy.has(m.voucherId)) pairIndex.set(m.voucherId, pairIndex.size + 1);
  let balance = openingFen;
  const rows: OrgStatementRow[] = regular.map((m) => {
    balance = sumFen([balance, m.amountFen]);
    const cols = movementColumns(movementClass(m.kind, m.reversedKind, m.amountFen), m.amountFen);
    const rev = reversedBy.get(m.voucherId);
    const isPairedReversal = m.kind === 'reversal' && !!m.reversesId && inPeriod.has(m.reversesId);
    const pair: OrgStatementRow['pair'] = rev ? 'reversed' : isPairedReversal ? 'reversal' : m.kind === 'reversal' ? 'correction' : 'normal';
    return {
      ...m,
      inFen: cols.inFen,
      outFen: cols.outFen,
      balanceFen: balance,
      pair,
      pairNo: rev ? rev.voucherNo : m.kind === 'reversal' ? (m.reversesNo ?? null) : null,
      pairIndex: rev ? pairIndex.get(m.voucherId)! : isPairedReversal ? pairIndex.get(m.reversesId!)! : null,
    };
  });
  const totalInFen = sumFen(rows.map((r) => r.inFen));
  const totalOutFen = sumFen(rows.map((r) => r.outFen));
  return { from: p.from, to: p.to, broughtForwardFen: p.openingFen, openings, openingFen, rows, totalInFen, totalOutFen, closingFen: balance };
}

export interface BudgetLineActual {
  id: string;
  name: string;
  budgetFen: number;
  spentFen: number;
  remainingFen: number;
  /** Spent as a share of the budget in basis points (10000 = 100%), integer, null for a zero budget. */
  usedBasisPoints: number | null;
  over: boolean;
}

export function budgetVsActual(lines: readonly { id: string; name: string; budgetFen: number }[], spent: ReadonlyMap<string, number>): {
  lines: BudgetLineActual[];
  totalBudgetFen: number;
  totalSpentFen: number;
  totalRemainingFen: number;
} {
  const out = lines.map((l) => {
    const s = spent.get(l.id) ?? 0;
    return {
      id: l.id,
      name: l.name,
      budgetFen: l.budgetFen,
      spentFen: s,
      remainingFen: l.budgetFen - s,
      // Integer division on fen (BigInt, so large budgets cannot overflow), rounded half up.
      usedBasisPoints: l.budgetFen <= 0 ? null : Number((BigInt(s) * 10000n + BigInt(l.budgetFen) / 2n) / BigInt(l.budgetFen)),
      over: s > l.budgetFen,
    };
  });
  const totalBudgetFen = sumFen(out.map((l) => l.budgetFen));
  const totalSpentFen = sumFen(out.map((l) => l.spentFen));
  return { lines: out, totalBudgetFen, totalSpentFen, totalRemainingFen: totalBudgetFen - totalSpentFen };
}

/** `1234` basis points → `12.34%`. */
export function formatBasisPoints(bp: number | null): string {
  if (bp === null) return '—';
  const sign = bp < 0 ? '-' : '';
  const abs = Math.abs(bp);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}%`;
}
