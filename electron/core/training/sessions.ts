import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { fail } from '@shared/errors';
import type { SessionInput, TrainingSession } from '@shared/contract/training';
import { creditAttendance, formatHours } from '@shared/training/attendance';
import type { CallContext, Trx } from '../api/context';
import { checkVersion, nextVersion } from '../api/versions';
import type { Db } from '../db/connection';
import type { TrainingSessionTable } from './tables';
import { attendancePolicy, requireDictCode } from './common';
import { bookSessionVenue, bookingStates, releaseSessionVenue, venueNames } from './venueBooking';
import { checkOrganization, organizationNames } from './common';

type SessionRow = TrainingSessionTable & { registered: number; attended: number; certificates: number };

function sessionQuery(db: Db) {
  return db
    .selectFrom('training_sessions as s')
    .selectAll('s')
    .select([
      sql<number>`(SELECT COUNT(*) FROM training_registrations r WHERE r.session_id = s.id)`.as('registered'),
      sql<number>`(SELECT COUNT(*) FROM training_attendance a WHERE a.session_id = s.id AND a.attended = 1)`.as('attended'),
      sql<number>`(SELECT COUNT(*) FROM training_certificates c WHERE c.session_id = s.id)`.as('certificates'),
    ]);
}

interface Names {
  venues: Map<string, string>;
  orgs: Map<string, string>;
  states: Map<string, string>;
}

async function namesFor(db: Db, rows: readonly SessionRow[]): Promise<Names> {
  return {
    venues: await venueNames(db, rows.map((r) => r.venue_id)),
    orgs: await organizationNames(db, rows.map((r) => r.organizer_id)),
    states: await bookingStates(db, rows.map((r) => r.booking_id)),
  };
}

function toSession(r: SessionRow, n: Names): TrainingSession {
  return {
    id: r.id,
    title: r.title,
    category: r.category,
    format: r.format,
    date: r.date,
    startTime: r.start_time,
    minutes: r.minutes,
    trainer: r.trainer,
    capacity: r.capacity,
    venueId: r.venue_id,
    venueName: r.venue_id ? (n.venues.get(r.venue_id) ?? null) : null,
    bookingId: r.booking_id,
    bookingState: r.booking_id ? (n.states.get(r.booking_id) ?? null) : null,
    organizerId: r.organizer_id,
    organizerName: r.organizer_id ? (n.orgs.get(r.organizer_id) ?? null) : null,
    location: r.location,
    status: r.status,
    note: r.note,
    registered: Number(r.registered),
    attended: Number(r.attended),
    certificates: Number(r.certificates),
    version: r.version,
  };
}

export async function getSession(db: Db, id: string): Promise<TrainingSession> {
  const r = await sessionQuery(db).where('s.id', '=', id).executeTakeFirst();
  if (!r) throw fail.notFound('培训场次');
  return toSession(r, await namesFor(db, [r]));
}

const SORTABLE: Record<string, string> = {
  date: 's.date',
  title: 's.title',
  category: 's.category',
  format: 's.format',
  trainer: 's.trainer',
  minutes: 's.minutes',
};

