import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addDays, daysBetween } from '@shared/dates/parse';
import { autoMatch, checkManualMatch, counterpartyKey, reconcile, type MatchItem, type ReconItem } from '@shared/custody/matching';

const b = (id: string, date: string, amountFen: number, counterparty = ''): MatchItem => ({ id, date, amountFen, counterparty });
const e = b;

describe('autoMatch', () => {
  it('matches by exact amount within the date window', () => {
    const m = autoMatch([b('b1', '2026-03-05', -10000)], [e('e1', '2026-03-02', -10000), e('e2', '2026-03-05', -10001)]);
    expect(m).toEqual([expect.objectContaining({ bankLineId: 'b1', entryId: 'e1', pass: 4, rule: 'amount_window' })]);
  });
  it('never matches outside the window or with the opposite sign', () => {
    expect(autoMatch([b('b1', '2026-03-20', -10000)], [e('e1', '2026-03-02', -10000)], { windowDays: 5 })).toEqual([]);
    expect(autoMatch([b('b1', '2026-03-02', 10000)], [e('e1', '2026-03-02', -10000)])).toEqual([]);
  });
  it('prefers the same counterparty over a closer date', () => {
    const m = autoMatch(
      [b('b1', '2026-03-05', 500000, '某某区民政局')],
      [e('e1', '2026-03-05', 500000, '幸福社区'), e('e2', '2026-03-03', 500000, '某某区 民政局')],
    );
    expect(m).toEqual([expect.objectContaining({ bankLineId: 'b1', entryId: 'e2', pass: 2, rule: 'amount_date_counterparty' })]);
  });
  it('treats a counterparty containing the other (4+ chars) as the same', () => {
    expect(counterpartyKey(' 阳光物业（北京）有限公司 ')).toBe('阳光物业北京有限公司');
    const m = autoMatch([b('b1', '2026-03-05', 1, '阳光物业管理有限公司')], [e('e2', '2026-03-01', 1, '阳光物业管理有限公司某分公司'), e('e1', '2026-03-05', 1, '')]);
    expect(m[0].entryId).toBe('e2');
  });
  it('two identical payments on one day match two different entries, never one twice', () => {
    const m = autoMatch(
      [b('b1', '2026-03-05', -123450, '阳光物业'), b('b2', '2026-03-05', -123450, '阳光物业'), b('b3', '2026-03-05', -123450, '阳光物业')],
      [e('e1', '2026-03-05', -123450, '阳光物业'), e('e2', '2026-03-04', -123450, '阳光物业')],
    );
    expect(m.map((x) => x.entryId).sort()).toEqual(['e1', 'e2']);
    expect(new Set(m.map((x) => x.bankLineId)).size).toBe(2);
  });
  it('does not depend on input order', () => {
    const lines = [b('b1', '2026-03-05', 100, 'A'), b('b2', '2026-03-06', 100, 'B'), b('b3', '2026-03-06', 100)];
    const entries = [e('e1', '2026-03-06', 100, 'A'), e('e2', '2026-03-05', 100, 'B'), e('e3', '2026-03-01', 100)];
    const sorted = (xs: ReturnType<typeof autoMatch>) => [...xs].sort((x, y) => x.bankLineId.localeCompare(y.bankLineId));
    expect(sorted(autoMatch([...lines].reverse(), [...entries].reverse()))).toEqual(sorted(autoMatch(lines, entries)));
  });

  const item = (prefix: string) =>
    fc.record({
      day: fc.integer({ min: 0, max: 40 }),
      amountFen: fc.constantFrom(-500, -100, 100, 200, 300),
      counterparty: fc.constantFrom('', '甲单位', '乙单位'),
    });
  it('property: every match has equal amounts, is within the window, and uses each item once', () => {
    fc.assert(
      fc.property(fc.array(item('b'), { maxLength: 60 }), fc.array(item('e'), { maxLength: 60 }), fc.integer({ min: 0, max: 7 }), (bs, es, windowDays) => {
        const lines = bs.map((x, i) => b(`b${i}`, addDays('2026-03-01', x.day), x.amountFen, x.counterparty));
        const entries = es.map((x, i) => e(`e${i}`, addDays('2026-03-01', x.day), x.amountFen, x.counterparty));
        const m = autoMatch(lines, entries, { windowDays });
        const byId = new Map([...lines, ...entries].map((x) => [x.id, x]));
        const ok = m.every((x) => {
          const l = byId.get(x.bankLineId)!;
          const en = byId.get(x.entryId)!;
          return l.amountFen === en.amountFen && Math.abs(daysBetween(l.date, en.date)) <= windowDays;
        });
        return ok && new Set(m.map((x) => x.entryId)).size === m.length && new Set(m.map((x) => x.bankLineId)).size === m.length;
      }),
      { numRuns: 300 },
    );
  });
  it('property: when an unused candidate exists for an unmatched line, it was taken by someone else (maximal)', () => {
    fc.assert(
      fc.property(fc.array(item('b'), { maxLength: 40 }), fc.array(item('e'), { maxLength: 40 }), (bs, es) => {
        const lines = bs.map((x, i) => b(`b${i}`, addDays('2026-03-01', x.day), x.amountFen));
        const entries = es.map((x, i) => e(`e${i}`, addDays('2026-03-01', x.day), x.amountFen));
        const m = autoMatch(lines, entries, { windowDays: 3 });
        const usedE = new Set(m.map((x) => x.entryId));
        const usedB = new Set(m.map((x) => x.bankLineId));
        return lines
          .filter((l) => !usedB.has(l.id))
          .every((l) => !entries.some((en) => !usedE.has(en.id) && en.amountFen === l.amountFen && Math.abs(daysBetween(l.date, en.date)) <= 3));
      }),
      { numRuns: 300 },
    );
  });
});

