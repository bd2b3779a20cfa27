import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregateFacts, totalOfFacts, fillMonths, type AttendanceFact, type StatDimension } from '@shared/training/stats';
import { creditAttendance, DEFAULT_ATTENDANCE_POLICY } from '@shared/training/attendance';
import { STAT_DIMS } from '../../../electron/core/db/migrations/0009_training_stat_cells';
import { caller, loginAs, openDemoCore } from '../../helpers/core';
import { rawAll, rawGet, rawRun } from '../../helpers/engine';

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

  it('has sign-ins only for sessions already over, registrations for the ones ahead', async () => {
    const sessions = await t.core.db.selectFrom('training_sessions').select(['id', 'date', 'start_time', 'minutes']).execute();
    const endOf = (s: (typeof sessions)[number]) => Date.parse(`${s.date}T${s.start_time}:00+08:00`) + s.minutes * 60_000;
    const ahead = new Set(sessions.filter((s) => endOf(s) > NOW.getTime()).map((s) => s.id));
    expect(ahead.size).toBeGreaterThan(0);
    const attended = await t.core.db.selectFrom('training_attendance').select('session_id').distinct().execute();
    expect(attended.filter((a) => ahead.has(a.session_id))).toEqual([]);
    const registered = await t.core.db.selectFrom('training_registrations').select('session_id').distinct().execute();
    expect(registered.filter((r) => ahead.has(r.session_id)).length).toBeGreaterThan(0);
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

/** Every kept cell and person count, against a fresh GROUP BY over the attendance rows (raw SQL on either engine). */
async function expectCellsMatchRows() {
  for (const [dim, key] of Object.entries(STAT_DIMS)) {
    const k = key('NEW').replace(/NEW\./g, '');
    const fresh = await rawAll(
      t.core,
      `SELECT CAST(substr(session_date, 1, 4) AS INTEGER) AS year, ${k} AS key, COUNT(*) AS person_times, COUNT(DISTINCT trainee_id) AS persons, SUM(credited_minutes) AS minutes
       FROM training_attendance WHERE attended = 1 GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    const kept = await rawAll(t.core, `SELECT year, key, person_times, persons, minutes FROM training_stat_cells WHERE dim = ? ORDER BY 1, 2`, dim);
    expect({ dim, cells: kept }).toEqual({ dim, cells: fresh });
    const people = await rawGet(t.core, `SELECT count(*) AS n, sum(n) AS s FROM training_stat_person_cells WHERE dim = ?`, dim);
    const freshPeople = await rawGet(
      t.core,
      `SELECT count(*) AS n, sum(c) AS s FROM (SELECT CAST(substr(session_date, 1, 4) AS INTEGER) AS y, ${k} AS k, trainee_id, COUNT(*) AS c
       FROM training_attendance WHERE attended = 1 GROUP BY 1, 2, 3) AS per_person`,
    );
    expect({ dim, people }).toEqual({ dim, people: freshPeople });
  }
}

describe('statistics kept by the attendance triggers', () => {
  it('stay equal to the attendance rows through sign-ins, status changes, session changes and deletions', async () => {
    await expectCellsMatchRows();
    const staff = caller(t.core, await loginAs(t.core, 'zhangli'));
    const s = await staff('training.sessions.save', {
      title: '统计口径核对',
      category: 'C01',
      format: 'M01',
      date: '2026-06-30',
      startTime: '09:00',
      minutes: 120,
      trainer: '周老师',
      capacity: 30,
      venueId: null,
      location: '基地二楼',
    });
    const a = await staff('training.signin.addPerson', { sessionId: s.id, name: '钱统一', phone: '13600000011', role: 'R02', clock: '09:00' });
    const b = await staff('training.signin.addPerson', { sessionId: s.id, name: '钱统二', phone: '13600000012', role: 'R06', clock: '09:20' });
    await staff('training.signin.addPerson', { sessionId: s.id, name: '钱统三', phone: '13600000013', role: 'R06', clock: '09:00' });
    // Someone who already has person-times this year: persons must not count them twice.
    const known = (await rawGet<{ trainee_id: string }>(t.core, `SELECT trainee_id FROM training_attendance WHERE attended = 1 AND session_date LIKE '2026-%' LIMIT 1`))!;
    await staff('training.signin.record', { sessionId: s.id, traineeId: known.trainee_id, clock: '09:05' });
    await expectCellsMatchRows();

    await staff('training.attendance.set', { sessionId: s.id, traineeId: a.row.traineeId, status: 'absent', lateMinutes: 0, earlyLeaveMinutes: 0 });
    await staff('training.attendance.set', { sessionId: s.id, traineeId: b.row.traineeId, status: 'late', lateMinutes: 45, earlyLeaveMinutes: 10 });
    await expectCellsMatchRows();
    await staff('training.attendance.set', { sessionId: s.id, traineeId: a.row.traineeId, status: 'present', lateMinutes: 0, earlyLeaveMinutes: 0 });

    // Another category, format, month and length: the session's copies and credited hours are rewritten.
    const got = await staff('training.sessions.get', { id: s.id });
    await staff('training.sessions.save', {
      id: s.id,
      title: got.title,
      category: 'C06',
      format: 'M04',
      date: '2026-07-01',
      startTime: '09:00',
      minutes: 180,
      trainer: got.trainer,
      capacity: got.capacity,
      venueId: null,
      location: got.location,
    });
    await expectCellsMatchRows();

    // Rows taken out (the triggers also hold for writes outside the services).
    await rawRun(t.core, `DELETE FROM training_attendance WHERE session_id = ? AND trainee_id = ?`, s.id, b.row.traineeId);
    await rawRun(t.core, `UPDATE training_attendance SET session_date = '2025-12-31' WHERE session_id = ? AND trainee_id = ?`, s.id, known.trainee_id);
    await expectCellsMatchRows();

    const st = await t.call('training.stats', { year: 2026 });
    expect(st.byCategory.find((c) => c.key === 'C06')!.personTimes).toBeGreaterThanOrEqual(2);
  });
});
