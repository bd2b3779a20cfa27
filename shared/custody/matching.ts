/**
 * Matching bank statement lines to ledger entries, and the 银行存款余额调节表.
 *
 * A ledger entry is one posted voucher's movement on one bank account (the sum of its 1002 lines there), signed
 * like a statement line: + money in, − money out. A match group ties one or more bank lines to one or more
 * entries with equal sums. Automatic matching only makes one-to-one groups; the accountant makes the others.
 */
import { daysFromCivil, splitDate } from '../dates/parse';
import { formatFen, sumFen } from '../money';
import { normalizeName } from '../text/normalize';

export interface MatchItem {
  id: string;
  date: string;
  amountFen: number;
  counterparty?: string | null;
  /** Entry: its voucher number; bank line: its serial and summary, where a payer often quotes our number. */
  reference?: string | null;
}

export interface AutoMatchOptions {
  /** Largest distance in days between the bank date and the voucher date (default 5). */
  windowDays?: number;
}

/** The rule that matched a pair: the bank line quotes the voucher number; amount, date and counterparty; amount within the window. */
export type MatchRule = 'serial' | 'amount_date_counterparty' | 'amount_window';
export const MATCH_RULE_LABELS: Record<MatchRule, string> = {
  serial: '流水号/摘要含凭证号',
  amount_date_counterparty: '金额+日期+对方单位',
  amount_window: '金额相同（日期范围内）',
};

export interface AutoMatch {
  bankLineId: string;
  entryId: string;
  /**
   * Which pass found it: 0 the bank line quotes the voucher number, 1 same counterparty and day, 2 same
   * counterparty in window, 3 same day, 4 in window.
   */
  pass: 0 | 1 | 2 | 3 | 4;
  rule: MatchRule;
  /** 0-100: how sure the rule is, lowered by the distance in days and by other equal candidates left aside. */
  confidence: number;
  /** Days between the bank date and the voucher date. */
  dayGap: number;
  /** Unused entries of the same amount in the window that this bank line could also have taken. */
  alternatives: number;
  /** Why, in Chinese, for the accountant. */
  explanation: string;
}

/** The confidence of a pass at a distance in days with `alternatives` other equal candidates. */
export function matchConfidence(pass: AutoMatch['pass'], dayGap: number, alternatives: number): number {
  const base = [99, 95, 90 - 3 * dayGap, 80, 70 - 4 * dayGap][pass];
  return Math.max(10, Math.min(99, base - 10 * Math.min(alternatives, 3)));
}

function explain(pass: AutoMatch['pass'], dayGap: number, alternatives: number, window: number, counterparty: string, reference: string): string {
  const gap = dayGap === 0 ? '同一天' : `日期相差 ${dayGap} 天`;
  const text = [
    `银行流水的流水号/摘要含凭证号 ${reference}，金额相同，${gap}`,
    `金额相同、同一天、对方单位相同（${counterparty}）`,
    `金额相同、对方单位相同（${counterparty}），${gap}（在 ${window} 天范围内）`,
    '金额相同、同一天（对方单位未对上）',
    `金额相同，${gap}（在 ${window} 天范围内，对方单位未对上）`,
  ][pass];
  return alternatives > 0 ? `${text}；另有 ${alternatives} 笔同额记录可选，请核对` : text;
}

/** A reference is quoted when the bank line's text contains the voucher number (numbers shorter than 6 never count). */
function quotes(bankText: string, reference: string): boolean {
  return reference.length >= 6 && bankText.includes(reference);
}

function dayNumber(date: string, memo?: Map<string, number>): number {
  const known = memo?.get(date);
  if (known !== undefined) return known;
  const { year, month, day } = splitDate(date);
  const n = daysFromCivil(year, month, day);
  memo?.set(date, n);
  return n;
}

/** Counterparty names as comparable keys: normalized, without blanks and the usual bracket variants. */
export function counterpartyKey(name: string | null | undefined): string {
  return normalizeName(name ?? '')
    .replace(/[\s()（）]/g, '')
    .toLowerCase();
}

function sameCounterparty(a: string, b: string): boolean {
  if (a === '' || b === '') return false;
  return a === b || (Math.min(a.length, b.length) >= 4 && (a.includes(b) || b.includes(a)));
}

/**
 * Automatic pass over unmatched items (the caller passes only unmatched ones). Exact amount only. Passes from
 * strictest to loosest; within a pass bank lines are taken in date order and each takes the closest candidate
 * (then the earliest, then the smallest id), so the result does not depend on input order. An entry or a bank
 * line is used at most once.
 */
