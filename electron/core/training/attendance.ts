import { sql } from 'kysely';
import { fail } from '@shared/errors';
import type { AttendanceRow, LookupCandidate, TraineeInput } from '@shared/contract/training';
import {
  ATTENDANCE_STATUS_LABELS,
  attendanceProblems,
  countsAsAttended,
  creditAttendance,
  parseClock,
  statusAtSignIn,
  type AttendanceStatus,
} from '@shared/training/attendance';
import { lookupKeyPrefixes, parseLookupQuery, pickOnEnter, rankCandidates, type SearchCandidate } from '@shared/training/signinMatch';
import type { CallContext, Trx } from '../api/context';
import type { Db } from '../db/connection';
import type { TrainingSessionTable } from './tables';
import { attendancePolicy, checkOrganization, chinaClock, chinaToday, organizationNames, requireDictCode } from './common';
import { requireOpenSession } from './sessions';
import { findOrCreateTrainee, traineeKeys } from './trainees';

/** Rows of the sign-in list: everyone registered or with an attendance record, for one session. */
export async function listAttendance(db: Db, sessionId: string, traineeIds?: readonly string[]): Promise<AttendanceRow[]> {
  const filter = traineeIds ? sql`AND t.id IN (${sql.join([...traineeIds])})` : sql``;
  const r = await sql<{
    id: string;
    name: string;
    phone: string | null;
    role: string;
    organization_id: string | null;
    unit_name: string | null;
    registered: number;
    status: AttendanceStatus | null;
    late_minutes: number | null;
    early_leave_minutes: number | null;
    credited_minutes: number | null;
    completed: number | null;
    remark: string | null;
    source: string | null;
    signed_in_at: string | null;
    serial: string | null;
  }>`
    SELECT t.id, t.name, t.phone, t.role, t.organization_id, t.unit_name,
      CASE WHEN EXISTS (SELECT 1 FROM training_registrations r WHERE r.session_id = ${sessionId} AND r.trainee_id = t.id) THEN 1 ELSE 0 END AS registered,
      a.status, a.late_minutes, a.early_leave_minutes, a.credited_minutes, a.completed, a.remark, a.source, a.signed_in_at,
      (SELECT c.serial FROM training_certificates c WHERE c.session_id = ${sessionId} AND c.trainee_id = t.id) AS serial
    FROM training_trainees t
    LEFT JOIN training_attendance a ON a.session_id = ${sessionId} AND a.trainee_id = t.id
    WHERE t.id IN (
      SELECT trainee_id FROM training_registrations WHERE session_id = ${sessionId}
      UNION SELECT trainee_id FROM training_attendance WHERE session_id = ${sessionId}
    ) ${filter}
    ORDER BY a.signed_in_at IS NULL, a.signed_in_at DESC, t.name_key`.execute(db);
  const orgs = await organizationNames(db, r.rows.map((x) => x.organization_id));
  return r.rows.map((x) => ({
    traineeId: x.id,
    name: x.name,
    phone: x.phone,
    role: x.role,
    organizationName: (x.organization_id ? orgs.get(x.organization_id) : null) ?? x.unit_name ?? null,
    registered: x.registered === 1,
    status: x.status,
    lateMinutes: x.late_minutes ?? 0,
    earlyLeaveMinutes: x.early_leave_minutes ?? 0,
    creditedMinutes: x.credited_minutes ?? 0,
    completed: x.completed === 1,
    remark: x.remark,
    source: x.source,
    signedInAt: x.signed_in_at,
    certificateSerial: x.serial,
  }));
}

async function attendanceRow(db: Db, sessionId: string, traineeId: string): Promise<AttendanceRow> {
  const [row] = await listAttendance(db, sessionId, [traineeId]);
  if (!row) throw fail.notFound('签到记录');
  return row;
}

async function countAttended(db: Db, sessionId: string): Promise<number> {
  const r = await db.selectFrom('training_attendance').select((eb) => eb.fn.countAll<number>().as('n')).where('session_id', '=', sessionId).where('attended', '=', 1).executeTakeFirst();
  return Number(r?.n ?? 0);
}

async function ensureRegistered(trx: Trx, session: TrainingSessionTable, traineeId: string, now: string): Promise<void> {
  await sql`INSERT INTO training_registrations (session_id, trainee_id, registered_at) VALUES (${session.id}, ${traineeId}, ${now}) ON CONFLICT DO NOTHING`.execute(trx);
}

export interface AttendanceWrite {
  status: AttendanceStatus;
  lateMinutes: number;
  earlyLeaveMinutes: number;
  remark: string | null;
  source: 'keyboard' | 'import' | 'manual';
  signedInAt: string | null;
}

