/**
 * Attendance and credited hours. Durations are integer minutes everywhere inside the program; hours
 * appear only at the edges (forms, sheets, certificates).
 *
 * The rule (documented for staff in the sign-in screen's help):
 * - present (出勤) and late (迟到) earn hours; excused (请假) and absent (缺勤) earn none.
 * - minutes missed = minutes late (beyond the grace period, default 10 minutes) + minutes of early leave (早退).
 * - attended minutes = session minutes − minutes missed, never below 0.
 * - credited minutes (学时) = attended minutes rounded DOWN to a whole half hour; full attendance is credited in
 *   full, even when the session is not a multiple of half an hour.
 * - a "late" record without minutes (a sheet that only says 迟到) loses no time.
 * - a trainee completed (结业) the session when the status is present or late and the ATTENDED minutes (before the
 *   rounding of the hours) are at least `completionPercent` % of the session (default 80 %). Issue 18: with a 0-minute
 *   grace and the rounded hours judged, a trainee 5 minutes late to a 2-hour session got 1.5 h = 75 % and no
 *   certificate; now those 5 minutes are within the grace, and even 15 minutes late (115 of 120 minutes) completes.
 * - one attendance with status present or late is one person-time (人次).
 */

export const ATTENDANCE_STATUSES = ['present', 'late', 'excused', 'absent'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

export const ATTENDANCE_STATUS_LABELS: Record<AttendanceStatus, string> = {
  present: '出勤',
  late: '迟到',
  excused: '请假',
  absent: '缺勤',
};

/** Labels accepted from sign-in sheets (several spellings seen in real sheets). */
const STATUS_ALIASES: Record<string, AttendanceStatus> = {
  出勤: 'present', 到: 'present', 已到: 'present', 签到: 'present', 已签到: 'present', 正常: 'present', present: 'present', '√': 'present', '✓': 'present',
  迟到: 'late', late: 'late',
  请假: 'excused', 事假: 'excused', 病假: 'excused', excused: 'excused',
  缺勤: 'absent', 缺席: 'absent', 未到: 'absent', 旷课: 'absent', absent: 'absent', '×': 'absent',
};

export function parseAttendanceStatus(raw: string): AttendanceStatus | null {
  const s = raw.normalize('NFKC').trim().toLowerCase();
  return STATUS_ALIASES[s] ?? null;
}

export const countsAsAttended = (s: AttendanceStatus): boolean => s === 'present' || s === 'late';

export interface AttendancePolicy {
  /** Share of the session's minutes needed to complete it, in whole percent (1–100). */
  completionPercent: number;
  /** Lateness up to this many minutes is not deducted and the status stays "present". */
  lateGraceMinutes: number;
  /** Credited time is rounded down to a multiple of this many minutes. */
  roundingMinutes: number;
}

export const DEFAULT_ATTENDANCE_POLICY: AttendancePolicy = {
  completionPercent: 80,
  lateGraceMinutes: 10,
  roundingMinutes: 30,
};

export interface AttendanceInput {
  status: AttendanceStatus;
  lateMinutes: number;
  earlyLeaveMinutes: number;
}

export interface CreditedAttendance {
  creditedMinutes: number;
  missedMinutes: number;
  completed: boolean;
}

/** Returns the Chinese problems with an attendance record for a session of `sessionMinutes`. */
export function attendanceProblems(a: AttendanceInput, sessionMinutes: number): string[] {
  const out: string[] = [];
  for (const [v, label] of [[a.lateMinutes, '迟到分钟数'], [a.earlyLeaveMinutes, '早退分钟数']] as const) {
    if (!Number.isInteger(v) || v < 0) out.push(`${label}必须是不小于0的整数`);
  }
  if (out.length) return out;
  if (!countsAsAttended(a.status) && (a.lateMinutes > 0 || a.earlyLeaveMinutes > 0)) {
    out.push(`${ATTENDANCE_STATUS_LABELS[a.status]}的记录不能有迟到或早退时间`);
  }
  if (a.lateMinutes + a.earlyLeaveMinutes >= sessionMinutes && countsAsAttended(a.status)) {
    out.push(`迟到与早退合计${a.lateMinutes + a.earlyLeaveMinutes}分钟，不少于培训时长${sessionMinutes}分钟，应记为缺勤`);
  }
  return out;
}

export function creditAttendance(
  a: AttendanceInput,
  sessionMinutes: number,
  policy: AttendancePolicy = DEFAULT_ATTENDANCE_POLICY,
): CreditedAttendance {
  if (!Number.isInteger(sessionMinutes) || sessionMinutes <= 0) throw new Error('sessionMinutes must be a positive integer');
  if (!countsAsAttended(a.status)) return { creditedMinutes: 0, missedMinutes: 0, completed: false };
  const late = Math.max(0, a.lateMinutes - policy.lateGraceMinutes);
  const missed = Math.min(sessionMinutes, late + Math.max(0, a.earlyLeaveMinutes));
  const raw = sessionMinutes - missed;
  const step = policy.roundingMinutes;
  const credited = raw === sessionMinutes ? sessionMinutes : Math.floor(raw / step) * step;
  return {
    creditedMinutes: credited,
    missedMinutes: missed,
    completed: raw > 0 && raw * 100 >= policy.completionPercent * sessionMinutes,
  };
}

/** 'HH:MM' → minutes since midnight, or null. */
export function parseClock(s: string): number | null {
  const m = /^(\d{1,2})[:：](\d{2})(?::\d{2})?$/.exec(s.normalize('NFKC').trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 23 || min > 59) return null;
  return h * 60 + min;
}

/**
 * At the door: a sign-in at `signInClock` for a session starting at `startClock` is present, or late
 * by the minutes after the start when that exceeds the grace period.
 */
export function statusAtSignIn(
  startClock: string | null,
  signInClock: string,
  policy: AttendancePolicy = DEFAULT_ATTENDANCE_POLICY,
): { status: 'present' | 'late'; lateMinutes: number } {
  const start = startClock ? parseClock(startClock) : null;
  const at = parseClock(signInClock);
  if (start == null || at == null || at <= start) return { status: 'present', lateMinutes: 0 };
  const late = at - start;
  return late > policy.lateGraceMinutes ? { status: 'late', lateMinutes: late } : { status: 'present', lateMinutes: late };
}

/**
 * Hours typed by a person ("2", "1.5", "2.5小时", "90分钟") → minutes. Refuses anything that is not a
 * whole number of minutes or outside (0, 24 h].
 */
export function parseDurationToMinutes(raw: string | number): { ok: true; minutes: number } | { ok: false; message: string } {
  const s = String(raw).normalize('NFKC').trim().replace(/\s+/g, '');
  let minutes: number;
  let m: RegExpExecArray | null;
  if ((m = /^(\d+)(?:分钟|min)$/i.exec(s))) minutes = Number(m[1]);
  else if ((m = /^(\d+)(?:\.(\d{1,2}))?(?:小时|h|学时|课时)?$/i.exec(s))) {
    const frac = (m[2] ?? '').padEnd(2, '0');
    const hundredths = Number(m[1]) * 100 + Number(frac || '0');
    if ((hundredths * 60) % 100 !== 0) return { ok: false, message: `时长“${raw}”不是整分钟数` };
    minutes = (hundredths * 60) / 100;
  } else return { ok: false, message: `时长“${raw}”无法识别，请填写小时数，如 2 或 1.5` };
  if (minutes <= 0 || minutes > 24 * 60) return { ok: false, message: `时长“${raw}”应大于0且不超过24小时` };
  return { ok: true, minutes };
}

/** 90 → "1.5", 120 → "2", 100 → "1.67": for display and sheets only. */
export function formatHours(minutes: number): string {
  const h = Math.round((minutes * 100) / 60) / 100;
  return String(h);
}