export function autoMatch(bankLines: readonly MatchItem[], entries: readonly MatchItem[], options: AutoMatchOptions = {}): AutoMatch[] {
  const window = options.windowDays ?? 5;
  const days = new Map<string, number>();
  type E = { id: string; day: number; cp: string; cpName: string; ref: string; used: boolean };
  const byAmount = new Map<number, E[]>();
  for (const e of entries) {
    if (e.amountFen === 0) continue;
    const list = byAmount.get(e.amountFen) ?? [];
    list.push({ id: e.id, day: dayNumber(e.date, days), cp: counterpartyKey(e.counterparty), cpName: (e.counterparty ?? '').trim(), ref: (e.reference ?? '').trim(), used: false });
    byAmount.set(e.amountFen, list);
  }
  for (const list of byAmount.values()) list.sort((x, y) => x.day - y.day || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));

  const lines = bankLines
    .filter((b) => b.amountFen !== 0)
    .map((b) => ({ id: b.id, day: dayNumber(b.date, days), amount: b.amountFen, cp: counterpartyKey(b.counterparty), text: b.reference ?? '', used: false }))
    .sort((x, y) => x.day - y.day || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));

  const out: AutoMatch[] = [];
  const passes: { pass: AutoMatch['pass']; maxDays: number; needCp: boolean; needRef?: boolean }[] = [
    { pass: 0, maxDays: window, needCp: false, needRef: true },
    { pass: 1, maxDays: 0, needCp: true },
    { pass: 2, maxDays: window, needCp: true },
    { pass: 3, maxDays: 0, needCp: false },
    { pass: 4, maxDays: window, needCp: false },
  ];
  for (const { pass, maxDays, needCp, needRef } of passes) {
    for (const b of lines) {
      if (b.used) continue;
      const list = byAmount.get(b.amount);
      if (!list) continue;
      let best: E | null = null;
      let bestDist = Infinity;
      // The list is sorted by day: a binary search finds the window start.
      let lo = 0;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (list[mid].day < b.day - maxDays) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < list.length && list[i].day <= b.day + maxDays; i++) {
        const e = list[i];
        if (e.used) continue;
        if (needRef && !quotes(b.text, e.ref)) continue;
        if (needCp && !sameCounterparty(b.cp, e.cp)) continue;
        const dist = Math.abs(e.day - b.day);
        if (dist < bestDist) {
          best = e;
          bestDist = dist;
        }
      }
      if (best) {
        best.used = true;
        b.used = true;
        // The other unused entries of this amount within the whole window: candidates the accountant may weigh.
        const alternatives = pass === 0 ? 0 : countInWindow(list, b.day, window);
        out.push({
          bankLineId: b.id,
          entryId: best.id,
          pass,
          rule: pass === 0 ? 'serial' : pass <= 2 ? 'amount_date_counterparty' : 'amount_window',
          confidence: matchConfidence(pass, bestDist, alternatives),
          dayGap: bestDist,
          alternatives,
          explanation: explain(pass, bestDist, alternatives, window, best.cpName, best.ref),
        });
      }
    }
  }
  return out;
}

/** Unused entries of a day-sorted list within `window` days of `day`. */
function countInWindow(list: readonly { day: number; used: boolean }[], day: number, window: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].day < day - window) lo = mid + 1;
    else hi = mid;
  }
  let n = 0;
  for (let i = lo; i < list.length && list[i].day <= day + window; i++) if (!list[i].used) n++;
  return n;
}

export interface MatchGroupInput {
  bankLines: readonly MatchItem[];
  entries: readonly MatchItem[];
}

/**
 * A hand-made match: at least one item on each side, none already matched, equal sums. Many-to-one and
 * one-to-many are the usual cases (a bank batch payment covering several vouchers, a voucher paid in two
 * transfers); many-to-many is accepted as long as the sums agree.
 */
