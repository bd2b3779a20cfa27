/**
 * The bridge to the venues area: a session held in a venue books it through the venues area's booking
 * rule, inside the session's transaction, so a session can never take a slot that is already booked.
 */
import { sql } from 'kysely';
import { fail } from '@shared/errors';
import type { CallContext, Trx } from '../api/context';
import type { Db } from '../db/connection';

async function hasTable(db: Db, name: string): Promise<boolean> {
  const r = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ${name}`.execute(db);
  return (r.rows[0]?.n ?? 0) > 0;
}

export async function venueNames(db: Db, ids: readonly (string | null)[]): Promise<Map<string, string>> {
  const list = [...new Set(ids.filter((x): x is string => !!x))];
  const out = new Map<string, string>();
  if (list.length === 0 || !(await hasTable(db, 'venues'))) return out;
  const r = await sql<{ id: string; name: string }>`SELECT id, name FROM venues WHERE id IN (${sql.join(list)})`.execute(db);
  for (const row of r.rows) out.set(row.id, row.name);
  return out;
}

export interface SessionVenueRequest {
  sessionId: string;
  title: string;
  venueId: string | null;
  date: string;
  startTime: string | null;
  minutes: number;
  expected: number | null;
  previousBookingId: string | null;
}

/** Books (or re-books) the session's venue; returns the booking id, or null without a venue. */
export async function bookSessionVenue(_ctx: CallContext, _trx: Trx, req: SessionVenueRequest): Promise<string | null> {
  if (!req.venueId && !req.previousBookingId) return null;
  throw fail.rule('场地预约模块尚未就绪，暂时不能为培训预约场地，请在“地点”中填写场地名称');
}

export async function releaseSessionVenue(_ctx: CallContext, _trx: Trx, bookingId: string | null, _reason: string): Promise<void> {
  if (!bookingId) return;
  throw fail.rule('场地预约模块尚未就绪，不能取消场地预约');
}