/**
 * Writes one attendance (insert or replace) with its credited hours and the snapshot of the trainee's
 * role and organization, after the rule checks. Runs inside the caller's transaction; audited.
 */
export async function writeAttendance(ctx: CallContext, trx: Trx, session: TrainingSessionTable, traineeId: string, w: AttendanceWrite): Promise<void> {
  const problems = attendanceProblems(w, session.minutes);
  if (problems.length) throw fail.validation(problems.join('；'), problems.map((message) => ({ path: 'status', message })));
  const trainee = await trx.selectFrom('training_trainees').select(['id', 'name', 'role', 'organization_id']).where('id', '=', traineeId).executeTakeFirst();
  if (!trainee) throw fail.notFound('学员');
  const before = await trx.selectFrom('training_attendance').selectAll().where('session_id', '=', session.id).where('trainee_id', '=', traineeId).executeTakeFirst();
  if (countsAsAttended(w.status) && !(before && before.attended === 1) && session.capacity != null) {
    const n = await countAttended(trx, session.id);
    if (n >= session.capacity) throw fail.rule(`本场培训容量为${session.capacity}人，已签到${n}人，不能再签到`);
  }
  const policy = await attendancePolicy(ctx);
  const c = creditAttendance(w, session.minutes, policy);
  const now = ctx.now().toISOString();
  await ensureRegistered(trx, session, traineeId, now);
  const values = {
    status: w.status,
    late_minutes: w.lateMinutes,
    early_leave_minutes: w.earlyLeaveMinutes,
    credited_minutes: c.creditedMinutes,
    completed: c.completed ? 1 : 0,
    remark: w.remark,
    source: w.source,
    signed_in_at: countsAsAttended(w.status) ? (w.signedInAt ?? before?.signed_in_at ?? now) : null,
    session_date: session.date,
    category: session.category,
    format: session.format,
    role: trainee.role,
    organization_id: trainee.organization_id,
    attended: countsAsAttended(w.status) ? 1 : 0,
    recorded_by: ctx.user?.id ?? null,
    updated_at: now,
  };
  if (before) {
    const cert = await trx.selectFrom('training_certificates').select('serial').where('session_id', '=', session.id).where('trainee_id', '=', traineeId).executeTakeFirst();
    if (cert && !c.completed) throw fail.rule(`已颁发结业证书(${cert.serial})，不能改为未结业的出勤情况`);
    await trx.updateTable('training_attendance').set(values).where('session_id', '=', session.id).where('trainee_id', '=', traineeId).execute();
  } else {
    await trx.insertInto('training_attendance').values({ ...values, session_id: session.id, trainee_id: traineeId }).execute();
  }
  const label = ATTENDANCE_STATUS_LABELS[w.status] + (w.lateMinutes ? `${w.lateMinutes}分钟` : '') + (w.earlyLeaveMinutes ? `，早退${w.earlyLeaveMinutes}分钟` : '');
  await ctx.audit(trx, {
    entity: 'training_attendance',
    entityId: `${session.id}:${traineeId}`,
    summary: `「${session.title}」${trainee.name}：${label}`,
    before,
    after: values,
  });
}