export function checkManualMatch(g: MatchGroupInput, alreadyMatched: ReadonlySet<string>): { ok: true } | { ok: false; error: string } {
  if (g.bankLines.length === 0 || g.entries.length === 0) return { ok: false, error: '请至少选择一条银行流水和一条账簿记录' };
  const ids = [...g.bankLines.map((b) => `b:${b.id}`), ...g.entries.map((e) => `e:${e.id}`)];
  if (new Set(ids).size !== ids.length) return { ok: false, error: '同一条记录被选择了两次' };
  const taken = ids.filter((id) => alreadyMatched.has(id));
  if (taken.length > 0) return { ok: false, error: `有 ${taken.length} 条记录已经勾对，请先取消原来的勾对` };
  const bankSum = sumFen(g.bankLines.map((b) => b.amountFen));
  const entrySum = sumFen(g.entries.map((e) => e.amountFen));
  if (bankSum !== entrySum) {
    return { ok: false, error: `金额不相等：银行流水合计 ${formatFen(bankSum)}，账簿合计 ${formatFen(entrySum)}` };
  }
  return { ok: true };
}

// ---------------------------------------------------------------------------------------------------------
// 银行存款余额调节表

export interface ReconItem extends MatchItem {
  /** Match group id, or null when unmatched. */
  groupId: string | null;
}

export interface Reconciliation {
  asOf: string;
  ledgerBalanceFen: number;
  bankBalanceFen: number;
  /** 企业已收，银行未收 */
  ledgerInNotBank: ReconItem[];
  /** 企业已付，银行未付 */
  ledgerOutNotBank: ReconItem[];
  /** 银行已收，企业未收 */
  bankInNotLedger: ReconItem[];
  /** 银行已付，企业未付 */
  bankOutNotLedger: ReconItem[];
  /** ledger + 银行已收企业未收 − 银行已付企业未付 */
  adjustedLedgerFen: number;
  /** bank + 企业已收银行未收 − 企业已付银行未付 */
  adjustedBankFen: number;
  differenceFen: number;
  agrees: boolean;
}

export const RECON_SECTION_LABELS = {
  ledgerInNotBank: '企业已收、银行未收',
  ledgerOutNotBank: '企业已付、银行未付',
  bankInNotLedger: '银行已收、企业未收',
  bankOutNotLedger: '银行已付、企业未付',
} as const;

/**
 * The reconciliation as of a date. `entries` and `bankLines` are every item up to and including `asOf`
 * (later ones may be passed too; they are ignored), each with its match group. An item counts as settled only
 * when its whole group lies on or before `asOf`: a voucher of 31 March paid by the bank on 1 April is outstanding
 * on 31 March. The balances are the ledger's 1002 balance and the bank statement's balance at close of `asOf`.
 */
export function reconcile(p: {
  asOf: string;
  ledgerBalanceFen: number;
  bankBalanceFen: number;
  entries: readonly ReconItem[];
  bankLines: readonly ReconItem[];
}): Reconciliation {
  const groupComplete = new Map<string, boolean>();
  for (const item of [...p.entries, ...p.bankLines]) {
    if (!item.groupId) continue;
    const inRange = item.date <= p.asOf;
    groupComplete.set(item.groupId, (groupComplete.get(item.groupId) ?? true) && inRange);
  }
  const outstanding = (items: readonly ReconItem[]) =>
    items
      .filter((i) => i.date <= p.asOf && (!i.groupId || !groupComplete.get(i.groupId)))
      .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : 1));
  const ent = outstanding(p.entries);
  const bank = outstanding(p.bankLines);
  const ledgerInNotBank = ent.filter((i) => i.amountFen > 0);
  const ledgerOutNotBank = ent.filter((i) => i.amountFen < 0);
  const bankInNotLedger = bank.filter((i) => i.amountFen > 0);
  const bankOutNotLedger = bank.filter((i) => i.amountFen < 0);
  const sum = (xs: readonly ReconItem[]) => sumFen(xs.map((x) => x.amountFen));
  // Outflows are negative, so adding the signed sums subtracts them.
  const adjustedLedgerFen = sumFen([p.ledgerBalanceFen, sum(bankInNotLedger), sum(bankOutNotLedger)]);
  const adjustedBankFen = sumFen([p.bankBalanceFen, sum(ledgerInNotBank), sum(ledgerOutNotBank)]);
  return {
    asOf: p.asOf,
    ledgerBalanceFen: p.ledgerBalanceFen,
    bankBalanceFen: p.bankBalanceFen,
    ledgerInNotBank,
    ledgerOutNotBank,
    bankInNotLedger,
    bankOutNotLedger,
    adjustedLedgerFen,
    adjustedBankFen,
    differenceFen: adjustedLedgerFen - adjustedBankFen,
    agrees: adjustedLedgerFen === adjustedBankFen,
  };
}
