import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULT_ATTENDANCE_POLICY,
  attendanceProblems,
  creditAttendance,
  formatHours,
  parseAttendanceStatus,
  parseClock,
  parseDurationToMinutes,
  statusAtSignIn,
} from '@shared/training/attendance';

const P = DEFAULT_ATTENDANCE_POLICY;
/** The arithmetic without a grace period. */
const P0 = { ...P, lateGraceMinutes: 0 };

describe('creditAttendance', () => {
  it('credits a full session in full, even when it is not whole half hours', () => {
    expect(creditAttendance({ status: 'present', lateMinutes: 0, earlyLeaveMinutes: 0 }, 180)).toEqual({ creditedMinutes: 180, missedMinutes: 0, completed: true });
    expect(creditAttendance({ status: 'present', lateMinutes: 0, earlyLeaveMinutes: 0 }, 100).creditedMinutes).toBe(100);
  });

  it('deducts late and early minutes and rounds down to half hours', () => {
    // 3 h session, 20 min late: 160 min → 150 min (2.5 h); attended 160/180 = 89 % ≥ 80 % → completed
    expect(creditAttendance({ status: 'late', lateMinutes: 20, earlyLeaveMinutes: 0 }, 180, P0)).toEqual({ creditedMinutes: 150, missedMinutes: 20, completed: true });
    // 3 h session, 20 late + 15 early: 145 → 120 (2 h); attended 145/180 = 80.6 % → completed (the hours' rounding is not judged)
    expect(creditAttendance({ status: 'late', lateMinutes: 20, earlyLeaveMinutes: 15 }, 180, P0)).toEqual({ creditedMinutes: 120, missedMinutes: 35, completed: true });
    // 3 h session, 30 late + 10 early: 140/180 = 77.8 % → not completed
    expect(creditAttendance({ status: 'late', lateMinutes: 30, earlyLeaveMinutes: 10 }, 180, P0)).toEqual({ creditedMinutes: 120, missedMinutes: 40, completed: false });
    // early leave alone with status present
    expect(creditAttendance({ status: 'present', lateMinutes: 0, earlyLeaveMinutes: 1 }, 120).creditedMinutes).toBe(90);
  });

  it('issue 18: by default a trainee 5 minutes late keeps the full hours and the certificate; 15 minutes late still completes', () => {
    expect(P.lateGraceMinutes).toBeGreaterThan(0);
    expect(creditAttendance({ status: 'late', lateMinutes: 5, earlyLeaveMinutes: 0 }, 120)).toEqual({ creditedMinutes: 120, missedMinutes: 0, completed: true });
    expect(statusAtSignIn('09:00', '09:05')).toEqual({ status: 'present', lateMinutes: 5 });
    // 15 minutes late: 5 beyond the grace, 115 of 120 minutes attended; the hours are 1.5 but the session is completed
    expect(creditAttendance({ status: 'late', lateMinutes: 15, earlyLeaveMinutes: 0 }, 120)).toEqual({ creditedMinutes: 90, missedMinutes: 5, completed: true });
  });

  it('gives nothing to excused and absent', () => {
    for (const status of ['excused', 'absent'] as const) {
      expect(creditAttendance({ status, lateMinutes: 0, earlyLeaveMinutes: 0 }, 120)).toEqual({ creditedMinutes: 0, missedMinutes: 0, completed: false });
    }
  });

  it('a "late" without minutes loses nothing; the grace period is not deducted', () => {
    expect(creditAttendance({ status: 'late', lateMinutes: 0, earlyLeaveMinutes: 0 }, 120).creditedMinutes).toBe(120);
    const policy = { ...P, lateGraceMinutes: 10 };
    expect(creditAttendance({ status: 'late', lateMinutes: 10, earlyLeaveMinutes: 0 }, 120, policy).creditedMinutes).toBe(120);
    expect(creditAttendance({ status: 'late', lateMinutes: 11, earlyLeaveMinutes: 0 }, 120, policy).creditedMinutes).toBe(90);
  });

  it('completion share is configurable', () => {
    const a = { status: 'late' as const, lateMinutes: 30, earlyLeaveMinutes: 0 };
    expect(creditAttendance(a, 120, { ...P0, completionPercent: 75 }).completed).toBe(true); // 90/120 = 75 %
    expect(creditAttendance(a, 120, { ...P0, completionPercent: 76 }).completed).toBe(false);
  });

  it('property: credited minutes are a multiple of 30 or the whole session, never more than attended', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 600 }),
        fc.integer({ min: 0, max: 600 }),
        fc.integer({ min: 0, max: 600 }),
        fc.integer({ min: 1, max: 100 }),
        (session, late, early, pct) => {
          const r = creditAttendance({ status: 'late', lateMinutes: late, earlyLeaveMinutes: early }, session, { ...P0, completionPercent: pct });
          const attended = Math.max(0, session - late - early);
          expect(r.creditedMinutes).toBeGreaterThanOrEqual(0);
          expect(r.creditedMinutes).toBeLessThanOrEqual(attended);
          if (r.creditedMinutes !== session) expect(r.creditedMinutes % 30).toBe(0);
          // completion is judged on the attended minutes, before the hours are rounded down
          expect(r.completed).toBe(attended > 0 && attended * 100 >= pct * session);
        },
      ),
    );
  });

  it('refuses a non-positive session length', () => {
    expect(() => creditAttendance({ status: 'present', lateMinutes: 0, earlyLeaveMinutes: 0 }, 0)).toThrow();
  });
});