describe('manual matching', () => {
  it('accepts one-to-many and many-to-one with equal sums', () => {
    expect(checkManualMatch({ bankLines: [b('b1', '2026-03-05', -30000)], entries: [e('e1', '2026-03-05', -10000), e('e2', '2026-03-05', -20000)] }, new Set())).toEqual({ ok: true });
    expect(checkManualMatch({ bankLines: [b('b1', '2026-03-05', 100), b('b2', '2026-03-06', 200)], entries: [e('e1', '2026-03-05', 300)] }, new Set())).toEqual({ ok: true });
  });
  it('refuses unequal sums, empty sides, duplicates and items already matched', () => {
    const r1 = checkManualMatch({ bankLines: [b('b1', '2026-03-05', -30000)], entries: [e('e1', '2026-03-05', -10000)] }, new Set());
    expect(r1).toEqual({ ok: false, error: '金额不相等：银行流水合计 -¥300.00，账簿合计 -¥100.00' });
    expect(checkManualMatch({ bankLines: [], entries: [e('e1', '2026-03-05', 1)] }, new Set()).ok).toBe(false);
    expect(checkManualMatch({ bankLines: [b('b1', 'x', 1), b('b1', 'x', 1)], entries: [e('e1', 'x', 2)] }, new Set()).ok).toBe(false);
    const r2 = checkManualMatch({ bankLines: [b('b1', 'x', 1)], entries: [e('e1', 'x', 1)] }, new Set(['e:e1']));
    expect(r2.ok === false && r2.error).toContain('已经勾对');
  });
});

