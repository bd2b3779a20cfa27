/**
 * Report computations on already-fetched rows: the per-organization 代管资金对账单 (opening, movements with a
 * running balance, closing) and budget versus actual. Pure, so the printed page, the xlsx file and the screen
 * show the same numbers.
 */
import { sumFen } from '../money';

export interface StatementMovement {
  date: string;
  voucherNo: string;
  summary: string;
  counterparty: string;
  /** Signed change of the organization's balance: + 拨入/收入, − 支出. */
  amountFen: number;
}

export interface OrgStatementRow extends StatementMovement {
  inFen: number;
  outFen: number;
  balanceFen: number;
}

export interface OrgStatement {
  from: string;
  to: string;
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
  let balance = p.openingFen;
  const rows: OrgStatementRow[] = sorted.map((m) => {
    if (m.date < p.from || m.date > p.to) throw new RangeError(`${m.voucherNo} 的日期 ${m.date} 不在对账期间内`);
    balance = sumFen([balance, m.amountFen]);
    return { ...m, inFen: m.amountFen > 0 ? m.amountFen : 0, outFen: m.amountFen < 0 ? -m.amountFen : 0, balanceFen: balance };
  });
  const totalInFen = sumFen(rows.map((r) => r.inFen));
  const totalOutFen = sumFen(rows.map((r) => r.outFen));
  return { from: p.from, to: p.to, openingFen: p.openingFen, rows, totalInFen, totalOutFen, closingFen: balance };
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