describe('attendanceProblems', () => {
  it('names each problem in Chinese', () => {
    expect(attendanceProblems({ status: 'present', lateMinutes: -1, earlyLeaveMinutes: 0 }, 120)).toEqual(['迟到分钟数必须是不小于0的整数']);
    expect(attendanceProblems({ status: 'absent', lateMinutes: 5, earlyLeaveMinutes: 0 }, 120)).toEqual(['缺勤的记录不能有迟到或早退时间']);
    expect(attendanceProblems({ status: 'late', lateMinutes: 60, earlyLeaveMinutes: 60 }, 120)).toEqual([
      '迟到与早退合计120分钟，不少于培训时长120分钟，应记为缺勤',
    ]);
    expect(attendanceProblems({ status: 'late', lateMinutes: 10, earlyLeaveMinutes: 5 }, 120)).toEqual([]);
  });
});

describe('sign-in time and parsing', () => {
  it('derives late minutes from the start time', () => {
    expect(statusAtSignIn('09:00', '08:55')).toEqual({ status: 'present', lateMinutes: 0 });
    expect(statusAtSignIn('09:00', '09:17')).toEqual({ status: 'late', lateMinutes: 17 });
    expect(statusAtSignIn('09:00', '09:05', { ...P, lateGraceMinutes: 5 })).toEqual({ status: 'present', lateMinutes: 5 });
    expect(statusAtSignIn(null, '10:00')).toEqual({ status: 'present', lateMinutes: 0 });
  });

  it('parses clocks', () => {
    expect(parseClock('9:05')).toBe(545);
    expect(parseClock('09：05')).toBe(545);
    expect(parseClock('24:00')).toBeNull();
    expect(parseClock('abc')).toBeNull();
  });

  it('parses statuses as sheets write them', () => {
    expect(parseAttendanceStatus('已签到')).toBe('present');
    expect(parseAttendanceStatus(' 迟到 ')).toBe('late');
    expect(parseAttendanceStatus('病假')).toBe('excused');
    expect(parseAttendanceStatus('未到')).toBe('absent');
    expect(parseAttendanceStatus('PRESENT')).toBe('present');
    expect(parseAttendanceStatus('也许')).toBeNull();
  });

  it('converts hours to whole minutes and back', () => {
    expect(parseDurationToMinutes('2')).toEqual({ ok: true, minutes: 120 });
    expect(parseDurationToMinutes(1.5)).toEqual({ ok: true, minutes: 90 });
    expect(parseDurationToMinutes('2.5小时')).toEqual({ ok: true, minutes: 150 });
    expect(parseDurationToMinutes('0.25')).toEqual({ ok: true, minutes: 15 });
    expect(parseDurationToMinutes('45分钟')).toEqual({ ok: true, minutes: 45 });
    expect(parseDurationToMinutes('0.33')).toEqual({ ok: false, message: '时长“0.33”不是整分钟数' });
    expect(parseDurationToMinutes('0')).toMatchObject({ ok: false });
    expect(parseDurationToMinutes('25')).toMatchObject({ ok: false });
    expect(parseDurationToMinutes('两小时')).toMatchObject({ ok: false, message: expect.stringContaining('无法识别') });
    expect(formatHours(150)).toBe('2.5');
    expect(formatHours(120)).toBe('2');
    expect(formatHours(100)).toBe('1.67');
  });
});
