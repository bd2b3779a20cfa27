import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  STAT_DIMENSIONS,
  aggregateFacts,
  compareWithPlan,
  cumulative,
  expectedByDate,
  factKey,
  fillMonths,
  formatPermille,
  totalOfFacts,
  traineeTotals,
  type AttendanceFact,
} from '@shared/training/stats';
import { ATTENDANCE_STATUSES } from '@shared/training/attendance';

const f = (traineeId: string, role: string, category: string, date: string, status: AttendanceFact['status'] = 'present', creditedMinutes = 120, organizationId: string | null = 'o1', format = 'online'): AttendanceFact => ({
  traineeId, role, category, format, date, organizationId, status, creditedMinutes,
});

const facts = [
  f('a', 'volunteer', 'safety', '2026-01-10'),
  f('a', 'volunteer', 'capacity', '2026-01-20', 'late', 90),
  f('b', 'org_leader', 'safety', '2026-03-01', 'present', 120, null),
  f('c', 'org_leader', 'safety', '2026-03-01', 'absent', 0),
  f('d', 'volunteer', 'safety', '2026-03-01', 'excused', 0),
];

describe('aggregateFacts', () => {
  it('counts person-times and distinct persons, ignoring excused and absent', () => {
    expect(aggregateFacts(facts, 'role')).toEqual([
      { key: 'org_leader', personTimes: 1, persons: 1, creditedMinutes: 120 },
      { key: 'volunteer', personTimes: 2, persons: 1, creditedMinutes: 210 },
    ]);
    expect(aggregateFacts(facts, 'category')).toEqual([
      { key: 'capacity', personTimes: 1, persons: 1, creditedMinutes: 90 },
      { key: 'safety', personTimes: 2, persons: 2, creditedMinutes: 240 },
    ]);
    expect(aggregateFacts(facts, 'month').map((c) => c.key)).toEqual(['2026-01', '2026-03']);
    expect(aggregateFacts(facts, 'organization').map((c) => c.key)).toEqual(['', 'o1']);
    expect(totalOfFacts(facts)).toEqual({ personTimes: 3, persons: 2, creditedMinutes: 330 });
  });

  it('property: person-times add up to the total in every dimension; persons never exceed person-times', () => {
    const fact = fc.record({
      traineeId: fc.constantFrom('a', 'b', 'c', 'd'),
      role: fc.constantFrom('r1', 'r2'),
      category: fc.constantFrom('c1', 'c2', 'c3'),
      format: fc.constantFrom('f1', 'f2'),
      date: fc.constantFrom('2026-01-05', '2026-02-10', '2026-12-31'),
      organizationId: fc.option(fc.constantFrom('o1', 'o2'), { nil: null }),
      status: fc.constantFrom(...ATTENDANCE_STATUSES),
      creditedMinutes: fc.integer({ min: 0, max: 300 }),
    });
    fc.assert(
      fc.property(fc.array(fact, { maxLength: 40 }), (list) => {
        const total = totalOfFacts(list);
        for (const dim of STAT_DIMENSIONS) {
          const cells = aggregateFacts(list, dim);
          expect(cells.reduce((s, c) => s + c.personTimes, 0)).toBe(total.personTimes);
          expect(cells.reduce((s, c) => s + c.creditedMinutes, 0)).toBe(total.creditedMinutes);
          for (const c of cells) {
            expect(c.persons).toBeLessThanOrEqual(c.personTimes);
            const mine = list.filter((x) => factKey(x, dim) === c.key && (x.status === 'present' || x.status === 'late'));
            expect(c.persons).toBe(new Set(mine.map((x) => x.traineeId)).size);
          }
          // a person may be in several groups: the total lies between the largest group and the sum
          expect(total.persons).toBeLessThanOrEqual(cells.reduce((s, c) => s + c.persons, 0));
          expect(total.persons).toBeGreaterThanOrEqual(Math.max(0, ...cells.map((c) => c.persons)));
        }
      }),
    );
  });
});

describe('months and plan', () => {
  it('fills the twelve months and accumulates', () => {
    const months = fillMonths(2026, aggregateFacts(facts, 'month'));
    expect(months).toHaveLength(12);
    expect(months.map((m) => m.personTimes)).toEqual([2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(cumulative(months).slice(0, 4)).toEqual([2, 2, 3, 3]);
  });

  it('compares actual person-times with targets', () => {
    const cmp = compareWithPlan(
      [
        { dimension: 'total', key: '', personTimes: 4 },
        { dimension: 'role', key: 'volunteer', personTimes: 2 },
        { dimension: 'category', key: 'party_building', personTimes: 10 },
        { dimension: 'category', key: 'safety', personTimes: 0 },
      ],
      { total: 3, role: aggregateFacts(facts, 'role'), category: aggregateFacts(facts, 'category') },
    );
    expect(cmp).toEqual([
      { dimension: 'total', key: '', target: 4, actual: 3, remaining: 1, ratePermille: 750, achieved: false },
      { dimension: 'role', key: 'volunteer', target: 2, actual: 2, remaining: 0, ratePermille: 1000, achieved: true },
      { dimension: 'category', key: 'party_building', target: 10, actual: 0, remaining: 10, ratePermille: 0, achieved: false },
      { dimension: 'category', key: 'safety', target: 0, actual: 2, remaining: 0, ratePermille: null, achieved: true },
    ]);
    expect(formatPermille(853)).toBe('85.3%');
    expect(formatPermille(1200)).toBe('120.0%');
    expect(formatPermille(null)).toBe('—');
  });

  it('spreads a target evenly over the year', () => {
    expect(expectedByDate(365, 2026, '2025-12-31')).toBe(0);
    expect(expectedByDate(365, 2026, '2026-01-01')).toBe(1);
    expect(expectedByDate(365, 2026, '2026-07-02')).toBe(183);
    expect(expectedByDate(365, 2026, '2026-12-31')).toBe(365);
    expect(expectedByDate(100, 2024, '2024-12-31')).toBe(100); // leap year
    expect(expectedByDate(100, 2026, '2027-03-01')).toBe(100);
  });

  it('totals one trainee history', () => {
    expect(traineeTotals(facts.filter((x) => x.traineeId === 'a').map((x, i) => ({ ...x, completed: i === 0 })))).toEqual({
      personTimes: 2, creditedMinutes: 210, completed: 1, absences: 0,
    });
    expect(traineeTotals([{ ...facts[3], completed: false }])).toEqual({ personTimes: 0, creditedMinutes: 0, completed: 0, absences: 1 });
  });
});
