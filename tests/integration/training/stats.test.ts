import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregateFacts, totalOfFacts, fillMonths, type AttendanceFact, type StatDimension } from '@shared/training/stats';
import { creditAttendance, DEFAULT_ATTENDANCE_POLICY } from '@shared/training/attendance';
import { openDemoCore } from '../../helpers/core';

type T = Awaited<ReturnType<typeof openDemoCore>>;
let t: T;
const NOW = new Date('2026-06-30T04:00:00Z');

beforeAll(async () => {
  t = await openDemoCore('zhaoqiang', { now: () => NOW }); // a viewer reads statistics
});
afterAll(async () => t?.cleanup());

/** Facts straight from the rows, joined with sessions and trainees (no copies), for a brute-force check. */
async function facts(year: number): Promise<AttendanceFact[]> {
  const rows = await t.core.db
    .selectFrom('training_attendance as a')
    .innerJoin('training_sessions as s', 's.id', 'a.session_id')
    .select(['a.trainee_id', 'a.role', 's.category', 's.format', 's.date', 'a.organization_id', 'a.status', 'a.credited_minutes'])
    .where('s.date', '>=', `${year}-01-01`)
    .where('s.date', '<=', `${year}-12-31`)
    .execute();
  return rows.map((r) => ({
    traineeId: r.trainee_id,
    role: r.role,
    category: r.category,
    format: r.format,
    date: r.date,
    organizationId: r.organization_id,
    status: r.status,
    creditedMinutes: r.credited_minutes,
  }));
}

describe('statistics on the demo year', () => {
  it('SQL person-times equal the shared aggregation of the raw facts, in every dimension', async () => {
    for (const year of [2025, 2026]) {
      const f = await facts(year);
      expect(f.length).toBeGreaterThan(100);
      const st = await t.call('training.stats', { year });
      const total = totalOfFacts(f);
      expect(st.total).toMatchObject(total);
      const strip = (cells: { key: string; personTimes: number; persons: number; creditedMinutes: number }[]) =>
        cells.map(({ key, personTimes, persons, creditedMinutes }) => ({ key, personTimes, persons, creditedMinutes }));
      const dims: [StatDimension, typeof st.byRole][] = [
        ['role', st.byRole],
        ['category', st.byCategory],
        ['format', st.byFormat],
      ];
      for (const [dim, cells] of dims) expect(strip(cells)).toEqual(aggregateFacts(f, dim));
      expect(strip(st.byMonth)).toEqual(fillMonths(year, aggregateFacts(f, 'month')));
      const orgs = aggregateFacts(f, 'organization').sort((a, b) => b.personTimes - a.personTimes || (a.key < b.key ? -1 : 1)).slice(0, 30);
      expect(strip(st.byOrganization)).toEqual(orgs);
    }
  });

  it('stored credited hours follow the attendance rule', async () => {
    const rows = await t.core.db
      .selectFrom('training_attendance as a')
      .innerJoin('training_sessions as s', 's.id', 'a.session_id')
      .select(['a.status', 'a.late_minutes', 'a.early_leave_minutes', 'a.credited_minutes', 'a.completed', 's.minutes'])
      .execute();
    for (const r of rows) {
      const c = creditAttendance({ status: r.status, lateMinutes: r.late_minutes, earlyLeaveMinutes: r.early_leave_minutes }, r.minutes, DEFAULT_ATTENDANCE_POLICY);
      expect([r.credited_minutes, r.completed === 1]).toEqual([c.creditedMinutes, c.completed]);
    }
  });

  it('the plan comparison uses the year plan and every certificate serial is unique', async () => {
    const st = await t.call('training.stats', { year: 2026 });
    expect(st.plan[0]).toMatchObject({ dimension: 'total', label: '全年合计', actual: st.total.personTimes });
    expect(st.expectedToDate).toBe(Math.floor((st.plan[0].target * 181) / 365));
    const serials = await t.core.db.selectFrom('training_certificates').select(['serial', 'year', 'sequence']).execute();
    expect(new Set(serials.map((s) => s.serial)).size).toBe(serials.length);
    for (const s of serials) expect(s.serial).toBe(`PX-${s.year}-${String(s.sequence).padStart(6, '0')}`);
  });
});