export async function listSessions(
  db: Db,
  input: { year: number; startRow: number; endRow: number; search?: string; category?: string; sort?: { colId: string; sort: 'asc' | 'desc' }[] },
): Promise<{ rows: TrainingSession[]; total: number }> {
  let q = db.selectFrom('training_sessions as s').where('s.date', '>=', `${input.year}-01-01`).where('s.date', '<=', `${input.year}-12-31`);
  if (input.category) q = q.where('s.category', '=', input.category);
  if (input.search) {
    const like = `%${input.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([sql<boolean>`s.title LIKE ${like} ESCAPE '\\'`, sql<boolean>`s.trainer LIKE ${like} ESCAPE '\\'`]));
  }
  const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
  let rq = sessionQuery(db).where('s.id', 'in', q.select('s.id'));
  const sorts = (input.sort ?? []).filter((s) => SORTABLE[s.colId]);
  if (sorts.length === 0) rq = rq.orderBy('s.date', 'desc').orderBy('s.start_time', 'desc');
  for (const s of sorts) rq = rq.orderBy(sql.ref(SORTABLE[s.colId]), s.sort);
  rq = rq.orderBy('s.id');
  const rows = await rq.limit(Math.min(500, input.endRow - input.startRow)).offset(input.startRow).execute();
  const names = await namesFor(db, rows);
  return { rows: rows.map((r) => toSession(r, names)), total };
}

/**
 * Creates or changes a session. The venue is booked through the venues area's rule inside the same
 * transaction (so a taken slot refuses the session); the copies of date, category and format on the
 * attendance rows, and their credited hours when the length changes, follow in the same transaction.
 */
export async function saveSession(ctx: CallContext, input: SessionInput): Promise<TrainingSession> {
  return ctx.write(async (trx) => {
    await requireDictCode(trx, 'training_category', input.category, 'category', '培训类别');
    await requireDictCode(trx, 'training_format', input.format, 'format', '培训形式');
    await checkOrganization(trx, input.organizerId);
    const now = ctx.now().toISOString();
    const before = input.id ? await trx.selectFrom('training_sessions').selectAll().where('id', '=', input.id).executeTakeFirst() : undefined;
    if (input.id && !before) throw fail.notFound('培训场次');
    if (before) await checkVersion(trx, 'training_sessions', before.id, input.version);
    if (before?.status === 'cancelled') throw fail.rule('该场次已取消，不能修改');
    const id = before?.id ?? randomUUID();
    if (before && input.capacity != null) {
      const reg = Number((await trx.selectFrom('training_registrations').select((eb) => eb.fn.countAll<number>().as('n')).where('session_id', '=', id).executeTakeFirst())?.n ?? 0);
      if (reg > input.capacity) throw fail.validation(`已有${reg}人报名，容量不能少于报名人数`, [{ path: 'capacity', message: `容量不能少于已报名的${reg}人` }]);
    }
    const values = {
      title: input.title.trim(),
      category: input.category,
      format: input.format,
      date: input.date,
      start_time: input.startTime,
      minutes: input.minutes,
      trainer: input.trainer.trim(),
      capacity: input.capacity ?? null,
      venue_id: input.venueId ?? null,
      organizer_id: input.organizerId ?? null,
      location: input.location?.trim() || null,
      note: input.note?.trim() || null,
      updated_at: now,
    };
    if (before) await trx.updateTable('training_sessions').set({ ...values, version: nextVersion() }).where('id', '=', id).execute();
    else await trx.insertInto('training_sessions').values({ ...values, id, status: 'planned', booking_id: null, created_at: now, version: 1 }).execute();

    // Venue: book, move or release through the venues rule.
    const bookingId = await bookSessionVenue(ctx, trx, {
      sessionId: id,
      title: values.title,
      venueId: values.venue_id,
      organizerId: values.organizer_id,
      date: values.date,
      startTime: values.start_time,
      minutes: values.minutes,
      expected: values.capacity ?? 1,
      previousBookingId: before?.booking_id ?? null,
    });
    await trx.updateTable('training_sessions').set({ booking_id: bookingId }).where('id', '=', id).execute();

    if (before && (before.date !== values.date || before.category !== values.category || before.format !== values.format)) {
      await trx
        .updateTable('training_attendance')
        .set({ session_date: values.date, category: values.category, format: values.format })
        .where('session_id', '=', id)
        .execute();
    }
    if (before && before.minutes !== values.minutes) await recreditSession(ctx, trx, id, values.minutes);

    const after = await getSession(trx, id);
    await ctx.audit(trx, {
      entity: 'training_session',
      entityId: id,
      summary: `${before ? '修改' : '新建'}培训场次「${after.title}」(${after.date}，${formatHours(after.minutes)}小时)`,
      before,
      after,
    });
    return after;
  });
}

/** Recomputes credited minutes and completion of every attendance of a session (length or policy changed). */
export async function recreditSession(ctx: CallContext, trx: Trx, sessionId: string, minutes: number): Promise<void> {
  const policy = await attendancePolicy(ctx);
  const rows = await trx.selectFrom('training_attendance').select(['trainee_id', 'status', 'late_minutes', 'early_leave_minutes']).where('session_id', '=', sessionId).execute();
  for (const r of rows) {
    const lateMinutes = Math.min(r.late_minutes, minutes);
    const earlyLeaveMinutes = Math.min(r.early_leave_minutes, minutes - lateMinutes);
    const c = creditAttendance({ status: r.status, lateMinutes, earlyLeaveMinutes }, minutes, policy);
    await trx
      .updateTable('training_attendance')
      .set({ late_minutes: lateMinutes, early_leave_minutes: earlyLeaveMinutes, credited_minutes: c.creditedMinutes, completed: c.completed ? 1 : 0 })
      .where('session_id', '=', sessionId)
      .where('trainee_id', '=', r.trainee_id)
      .execute();
  }
}

export async function cancelSession(ctx: CallContext, id: string, reason: string): Promise<TrainingSession> {
  return ctx.write(async (trx) => {
    const before = await getSession(trx, id);
    if (before.status === 'cancelled') throw fail.rule('该场次已经取消');
    if (before.attended > 0) throw fail.rule(`该场次已有${before.attended}人签到，不能取消`);
    await releaseSessionVenue(ctx, trx, before.bookingId, reason);
    const note = [before.note, `取消原因：${reason}`].filter(Boolean).join('\n');
    await trx.updateTable('training_sessions').set({ status: 'cancelled', booking_id: null, note, updated_at: ctx.now().toISOString(), version: nextVersion() }).where('id', '=', id).execute();
    const after = await getSession(trx, id);
    await ctx.audit(trx, { entity: 'training_session', entityId: id, summary: `取消培训场次「${before.title}」：${reason}`, before, after });
    return after;
  });
}

/** A session that takes sign-ins: exists and is not cancelled. */
export async function requireOpenSession(db: Db, id: string): Promise<TrainingSessionTable> {
  const s = await db.selectFrom('training_sessions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!s) throw fail.notFound('培训场次');
  if (s.status === 'cancelled') throw fail.rule('该场次已取消');
  return s;
}