describe('银行存款余额调节表', () => {
  const r = (id: string, date: string, amountFen: number, groupId: string | null = null): ReconItem => ({ id, date, amountFen, groupId });
  it('computes the four kinds of outstanding items and two agreeing balances', () => {
    // Opening 100,000.00 on both sides. Ledger: +5,000 (matched), -1,000 (bank not yet), +2,000 (bank not yet).
    // Bank: +5,000 (matched), -15.00 fee (ledger not yet), +3.21 interest (ledger not yet).
    const entries = [r('e1', '2026-03-02', 500000, 'g1'), r('e2', '2026-03-30', -100000), r('e3', '2026-03-31', 200000)];
    const bankLines = [r('b1', '2026-03-03', 500000, 'g1'), r('b2', '2026-03-31', -1500), r('b3', '2026-03-21', 321)];
    const ledger = 10000000 + 500000 - 100000 + 200000;
    const bank = 10000000 + 500000 - 1500 + 321;
    const rec = reconcile({ asOf: '2026-03-31', ledgerBalanceFen: ledger, bankBalanceFen: bank, entries, bankLines });
    expect(rec.ledgerInNotBank.map((x) => x.id)).toEqual(['e3']);
    expect(rec.ledgerOutNotBank.map((x) => x.id)).toEqual(['e2']);
    expect(rec.bankInNotLedger.map((x) => x.id)).toEqual(['b3']);
    expect(rec.bankOutNotLedger.map((x) => x.id)).toEqual(['b2']);
    expect(rec.adjustedLedgerFen).toBe(ledger + 321 - 1500);
    expect(rec.adjustedBankFen).toBe(bank + 200000 - 100000);
    expect(rec.agrees).toBe(true);
    expect(rec.differenceFen).toBe(0);
  });
  it('an item matched to something dated after the date is still outstanding on that date', () => {
    const entries = [r('e1', '2026-03-31', -5000, 'g1')];
    const bankLines = [r('b1', '2026-04-01', -5000, 'g1')];
    const march = reconcile({ asOf: '2026-03-31', ledgerBalanceFen: -5000, bankBalanceFen: 0, entries, bankLines });
    expect(march.ledgerOutNotBank.map((x) => x.id)).toEqual(['e1']);
    expect(march.agrees).toBe(true);
    const april = reconcile({ asOf: '2026-04-01', ledgerBalanceFen: -5000, bankBalanceFen: -5000, entries, bankLines });
    expect(april.ledgerOutNotBank).toEqual([]);
    expect(april.agrees).toBe(true);
  });
  it('reports the difference when something is wrong', () => {
    const rec = reconcile({ asOf: '2026-03-31', ledgerBalanceFen: 1000, bankBalanceFen: 900, entries: [], bankLines: [] });
    expect(rec.agrees).toBe(false);
    expect(rec.differenceFen).toBe(100);
  });
  it('property: with equal openings and balanced groups the adjusted balances always agree, for any date', () => {
    const move = fc.record({
      day: fc.integer({ min: 0, max: 60 }),
      lag: fc.integer({ min: -3, max: 10 }),
      amountFen: fc.integer({ min: -100000, max: 100000 }).filter((x) => x !== 0),
      kind: fc.constantFrom('both-matched', 'both-unmatched', 'ledger-only', 'bank-only', 'split'),
    });
    fc.assert(
      fc.property(fc.array(move, { maxLength: 40 }), fc.integer({ min: 0, max: 75 }), fc.integer({ min: 0, max: 1e9 }), (moves, asOfDay, opening) => {
        const base = '2026-01-01';
        const entries: ReconItem[] = [];
        const bankLines: ReconItem[] = [];
        moves.forEach((m, i) => {
          const ed = addDays(base, m.day);
          const bd = addDays(base, Math.max(0, m.day + m.lag));
          if (m.kind === 'both-matched') {
            entries.push(r(`e${i}`, ed, m.amountFen, `g${i}`));
            bankLines.push(r(`b${i}`, bd, m.amountFen, `g${i}`));
          } else if (m.kind === 'both-unmatched') {
            entries.push(r(`e${i}`, ed, m.amountFen));
            bankLines.push(r(`b${i}`, bd, m.amountFen));
          } else if (m.kind === 'ledger-only') entries.push(r(`e${i}`, ed, m.amountFen));
          else if (m.kind === 'bank-only') bankLines.push(r(`b${i}`, bd, m.amountFen));
          else {
            // one bank line paid as two vouchers
            const half = Math.trunc(m.amountFen / 2);
            entries.push(r(`e${i}a`, ed, half, `g${i}`), r(`e${i}b`, addDays(ed, 1), m.amountFen - half, `g${i}`));
            bankLines.push(r(`b${i}`, bd, m.amountFen, `g${i}`));
          }
        });
        const asOf = addDays(base, asOfDay);
        const upTo = (xs: ReconItem[]) => xs.filter((x) => x.date <= asOf).reduce((s, x) => s + x.amountFen, opening);
        const rec = reconcile({ asOf, ledgerBalanceFen: upTo(entries), bankBalanceFen: upTo(bankLines), entries, bankLines });
        return rec.agrees && rec.differenceFen === 0;
      }),
      { numRuns: 500 },
    );
  });
});