/** The instant of `clock` (HH:MM, China time) on the China date `date`. */
export function arrivalInstant(date: string, clock: string): string {
  const m = parseClock(clock);
  if (m == null) throw fail.validation(`签到时间“${clock}”格式应为 HH:MM`, [{ path: 'clock', message: '格式应为 HH:MM' }]);
  const hhmm = `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return new Date(`${date}T${hhmm}:00+08:00`).toISOString();
}

/** Keyboard sign-in of a known person: present, or late by the clock against the start time. */
export async function recordSignIn(ctx: CallContext, sessionId: string, traineeId: string, clock?: string): Promise<AttendanceRow> {
  return ctx.write(async (trx) => {
    const session = await requireOpenSession(trx, sessionId);
    if (session.date > chinaToday(ctx.now())) throw fail.rule(`培训日期是${session.date}，还不能签到`);
    const existing = await trx.selectFrom('training_attendance').select(['attended', 'signed_in_at']).where('session_id', '=', sessionId).where('trainee_id', '=', traineeId).executeTakeFirst();
    if (existing?.attended === 1) {
      const name = (await trx.selectFrom('training_trainees').select('name').where('id', '=', traineeId).executeTakeFirst())?.name ?? '';
      throw fail.conflict(`${name}已签到${existing.signed_in_at ? `（${chinaClock(new Date(existing.signed_in_at))}）` : ''}`);
    }
    const at = clock ?? chinaClock(ctx.now());
    const s = statusAtSignIn(session.start_time, at, await attendancePolicy(ctx));
    // Late beyond the whole session is not attendance: keep it recordable as 缺勤 by hand instead.
    if (s.lateMinutes >= session.minutes) throw fail.rule(`签到时间${at}已超过培训结束时间，请手工登记出勤情况`);
    // 签到时间 is the arrival time: the one typed (补录) on the session's day, or now (issue 18: it was always now).
    await writeAttendance(ctx, trx, session, traineeId, { ...s, earlyLeaveMinutes: 0, remark: null, source: 'keyboard', signedInAt: clock ? arrivalInstant(session.date, clock) : ctx.now().toISOString() });
    return attendanceRow(trx, sessionId, traineeId);
  });
}

/** An unknown person at the door: registered on the spot (or found, if already known) and signed in. */
export async function addPersonAndSignIn(
  ctx: CallContext,
  input: Omit<TraineeInput, 'id'> & { sessionId: string; clock?: string },
): Promise<{ row: AttendanceRow; existing: boolean; message: string | null }> {
  const keys = traineeKeys(input, chinaToday(ctx.now()));
  if (!keys.phone && !keys.idNumber) {
    throw fail.validation('现场登记请至少填写手机号或身份证号，以免重复登记', [{ path: 'phone', message: '请填写手机号' }]);
  }
  const found = await ctx.write(async (trx) => {
    await requireDictCode(trx, 'training_role', input.role, 'role', '人员类别');
    await checkOrganization(trx, input.organizationId);
    return findOrCreateTrainee(ctx, trx, { keys, role: input.role, organizationId: input.organizationId ?? null, unitName: input.unitName?.trim() || null });
  });
  const row = await recordSignIn(ctx, input.sessionId, found.id, input.clock);
  return { row, existing: !found.created, message: found.message };
}

export async function setAttendance(
  ctx: CallContext,
  input: { sessionId: string; traineeId: string; status: AttendanceStatus; lateMinutes: number; earlyLeaveMinutes: number; remark?: string | null },
): Promise<AttendanceRow> {
  return ctx.write(async (trx) => {
    const session = await requireOpenSession(trx, input.sessionId);
    await writeAttendance(ctx, trx, session, input.traineeId, {
      status: input.status,
      lateMinutes: input.lateMinutes,
      earlyLeaveMinutes: input.earlyLeaveMinutes,
      remark: input.remark?.trim() || null,
      source: 'manual',
      signedInAt: null,
    });
    return attendanceRow(trx, input.sessionId, input.traineeId);
  });
}

/** After the session: every registrant without a record becomes absent (缺勤). */
export async function markAbsent(ctx: CallContext, sessionId: string): Promise<{ marked: number }> {
  return ctx.write(async (trx) => {
    const session = await requireOpenSession(trx, sessionId);
    if (session.date > chinaToday(ctx.now())) throw fail.rule('培训尚未举行，不能登记缺勤');
    const missing = await trx
      .selectFrom('training_registrations as r')
      .select('r.trainee_id')
      .where('r.session_id', '=', sessionId)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('training_attendance as a').select('a.trainee_id').whereRef('a.session_id', '=', 'r.session_id').whereRef('a.trainee_id', '=', 'r.trainee_id'))))
      .execute();
    for (const m of missing) {
      await writeAttendance(ctx, trx, session, m.trainee_id, { status: 'absent', lateMinutes: 0, earlyLeaveMinutes: 0, remark: null, source: 'manual', signedInAt: null });
    }
    return { marked: missing.length };
  });
}

export async function addRegistrations(ctx: CallContext, sessionId: string, traineeIds: readonly string[]): Promise<{ added: number }> {
  return ctx.write(async (trx) => {
    const session = await requireOpenSession(trx, sessionId);
    const ids = [...new Set(traineeIds)];
    const known = await trx.selectFrom('training_trainees').select('id').where('id', 'in', ids).execute();
    if (known.length !== ids.length) throw fail.notFound('学员');
    const already = new Set(
      (await trx.selectFrom('training_registrations').select('trainee_id').where('session_id', '=', sessionId).where('trainee_id', 'in', ids).execute()).map((r) => r.trainee_id),
    );
    const fresh = ids.filter((id) => !already.has(id));
    const count = Number((await trx.selectFrom('training_registrations').select((eb) => eb.fn.countAll<number>().as('n')).where('session_id', '=', sessionId).executeTakeFirst())?.n ?? 0);
    if (session.capacity != null && count + fresh.length > session.capacity) {
      throw fail.rule(`本场培训容量为${session.capacity}人，已报名${count}人，不能再报名${fresh.length}人`);
    }
    const now = ctx.now().toISOString();
    for (const id of fresh) await ensureRegistered(trx, session, id, now);
    if (fresh.length) {
      await ctx.audit(trx, { entity: 'training_session', entityId: sessionId, summary: `「${session.title}」新增报名${fresh.length}人`, after: { traineeIds: fresh } });
    }
    return { added: fresh.length };
  });
}

export async function removeRegistration(ctx: CallContext, sessionId: string, traineeId: string): Promise<{ ok: true }> {
  return ctx.write(async (trx) => {
    const session = await requireOpenSession(trx, sessionId);
    const att = await trx.selectFrom('training_attendance').select('status').where('session_id', '=', sessionId).where('trainee_id', '=', traineeId).executeTakeFirst();
    if (att) throw fail.rule('已有出勤记录，不能取消报名');
    const r = await trx.deleteFrom('training_registrations').where('session_id', '=', sessionId).where('trainee_id', '=', traineeId).executeTakeFirst();
    if (!r.numDeletedRows) throw fail.notFound('报名记录');
    await ctx.audit(trx, { entity: 'training_session', entityId: sessionId, summary: `「${session.title}」取消报名`, before: { traineeId } });
    return { ok: true as const };
  });
}

type KeyedTrainee = { id: string; name: string; name_key: string; readings: string; phone_digits: string | null; role: string; organization_id: string | null; unit_name: string | null };

/**
 * How many rows one key-prefix scan may return. The screen shows ten; exact keys sort before longer ones
 * under the same prefix, so the best come first, and the session's registrants are always ranked in full.
 * A small limit keeps a lookup for two common initials (thousands of namesakes among 100,000) within 20 ms.
 */
const PREFIX_SCAN_LIMIT = 50;

/**
 * The sign-in lookup: the session's registrants (all of them: they are who is expected) plus, through
 * the indexed key prefixes, anyone registered in the hub; ranked by the shared matcher.
 */
export async function lookupForSignIn(db: Db, sessionId: string, raw: string): Promise<{ candidates: LookupCandidate[]; pick: string | null; message: string | null }> {
  const q = parseLookupQuery(raw);
  if (q.kind === 'empty') return { candidates: [], pick: null, message: null };
  if (q.kind === 'invalid') return { candidates: [], pick: null, message: q.message };
  const cols = ['t.id', 't.name', 't.name_key', 't.readings', 't.phone_digits', 't.role', 't.organization_id', 't.unit_name'] as const;
  const registrants: KeyedTrainee[] = await db
    .selectFrom('training_registrations as r')
    .innerJoin('training_trainees as t', 't.id', 'r.trainee_id')
    .select(cols)
    .where('r.session_id', '=', sessionId)
    .execute();
  const ids = new Set<string>();
  for (const prefix of lookupKeyPrefixes(q)) {
    const rows = await db
      .selectFrom('training_trainee_keys')
      .select('trainee_id')
      .where('key', '>=', prefix)
      .where('key', '<', prefix + '\uffff')
      .limit(PREFIX_SCAN_LIMIT)
      .execute();
    for (const r of rows) ids.add(r.trainee_id);
  }
  const regIds = new Set(registrants.map((r) => r.id));
  const others: KeyedTrainee[] = [];
  const otherIds = [...ids].filter((id) => !regIds.has(id));
  for (let i = 0; i < otherIds.length; i += 500) {
    others.push(...(await db.selectFrom('training_trainees as t').select(cols).where('t.id', 'in', otherIds.slice(i, i + 500)).execute()));
  }
  const signed = new Set(
    (await db.selectFrom('training_attendance').select('trainee_id').where('session_id', '=', sessionId).where('attended', '=', 1).execute()).map((r) => r.trainee_id),
  );
  const toCandidate = (t: KeyedTrainee, registered: boolean): SearchCandidate & { t: KeyedTrainee } => ({
    id: t.id,
    name: t.name,
    nameKey: t.name_key,
    readings: t.readings,
    phoneDigits: t.phone_digits,
    registered,
    signedIn: signed.has(t.id),
    t,
  });
  const ranked = rankCandidates(q, [...registrants.map((t) => toCandidate(t, true)), ...others.map((t) => toCandidate(t, false))], 10);
  const orgs = await organizationNames(db, ranked.map((r) => r.candidate.t.organization_id));
  const pick = pickOnEnter(ranked);
  return {
    candidates: ranked.map((r) => ({
      id: r.candidate.id,
      name: r.candidate.name,
      phoneTail: r.candidate.phoneDigits ? r.candidate.phoneDigits.slice(-4) : null,
      role: r.candidate.t.role,
      organizationName: (r.candidate.t.organization_id ? orgs.get(r.candidate.t.organization_id) : null) ?? r.candidate.t.unit_name ?? null,
      registered: !!r.candidate.registered,
      signedIn: !!r.candidate.signedIn,
      score: r.score,
      matchedBy: r.matchedBy,
    })),
    pick: pick ? pick.candidate.id : null,
    message: ranked.length === 0 ? '没有找到，可按“新增”现场登记' : null,
  };
}
