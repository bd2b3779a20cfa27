/** Venues: the records and their rules. */
import { randomUUID } from 'node:crypto';
import { HUB_ORGANIZER_NAME } from '@shared/venues/hub';
import { fail } from '@shared/errors';
import type { AffectedBooking, Venue, VenueInput } from '@shared/contract/venues';
import { bookingsAffectedByRules, type VenueRules } from '@shared/venues/rules';
import { chinaDateTime } from '@shared/venues/time';
import type { CallContext } from '../api/context';
import { checkVersion, nextVersion } from '../api/versions';
import { listDictionary } from '../admin/dictionaries';
import type { Db } from '../db/connection';
import type { VenueTable } from './tables';

export function venueFromRow(r: VenueTable): Venue {
  return {
    id: r.id,
    name: r.name,
    hostTypeCode: r.host_type_code,
    hostName: r.host_name,
    address: r.address,
    capacity: r.capacity,
    equipment: JSON.parse(r.equipment_json),
    bookable: r.bookable === 1,
    openingHours: JSON.parse(r.opening_hours_json),
    closed: JSON.parse(r.closed_json),
    minLengthMinutes: r.min_length_minutes,
    maxLengthMinutes: r.max_length_minutes,
    minNoticeMinutes: r.min_notice_minutes,
    maxNoticeDays: r.max_notice_days,
    approvalRequired: r.approval_required === 1,
    quotas: JSON.parse(r.quotas_json),
    note: r.note,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

export function rulesOf(v: Venue): VenueRules {
  return {
    bookable: v.bookable,
    capacity: v.capacity,
    openingHours: v.openingHours,
    closed: v.closed,
    minLengthMinutes: v.minLengthMinutes,
    maxLengthMinutes: v.maxLengthMinutes,
    minNoticeMinutes: v.minNoticeMinutes,
    maxNoticeDays: v.maxNoticeDays,
    approvalRequired: v.approvalRequired,
    quotas: v.quotas,
  };
}

export function venueColumns(v: VenueInput): Omit<VenueTable, 'id' | 'created_at' | 'updated_at' | 'version'> {
  return {
    name: v.name,
    host_type_code: v.hostTypeCode,
    host_name: v.hostName,
    address: v.address,
    capacity: v.capacity,
    equipment_json: JSON.stringify(v.equipment),
    bookable: v.bookable ? 1 : 0,
    opening_hours_json: JSON.stringify(v.openingHours),
    closed_json: JSON.stringify([...v.closed].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0))),
    min_length_minutes: v.minLengthMinutes,
    max_length_minutes: v.maxLengthMinutes,
    min_notice_minutes: v.minNoticeMinutes,
    max_notice_days: v.maxNoticeDays,
    approval_required: v.approvalRequired ? 1 : 0,
    quotas_json: JSON.stringify(v.quotas),
    note: v.note,
  };
}

export async function loadVenue(db: Db, id: string): Promise<Venue> {
  const row = await db.selectFrom('venues').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw fail.notFound('场地');
  return venueFromRow(row);
}

export async function listVenues(db: Db, onlyBookable: boolean): Promise<Venue[]> {
  let q = db.selectFrom('venues').selectAll();
  if (onlyBookable) q = q.where('bookable', '=', 1);
  const rows = await q.orderBy('name').execute();
  return rows.map(venueFromRow);
}

async function assertNameFree(db: Db, name: string, exceptId?: string): Promise<void> {
  let q = db.selectFrom('venues').select('id').where('name', '=', name);
  if (exceptId) q = q.where('id', '<>', exceptId);
  if (await q.executeTakeFirst()) throw fail.conflict(`已有名为「${name}」的场地`);
}

/** The host facility type must be an active code of the `venue_host_type` dictionary. */
async function assertHostType(db: Db, code: string): Promise<void> {
  const active = (await listDictionary(db, 'venue_host_type')).filter((e) => e.active);
  if (!active.some((e) => e.code === code)) {
    const known = active.map((e) => e.label).join('、');
    throw fail.validation(`依托设施类型「${code}」不在字典中(可选:${known})`, [{ path: 'hostTypeCode', message: `依托设施类型「${code}」不在字典中` }]);
  }
}

/** Live, not yet started bookings of a venue that its rules now refuse, with the organization's name. */
export async function affectedBookings(ctx: CallContext, db: Db, venue: Venue): Promise<AffectedBooking[]> {
  const now = chinaDateTime(ctx.now());
  const rows = await db
    .selectFrom('venue_bookings as b')
    .leftJoin('organizations as o', 'o.id', 'b.organization_id') // a hub-run booking has none (本基地)
    .select(['b.id', 'b.start_at', 'b.end_at', 'b.state', 'b.expected_attendance', 'b.purpose', 'o.name'])
    .where('b.venue_id', '=', venue.id)
    .where('b.start_at', '>', now)
    .where('b.state', 'in', ['requested', 'approved'])
    .orderBy('b.start_at')
    .execute();
  const list = rows.map((r) => ({ ...r, start: r.start_at, end: r.end_at, attendance: r.expected_attendance }));
  return bookingsAffectedByRules(rulesOf(venue), list, now).map(({ booking: b, refusals }) => ({
    id: b.id,
    start: b.start,
    end: b.end,
    state: b.state,
    organizationName: b.name ?? HUB_ORGANIZER_NAME,
    purpose: b.purpose,
    messages: refusals.map((r) => r.message),
  }));
}

export async function createVenue(ctx: CallContext, input: VenueInput): Promise<{ id: string }> {
  return ctx.write(async (trx) => {
    await assertNameFree(trx, input.name);
    await assertHostType(trx, input.hostTypeCode);
    const now = ctx.now().toISOString();
    const id = randomUUID();
    const row: VenueTable = { id, ...venueColumns(input), created_at: now, updated_at: now, version: 1 };
    await trx.insertInto('venues').values(row).execute();
    await ctx.audit(trx, { entity: 'venue', entityId: id, summary: `新建场地「${input.name}」`, after: venueFromRow(row) });
    return { id };
  });
}

/**
 * Saves a venue. Bookings already made are not touched: those the new rules would refuse (a closed date laid
 * over them, shorter hours, lower capacity, no longer bookable) come back in `affected` and the audit entry
 * counts them, so staff can settle them with the organizations.
 */
export async function updateVenue(ctx: CallContext, id: string, version: number | undefined, input: VenueInput): Promise<{ ok: true; affected: AffectedBooking[] }> {
  return ctx.write(async (trx) => {
    const before = await loadVenue(trx, id);
    await checkVersion(trx, 'venues', id, version);
    await assertNameFree(trx, input.name, id);
    if (input.hostTypeCode !== before.hostTypeCode) await assertHostType(trx, input.hostTypeCode);
    const now = ctx.now().toISOString();
    await trx
      .updateTable('venues')
      .set({ ...venueColumns(input), updated_at: now, version: nextVersion() })
      .where('id', '=', id)
      .execute();
    const after = await loadVenue(trx, id);
    const affected = await affectedBookings(ctx, trx, after);
    await ctx.audit(trx, {
      entity: 'venue',
      entityId: id,
      summary: `修改场地「${input.name}」${affected.length ? `;${affected.length} 个已有预约不再符合场地规则` : ''}`,
      before,
      after,
    });
    return { ok: true as const, affected };
  });
}