describe('autoMatch explains itself', () => {
  const pay = (id: string, date: string, counterparty = '阳光物业', reference = ''): MatchItem => ({ id, date, amountFen: -150_000, counterparty, reference });
  it('names the rule and a confidence for each pair: serial, amount+date+counterparty, amount within the window', () => {
    const bank = [
      { id: 'b1', date: '2026-03-05', amountFen: 80_000, counterparty: '某某', reference: 'HX0001 付记-2026-03-0007' },
      { id: 'b2', date: '2026-03-06', amountFen: 20_000, counterparty: '区民政局' },
      { id: 'b3', date: '2026-03-09', amountFen: 30_000, counterparty: '' },
    ];
    const entries = [
      { id: 'e1', date: '2026-03-02', amountFen: 80_000, counterparty: '另一家', reference: '记-2026-03-0007' },
      { id: 'e2', date: '2026-03-06', amountFen: 20_000, counterparty: '区民政局', reference: '记-2026-03-0008' },
      { id: 'e3', date: '2026-03-06', amountFen: 30_000, counterparty: '张三', reference: '记-2026-03-0009' },
    ];
    const m = autoMatch(bank, entries, { windowDays: 5 });
    expect(m.map((x) => [x.bankLineId, x.entryId, x.rule, x.confidence, x.dayGap])).toEqual([
      ['b1', 'e1', 'serial', 99, 3],
      ['b2', 'e2', 'amount_date_counterparty', 95, 0],
      ['b3', 'e3', 'amount_window', 58, 3],
    ]);
    expect(m[0].explanation).toBe('银行流水的流水号/摘要含凭证号 记-2026-03-0007，金额相同，日期相差 3 天');
    expect(m[1].explanation).toBe('金额相同、同一天、对方单位相同（区民政局）');
    expect(m[2].explanation).toBe('金额相同，日期相差 3 天（在 5 天范围内，对方单位未对上）');
  });

  it('two identical payments on one day with two bank lines stay two pairs, never merged', () => {
    const m = autoMatch([pay('b1', '2026-03-05'), pay('b2', '2026-03-05')], [pay('e1', '2026-03-05'), pay('e2', '2026-03-05')]);
    expect(m).toHaveLength(2);
    expect(new Set(m.map((x) => x.bankLineId)).size).toBe(2);
    expect(new Set(m.map((x) => x.entryId)).size).toBe(2);
    // The first choice had another equal candidate: it says so and is less sure.
    expect(m[0]).toMatchObject({ rule: 'amount_date_counterparty', alternatives: 1, confidence: 85 });
    expect(m[0].explanation).toContain('另有 1 笔同额记录可选，请核对');
    expect(m[1]).toMatchObject({ alternatives: 0, confidence: 95 });
  });

  it('two identical payments on one day with one bank line: one pair and one entry left unmatched', () => {
    const m = autoMatch([pay('b1', '2026-03-05')], [pay('e1', '2026-03-05'), pay('e2', '2026-03-05')]);
    expect(m).toHaveLength(1);
    expect(m[0]).toMatchObject({ bankLineId: 'b1', alternatives: 1 });
    const unmatched = ['e1', 'e2'].filter((id) => id !== m[0].entryId);
    expect(unmatched).toHaveLength(1);
    // And the other way round: two bank lines, one entry.
    const r = autoMatch([pay('b1', '2026-03-05'), pay('b2', '2026-03-05')], [pay('e1', '2026-03-05')]);
    expect(r).toHaveLength(1);
  });

  it('property: a pair is always one bank line and one entry of equal amount, each used once, confidence in 10..99', () => {
    const item = (p: string) =>
      fc.record({ n: fc.nat(20), day: fc.integer({ min: 1, max: 9 }), amount: fc.constantFrom(100, 200, -100), cp: fc.constantFrom('', '甲单位', '乙单位') }).map((x) => ({
        id: `${p}${x.n}-${x.day}-${x.amount}-${x.cp}`,
        date: `2026-03-0${x.day}`,
        amountFen: x.amount,
        counterparty: x.cp,
      }));
    fc.assert(
      fc.property(fc.uniqueArray(item('b'), { selector: (x) => x.id, maxLength: 12 }), fc.uniqueArray(item('e'), { selector: (x) => x.id, maxLength: 12 }), (bank, entries) => {
        const m = autoMatch(bank, entries, { windowDays: 3 });
        const amount = new Map([...bank, ...entries].map((x) => [x.id, x.amountFen]));
        expect(new Set(m.map((x) => x.bankLineId)).size).toBe(m.length);
        expect(new Set(m.map((x) => x.entryId)).size).toBe(m.length);
        for (const x of m) {
          expect(amount.get(x.bankLineId)).toBe(amount.get(x.entryId));
          expect(x.confidence).toBeGreaterThanOrEqual(10);
          expect(x.confidence).toBeLessThanOrEqual(99);
          expect(x.explanation.length).toBeGreaterThan(4);
        }
      }),
    );
  });
});
