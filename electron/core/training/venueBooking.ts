/**
 * The bridge to the venues area: a session held in a venue books it through the venues area's booking
 * service (`bookVenue` / `moveVenueBooking` / `cancelVenueBookings`), inside the session's transaction,
 * so a session can never take a slot that is already booked and a refused booking refuses the session.
 * Bookings are made in the name of the session's organizer, or as the hub's own (本基地主办) without one.
 */
import { sql } from 'kysely';
import { fail } from '@shared/errors';
import { fromMinutes, toMinutes } from '@shared/venues/time';
import type { CallContext, Trx } from '../api/context';
import type { Db } from '../db/connection';
import { bookVenue, cancelVenueBookings, moveVenueBooking } from '../venues/bookingService';

export async function venueNames(db: Db, ids: readonly (string | null)[]): Promise<Map<string, string>> {
  const list = [...new Set(ids.filter((x): x is string => !!x))];
  const out = new Map<string, string>();
  if (list.length === 0) return out;
  const r = await sql<{ id: string; name: string }>`SELECT id, name FROM venues WHERE id IN (${sql.join(list)})`.execute(db);
  for (const row of r.rows) out.set(row.id, row.name);
  return out;
}

export async function bookingStates(db: Db, ids: readonly (string | null)[]): Promise<Map<string, string>> {
  const list = [...new Set(ids.filter((x): x is string => !!x))];
  const out = new Map<string, string>();
  if (list.length === 0) return out;
  const r = await sql<{ id: string; state: string }>`SELECT id, state FROM venue_bookings WHERE id IN (${sql.join(list)})`.execute(db);
  for (const row of r.rows) out.set(row.id, row.state);
  return out;
}

export interface SessionVenueRequest {
  sessionId: string;
  title: string;
  venueId: string | null;
  organizerId: string | null;
  date: string;
  startTime: string | null;
  minutes: number;
  expected: number;
  previousBookingId: string | null;
}

const LIVE = new Set(['requested', 'approved']);

/** Books, moves or releases the session's venue; returns the booking id (null without a venue). */
export async function bookSessionVenue(ctx: CallContext, trx: Trx, req: SessionVenueRequest): Promise<string | null> {
  const prev = req.previousBookingId
    ? await trx.selectFrom('venue_bookings').select(['id', 'venue_id', 'start_at', 'end_at', 'state']).where('id', '=', req.previousBookingId).executeTakeFirst()
    : undefined;
  const prevLive = prev && LIVE.has(prev.state) ? prev : undefined;
  if (!req.venueId) {
    if (prevLive) await cancelVenueBookings(ctx, trx, prevLive.id, `培训「${req.title}」不再使用该场地`);
    return null;
  }
  if (!req.startTime) throw fail.validation('预约场地需要填写开始时间', [{ path: 'startTime', message: '请填写开始时间' }]);
  // No organizer: 本基地主办, the booking is the hub's own (organization_id null).
  const start = `${req.date}T${req.startTime}`;
  const end = fromMinutes(toMinutes(start) + req.minutes);
  if (end.slice(0, 10) !== req.date && end.slice(11) !== '00:00') throw fail.validation('培训不能跨过午夜', [{ path: 'minutes', message: '培训结束时间超过当天24点' }]);
  if (prevLive) {
    if (prevLive.venue_id === req.venueId && prevLive.start_at === start && prevLive.end_at === end) return prevLive.id;
    await moveVenueBooking(ctx, trx, { id: prevLive.id, start, end, venueId: req.venueId, scope: 'one' });
    return prevLive.id;
  }
  const r = await bookVenue(ctx, trx, {
    venueId: req.venueId,
    organizationId: req.organizerId,
    start,
    end,
    purpose: `培训：${req.title}`,
    expectedAttendance: Math.max(1, req.expected),
    source: 'training',
    sourceRef: req.sessionId,
    state: ctx.hasRole('admin', 'approver') ? 'approved' : 'auto',
  });
  return r.created[0]?.id ?? null;
}

export async function releaseSessionVenue(ctx: CallContext, trx: Trx, bookingId: string | null, reason: string): Promise<void> {
  if (!bookingId) return;
  const b = await trx.selectFrom('venue_bookings').select(['id', 'state']).where('id', '=', bookingId).executeTakeFirst();
  if (b && LIVE.has(b.state)) await cancelVenueBookings(ctx, trx, b.id, `培训取消：${reason}`);
}
