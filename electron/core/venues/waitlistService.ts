/**
 * The waiting list (候补, as booking systems like LibreBooking keep one): when an approved booking holds a slot,
 * an organization may wait for it. Joining is allowed only when the approved booking is the sole obstacle; an
 * entry is booked by staff once the slot is free, through `bookVenue` (same rules, same overlap guard), or
 * withdrawn with a reason. Cancelling a booking reports how many waiting entries it freed.
 */
import { unindexed, waitlistQueue } from './sqlDialect';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { fail } from '@shared/errors';
import type { BookingRequest, WaitlistRow } from '@shared/contract/venues';
import type { BookingState } from '@shared/venues/state';
import { chinaDateTime, formatInterval, fromMinutes, overlaps, toMinutes, type Interval } from '@shared/venues/time';
import type { CallContext, Trx } from '../api/context';
import type { Db } from '../db/connection';
import { bookVenue, checkBooking, occupyingAround } from './bookingService';
import type { VenueWaitlistTable } from './tables';

type JoinInput = Omit<BookingRequest, 'recurrence'>;

/** Waiting entries of a venue that want a time overlapping [start, end), oldest first. */
async function waitingAround(db: Db, venueId: string, iv: Interval): Promise<VenueWaitlistTable[]> {
  return db
    .selectFrom('venue_waitlist')
    .selectAll()
    .where('venue_id', '=', venueId)
    .where(unindexed(db, 'state'), '=', 'waiting')
    .where('start_at', '<', iv.end)
    .where('start_at', '>', fromMinutes(toMinutes(iv.start) - 1440))
    .where('end_at', '>', iv.start)
    .orderBy(waitlistQueue(db)) // insertion order: the queue (timestamps can tie)
    .execute();
}

export async function joinWaitlist(ctx: CallContext, trx: Trx, input: JoinInput): Promise<{ id: string; position: number }> {
  const { venue, org, validation } = await checkBooking(ctx, trx, { ...input, recurrence: { kind: 'once' } });
  if (!org.id) throw fail.validation('候补需要选择组织', [{ path: 'organizationId', message: '请选择组织' }]);
  const orgId = org.id;
  const refusals = validation.checks[0].refusals;
  if (!refusals.length) throw fail.rule('该时段目前可以直接预约,无需候补');
  const other = refusals.filter((r) => r.code !== 'CONFLICT');
  if (other.length) throw fail.rule(other.map((r) => r.message).join(';'));
  const iv = { start: input.start, end: input.end };
  const queue = await waitingAround(trx, venue.id, iv);
  if (queue.some((w) => w.organization_id === orgId && w.start_at === input.start && w.end_at === input.end)) {
    throw fail.conflict(`「${org.name}」已在候补 ${formatInterval(iv)}`);
  }
  const now = ctx.now().toISOString();
  const row: VenueWaitlistTable = {
    id: randomUUID(),
    venue_id: venue.id,
    organization_id: orgId,
    start_at: input.start,
    end_at: input.end,
    purpose: input.purpose,
    expected_attendance: input.expectedAttendance,
    activity_series_code: input.activitySeriesCode,
    activity_kind_code: input.activityKindCode,
    activity_id: input.activityId,
    state: 'waiting',
    booking_id: null,
    withdraw_reason: null,
    created_by: ctx.user?.id ?? null,
    created_at: now,
    updated_at: now,
  };
  await trx.insertInto('venue_waitlist').values(row).execute();
  const position = queue.length + 1;
  await ctx.audit(trx, {
    entity: 'venue_waitlist',
    entityId: row.id,
    summary: `加入候补「${venue.name}」:${org.name},${formatInterval(iv)},第 ${position} 位`,
    after: row,
  });
  return { id: row.id, position };
}

async function loadEntry(trx: Trx, id: string): Promise<VenueWaitlistTable> {
  const row = await trx.selectFrom('venue_waitlist').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw fail.notFound('候补');
  return row;
}

/** Books a waiting entry (the slot must be free now); the entry records the booking it became. */
export async function bookFromWaitlist(ctx: CallContext, trx: Trx, id: string): Promise<{ bookingId: string; state: BookingState }> {
  const entry = await loadEntry(trx, id);
  if (entry.state !== 'waiting') throw fail.rule(entry.state === 'booked' ? '该候补已转为预约' : '该候补已撤回');
  const r = await bookVenue(ctx, trx, {
    venueId: entry.venue_id,
    organizationId: entry.organization_id,
    start: entry.start_at,
    end: entry.end_at,
    purpose: entry.purpose,
    expectedAttendance: entry.expected_attendance,
    activitySeriesCode: entry.activity_series_code,
    activityKindCode: entry.activity_kind_code,
    activityId: entry.activity_id,
  });
  const booking = r.created[0];
  await trx
    .updateTable('venue_waitlist')
    .set({ state: 'booked', booking_id: booking.id, updated_at: ctx.now().toISOString() })
    .where('id', '=', id)
    .execute();
  await ctx.audit(trx, {
    entity: 'venue_waitlist',
    entityId: id,
    summary: `候补转预约:${formatInterval({ start: entry.start_at, end: entry.end_at })}`,
    before: { state: 'waiting' },
    after: { state: 'booked', bookingId: booking.id },
  });
  return { bookingId: booking.id, state: booking.state };
}

export async function withdrawWaitlist(ctx: CallContext, trx: Trx, id: string, reason: string): Promise<void> {
  const entry = await loadEntry(trx, id);
  if (entry.state !== 'waiting') throw fail.rule(entry.state === 'booked' ? '该候补已转为预约,请取消预约' : '该候补已撤回');
  await trx
    .updateTable('venue_waitlist')
    .set({ state: 'withdrawn', withdraw_reason: reason, updated_at: ctx.now().toISOString() })
    .where('id', '=', id)
    .execute();
  await ctx.audit(trx, {
    entity: 'venue_waitlist',
    entityId: id,
    summary: `撤回候补:${formatInterval({ start: entry.start_at, end: entry.end_at })},原因:${reason}`,
    before: { state: 'waiting' },
    after: { state: 'withdrawn', reason },
  });
}

/** Waiting entries (and, with includeClosed, booked and withdrawn ones), with queue place and what blocks them. */
export async function listWaitlist(ctx: CallContext, db: Db, q: { venueId?: string; includeClosed: boolean }): Promise<WaitlistRow[]> {
  let query = db
    .selectFrom('venue_waitlist as w')
    .innerJoin('venues as v', 'v.id', 'w.venue_id')
    .innerJoin('organizations as o', 'o.id', 'w.organization_id')
    .selectAll('w')
    .select(['v.name as venue_name', 'o.name as organization_name', waitlistQueue(db, 'w').as('seq')]);
  if (q.venueId) query = query.where('w.venue_id', '=', q.venueId);
  if (!q.includeClosed) query = query.where('w.state', '=', 'waiting');
  const rows = await query.orderBy('w.start_at').orderBy(waitlistQueue(db, 'w')).limit(2000).execute();
  const now = chinaDateTime(ctx.now());
  const out: WaitlistRow[] = [];
  for (const r of rows) {
    const iv = { start: r.start_at, end: r.end_at };
    const waiting = r.state === 'waiting';
    const blockers = waiting ? (await occupyingAround(db, r.venue_id, r.start_at, r.end_at)).filter((b) => overlaps(b, iv)) : [];
    const ahead = waiting
      ? rows.filter((o) => o.state === 'waiting' && o.venue_id === r.venue_id && overlaps({ start: o.start_at, end: o.end_at }, iv) && o.seq < r.seq).length
      : 0;
    out.push({
      id: r.id,
      venueId: r.venue_id,
      venueName: r.venue_name,
      organizationId: r.organization_id,
      organizationName: r.organization_name,
      start: r.start_at,
      end: r.end_at,
      purpose: r.purpose,
      expectedAttendance: r.expected_attendance,
      state: r.state as WaitlistRow['state'],
      bookingId: r.booking_id,
      withdrawReason: r.withdraw_reason,
      createdAt: r.created_at,
      position: waiting ? ahead + 1 : 0,
      blockers: blockers.map((b) => `${formatInterval(b)}${b.label ? `(${b.label})` : ''}`),
      expired: r.start_at <= now,
    });
  }
  return out;
}

/** Waiting entries of a venue that a cancellation of these intervals left with nothing in the way. */
export async function waitlistFreedBy(db: Db, venueId: string, intervals: Interval[]): Promise<number> {
  const seen = new Set<string>();
  for (const iv of intervals) {
    for (const w of await waitingAround(db, venueId, iv)) {
      if (seen.has(w.id)) continue;
      const blockers = (await occupyingAround(db, venueId, w.start_at, w.end_at)).filter((b) => overlaps(b, { start: w.start_at, end: w.end_at }));
      if (!blockers.length) seen.add(w.id);
    }
  }
  return seen.size;
}
