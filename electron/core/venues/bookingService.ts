/**
 * Booking venues: the one place where bookings are written. Every write checks the venue's rules inside the
 * caller's IMMEDIATE transaction (so the check sees every committed booking), and the database triggers of
 * migration 0003 refuse an overlap of two approved bookings even if a check was skipped or raced.
 *
 * Other areas (training) book through `bookVenue` / `cancelVenueBookings` / `moveVenueBooking` with their
 * own `ctx` and transaction: see DEVELOPERS.md, "venues API for other areas".
 */
import { unindexed } from './sqlDialect';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { AppError, fail } from '@shared/errors';
import type { BookingRequest } from '@shared/contract/venues';
import { DEFAULT_SETTINGS } from '@shared/admin/settings';
import { HUB_ORGANIZER_NAME } from '@shared/venues/hub';
import { DEFAULT_MAJOR_ACTIVITY_RULE, isMajorActivity, reportFiledInTime } from '@shared/organizations/activity';
import { expandRecurrence, type Occurrence, type Recurrence } from '@shared/venues/recurrence';
import {
  validateOccurrence,
  validateSeries,
  type ExistingBooking,
  type Refusal,
  type RefusalCode,
  type SeriesCheck,
  type VenueRules,
} from '@shared/venues/rules';
import {
  BOOKING_STATE_LABELS,
  OCCUPYING_STATES,
  QUOTA_STATES,
  changeableMembers,
  initialState,
  planSeriesAction,
  stateAfterChange,
  type BookingAction,
  type BookingState,
} from '@shared/venues/state';
import {
  addDays,
  chinaDateTime,
  datePart,
  formatInterval,
  fromMinutes,
  monthStart,
  nextMonthStart,
  toMinutes,
  weekStart,
  type LocalDate,
  type LocalDateTime,
} from '@shared/venues/time';
import type { CallContext, Trx } from '../api/context';
import { checkVersion, staleVersionError } from '../api/versions';
import type { VenueBookingTable } from './tables';
import { loadVenue, rulesOf } from './venueService';
import { dbErrorInfo } from '../db/errors';

/** Runs a write and turns the database guard's refusal into a CONFLICT with a clear message. */
async function guarded<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (dbErrorInfo(e)?.kind === 'overlap') {
      throw fail.conflict(`${what}与该场地已批准的预约时间重叠(数据库拒绝写入),请刷新后重试`, { guard: 'trigger' });
    }
    throw e;
  }
}

export interface BookVenueInput extends Omit<BookingRequest, 'recurrence' | 'activitySeriesCode' | 'activityKindCode' | 'activityId' | 'organizationId'> {
  /** null: the hub's own booking (本基地主办, e.g. a training the hub runs); no organization quota applies. */
  organizationId: string | null;
  recurrence?: Recurrence;
  activitySeriesCode?: string | null;
  activityKindCode?: string | null;
  activityId?: string | null;
  /** Book only the dates that pass every check; otherwise any refused date refuses the whole request. */
  onlyFree?: boolean;
  /** Area that owns the booking (default 'venues'), and its record id (e.g. a training session). */
  source?: string;
  sourceRef?: string | null;
  /**
   * 'auto' (default): requested when the venue needs approval, else approved. 'approved': approve at once —
   * only for callers that hold the approver role (the caller checks it).
   */
  state?: 'auto' | 'approved';
}

export interface BookVenueResult {
  seriesId: string;
  created: { id: string; date: LocalDate; state: BookingState }[];
  skipped: { index: number; date: LocalDate; start: string; end: string; refusals: Refusal[] }[];
}

interface ActivityFacts {
  id: string;
  orgId: string;
  kindCode: string | null;
  isMajor: boolean;
  reportFiledDate: string | null;
}

async function majorThreshold(trx: Trx): Promise<number> {
  const row = await trx.selectFrom('settings').select('value').where('key', '=', 'majorActivityThreshold').executeTakeFirst();
  const v = row ? Number(JSON.parse(row.value)) : NaN;
  return Number.isInteger(v) && v > 0 ? v : DEFAULT_SETTINGS.majorActivityThreshold;
}

async function loadActivity(trx: Trx, id: string): Promise<ActivityFacts> {
  const a = await trx
    .selectFrom('org_activities')
    .select(['id', 'org_id', 'kind_code', 'is_major', 'report_filed_date'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!a) throw fail.notFound('关联的活动');
  return { id: a.id, orgId: a.org_id, kindCode: a.kind_code, isMajor: a.is_major === 1, reportFiledDate: a.report_filed_date };
}

/** Whether a booking is a major activity, and whether its report counts for a given date. */
async function majorActivityCheck(
  trx: Trx,
  b: { organizationId: string | null; activityId: string | null; activityKindCode: string | null; expectedAttendance: number },
): Promise<(date: LocalDate) => { isMajor: boolean; reportFiled: boolean }> {
  const rule = { ...DEFAULT_MAJOR_ACTIVITY_RULE, threshold: await majorThreshold(trx) };
  const activity = b.activityId ? await loadActivity(trx, b.activityId) : null;
  if (activity && activity.orgId !== b.organizationId) throw fail.validation('关联的活动不属于该组织', [{ path: 'activityId', message: '活动不属于该组织' }]);
  const major =
    (activity?.isMajor ?? false) ||
    isMajorActivity({ kindCode: b.activityKindCode ?? activity?.kindCode ?? null, expectedAttendance: b.expectedAttendance }, rule).major;
  return (date) => ({ isMajor: major, reportFiled: !!activity && reportFiledInTime(activity.reportFiledDate, date) });
}

/** Bookings holding the venue around [from, to): the overlap candidates. */
export async function occupyingAround(trx: Trx, venueId: string, from: LocalDateTime, to: LocalDateTime): Promise<ExistingBooking[]> {
  const rows = await trx
    .selectFrom('venue_bookings as b')
    .leftJoin('organizations as o', 'o.id', 'b.organization_id')
    .select(['b.id', 'b.start_at', 'b.end_at', 'o.name'])
    .where('b.venue_id', '=', venueId)
    .where('b.start_at', '<', to)
    .where('b.start_at', '>', fromMinutes(toMinutes(from) - 1440))
    // `+` keeps the planner on (venue_id, start_at): a handful of rows, not every venue's bookings of the day
    .where(unindexed(trx, 'b.state'), 'in', OCCUPYING_STATES as BookingState[])
    .execute();
  return rows.map((r) => ({ id: r.id, start: r.start_at, end: r.end_at, label: r.name ?? HUB_ORGANIZER_NAME }));
}

/** The organization's bookings at the venue that count for quotas, in the periods the dates fall in. */
async function quotaBookings(trx: Trx, rules: VenueRules, venueId: string, organizationId: string | null, dates: LocalDate[]): Promise<ExistingBooking[]> {
  // The hub's own bookings (no organization) are under no organization's quota.
  if (!organizationId || !rules.quotas.length || !dates.length) return [];
  const first = dates.reduce((a, b) => (a < b ? a : b));
  const last = dates.reduce((a, b) => (a > b ? a : b));
  const from = [weekStart(first), monthStart(first)].sort()[0];
  const to = [addDays(weekStart(last), 7), nextMonthStart(last)].sort()[1];
  const rows = await trx
    .selectFrom('venue_bookings')
    .select(['id', 'start_at', 'end_at'])
    .where('venue_id', '=', venueId)
    .where('organization_id', '=', organizationId)
    .where('start_at', '>=', `${from}T00:00`)
    .where('start_at', '<', `${to}T00:00`)
    .where(unindexed(trx, 'state'), 'in', QUOTA_STATES as BookingState[])
    .execute();
  return rows.map((r) => ({ id: r.id, start: r.start_at, end: r.end_at }));
}

/** One error for refused occurrences: CONFLICT when only collisions stand in the way, else RULE. */
function refusalError(checks: readonly SeriesCheck[] | { date: LocalDate; refusals: Refusal[] }[], summary: string): AppError {
  const list = checks.map((c) => ('occurrence' in c ? { date: c.occurrence.date, refusals: c.refusals } : c)).filter((c) => c.refusals.length);
  const onlyConflicts = list.every((c) => c.refusals.every((r) => r.code === 'CONFLICT'));
  const message = list.length === 1 && checks.length === 1 ? list[0].refusals.map((r) => r.message).join(';') : summary;
  const details = {
    refused: list.map((c) => ({ date: c.date, codes: c.refusals.map((r) => r.code), messages: c.refusals.map((r) => r.message) })),
  };
  return onlyConflicts ? fail.conflict(message, details) : fail.rule(message, details);
}

/** Checks a request without writing: what the form shows before "book the free dates". */
export async function checkBooking(ctx: CallContext, trx: Trx, input: BookVenueInput) {
  const venue = await loadVenue(trx, input.venueId);
  const org = input.organizationId
    ? await trx.selectFrom('organizations').select(['id', 'name', 'status']).where('id', '=', input.organizationId).executeTakeFirst()
    : { id: null, name: HUB_ORGANIZER_NAME, status: 'active' };
  if (!org) throw fail.notFound('组织');
  const occurrences = expandRecurrence({ start: input.start, end: input.end }, input.recurrence ?? { kind: 'once' });
  const rules = rulesOf(venue);
  const majorOn = await majorActivityCheck(trx, {
    organizationId: input.organizationId,
    activityId: input.activityId ?? null,
    activityKindCode: input.activityKindCode ?? null,
    expectedAttendance: input.expectedAttendance,
  });
  const minStart = occurrences[0].start;
  const maxEnd = occurrences.reduce((m, o) => (o.end > m ? o.end : m), occurrences[0].end);
  const occupying = await occupyingAround(trx, venue.id, minStart, maxEnd);
  const orgBookings = await quotaBookings(trx, rules, venue.id, input.organizationId, occurrences.map((o) => o.date));
  const validation = validateSeries(rules, occurrences, { attendance: input.expectedAttendance }, {
    now: chinaDateTime(ctx.now()),
    stage: 'request',
    occupying,
    organizationBookings: orgBookings,
    majorActivityOn: majorOn,
  });
  if (org.status !== 'active') {
    // A withdrawn organization books nothing; every date says so.
    for (const c of validation.checks) c.refusals.push({ code: 'NOT_BOOKABLE', message: `组织「${org.name}」已退出,不能预约场地`, date: c.occurrence.date });
    validation.free = [];
    validation.refused = validation.checks;
  }
  const state: BookingState = input.state === 'approved' ? 'approved' : initialState(venue.approvalRequired);
  return { venue, org, occurrences, validation, state };
}

/**
 * Books a venue (one-off or a series) inside `trx`. Refuses with CONFLICT (only collisions) or RULE (any other
 * reason) naming every refused date, unless `onlyFree` books the dates that pass and reports the others.
 * Writes one audit entry for the series.
 */
export async function bookVenue(ctx: CallContext, trx: Trx, input: BookVenueInput): Promise<BookVenueResult> {
  const { venue, org, validation, state } = await checkBooking(ctx, trx, input);
  const { free, refused, summary } = validation;
  if (refused.length && (!input.onlyFree || !free.length)) throw refusalError(validation.checks, summary);

  const nowIso = ctx.now().toISOString();
  const userId = ctx.user?.id ?? null;
  const seriesId = randomUUID();
  const rec = input.recurrence ?? { kind: 'once' as const };
  await trx
    .insertInto('venue_booking_series')
    .values({
      id: seriesId,
      venue_id: venue.id,
      organization_id: org.id,
      recurrence_kind: rec.kind,
      until_date: rec.kind === 'once' ? null : rec.until,
      skip_json: JSON.stringify(rec.kind === 'once' ? [] : (rec.skip ?? [])),
      created_by: userId,
      created_at: nowIso,
    })
    .execute();
  const rows: VenueBookingTable[] = free.map((o: Occurrence) => ({
    id: randomUUID(),
    series_id: seriesId,
    occ_index: o.index,
    venue_id: venue.id,
    organization_id: org.id,
    start_at: o.start,
    end_at: o.end,
    state,
    purpose: input.purpose,
    activity_series_code: input.activitySeriesCode ?? null,
    activity_kind_code: input.activityKindCode ?? null,
    expected_attendance: input.expectedAttendance,
    activity_id: input.activityId ?? null,
    source: input.source ?? 'venues',
    source_ref: input.sourceRef ?? null,
    cancel_reason: null,
    rejected: 0,
    decided_by: state === 'approved' ? userId : null,
    decided_at: state === 'approved' ? nowIso : null,
    sequence: 0,
    version: 1,
    created_by: userId,
    created_at: nowIso,
    updated_at: nowIso,
  }));
  await guarded('预约', async () => {
    for (let i = 0; i < rows.length; i += 50) await trx.insertInto('venue_bookings').values(rows.slice(i, i + 50)).execute();
  });
  const first = rows[0];
  const what = rows.length === 1 ? formatInterval({ start: first.start_at, end: first.end_at }) : `${rows.length} 次(${rows[0].start_at.slice(0, 10)} 起)`;
  await ctx.audit(trx, {
    action: 'venues.bookings.create',
    entity: 'venue_booking_series',
    entityId: seriesId,
    summary: `预约场地「${venue.name}」:${org.name},${what},${BOOKING_STATE_LABELS[state]}${refused.length ? `;未预约 ${refused.length} 个日期` : ''}`,
    after: { venueId: venue.id, organizationId: org.id, recurrence: rec, state, occurrences: rows.map((r) => ({ id: r.id, start: r.start_at, end: r.end_at })) },
  });
  return {
    seriesId,
    created: rows.map((r) => ({ id: r.id, date: datePart(r.start_at), state })),
    skipped: refused.map((c) => ({ index: c.occurrence.index, date: c.occurrence.date, start: c.occurrence.start, end: c.occurrence.end, refusals: c.refusals })),
  };
}

export type ScopeKind = 'one' | 'all' | 'from';

interface Member {
  id: string;
  state: BookingState;
  start: LocalDateTime;
  end: LocalDateTime;
  row: VenueBookingTable;
}

async function loadBookingRow(trx: Trx, id: string): Promise<VenueBookingTable> {
  const row = await trx.selectFrom('venue_bookings').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw fail.notFound('预约');
  return row;
}

/** The booking and the members of its series the scope covers (by date: 'from' includes the booking's date). */
async function membersInScope(trx: Trx, id: string, scope: ScopeKind): Promise<{ anchor: VenueBookingTable; members: Member[] }> {
  const anchor = await loadBookingRow(trx, id);
  let rows: VenueBookingTable[];
  if (scope === 'one') rows = [anchor];
  else {
    let q = trx.selectFrom('venue_bookings').selectAll().where('series_id', '=', anchor.series_id);
    if (scope === 'from') q = q.where('start_at', '>=', `${datePart(anchor.start_at)}T00:00`);
    rows = await q.orderBy('start_at').execute();
  }
  return { anchor, members: rows.map((r) => ({ id: r.id, state: r.state as BookingState, start: r.start_at, end: r.end_at, row: r })) };
}

export interface SeriesChangeResult {
  changed: { id: string; date: LocalDate; state: BookingState }[];
  /** `codes` is set when the venue's rules refused the member (CONFLICT = an approved booking is in the way). */
  skipped: { id: string; date: LocalDate; message: string; codes?: RefusalCode[] }[];
}

/** For a single booking, a refusal is an error: CONFLICT when only an overlap stands in the way. */
function singleRefusal(s: SeriesChangeResult['skipped'][number]): AppError {
  return s.codes?.length && s.codes.every((c) => c === 'CONFLICT') ? fail.conflict(s.message) : fail.rule(s.message);
}

/** Re-validates an occurrence at its (possibly new) place, excluding itself. */
async function revalidate(
  ctx: CallContext,
  trx: Trx,
  venueRules: VenueRules,
  row: VenueBookingTable,
  at: { venueId: string; start: LocalDateTime; end: LocalDateTime },
  stage: 'request' | 'approval',
): Promise<Refusal[]> {
  const majorOn = await majorActivityCheck(trx, {
    organizationId: row.organization_id,
    activityId: row.activity_id,
    activityKindCode: row.activity_kind_code,
    expectedAttendance: row.expected_attendance,
  });
  const occupying = await occupyingAround(trx, at.venueId, at.start, at.end);
  const orgBookings = await quotaBookings(trx, venueRules, at.venueId, row.organization_id, [datePart(at.start)]);
  return validateOccurrence(
    venueRules,
    { id: row.id, start: at.start, end: at.end, attendance: row.expected_attendance },
    {
      now: chinaDateTime(ctx.now()),
      stage,
      occupying,
      organizationBookings: orgBookings,
      majorActivity: majorOn(datePart(at.start)),
    },
  );
}

async function setState(ctx: CallContext, trx: Trx, row: VenueBookingTable, to: BookingState, reason?: string, rejected = false): Promise<void> {
  const nowIso = ctx.now().toISOString();
  await guarded('批准的预约', () =>
    trx
      .updateTable('venue_bookings')
      .set({
        state: to,
        cancel_reason: to === 'cancelled' ? (reason ?? null) : row.cancel_reason,
        rejected: to === 'cancelled' && rejected ? 1 : 0,
        decided_by: ctx.user?.id ?? null,
        decided_at: nowIso,
        sequence: row.sequence + 1,
        updated_at: nowIso,
        version: row.version + 1,
      })
      .where('id', '=', row.id)
      .where('state', '=', row.state) // a concurrent change makes this a no-op, caught below
      .where('version', '=', row.version)
      .executeTakeFirst()
      .then(async (r) => {
        if (Number(r.numUpdatedRows) !== 1) throw await staleVersionError(trx, 'venue_bookings', row.id, row.version, await checkVersion(trx, 'venue_bookings', row.id, null));
      }),
  );
}

const ACTION_TITLE: Record<BookingAction, string> = { approve: '批准', reject: '驳回', cancel: '取消', markUsed: '登记已使用', markNoShow: '登记未到场' };

/**
 * Applies a state action to a booking, or to its series (whole, or from its date on). Members that cannot take
 * the action are listed in `skipped`; for a single booking any refusal is an error. Approval re-checks the
 * venue's rules (not the notice) and the overlap, so a request that now collides is not approved.
 */
export async function applyBookingAction(
  ctx: CallContext,
  trx: Trx,
  id: string,
  action: BookingAction,
  scope: ScopeKind,
  reason?: string,
  expectedVersion?: number,
): Promise<SeriesChangeResult> {
  // The booking the user acted on is still as they read it (two approvers at once: the second is told who was first).
  await checkVersion(trx, 'venue_bookings', id, expectedVersion);
  const { anchor, members } = await membersInScope(trx, id, scope);
  const now = chinaDateTime(ctx.now());
  const plan = planSeriesAction(members, action, { kind: 'all' }, now, reason);
  const result: SeriesChangeResult = { changed: [], skipped: plan.skipped.map((s) => ({ id: s.member.id, date: datePart(s.member.start), message: s.message })) };
  const venue = await loadVenue(trx, anchor.venue_id);
  const rules = rulesOf(venue);
  for (const { member, to } of plan.apply) {
    if (action === 'approve') {
      const refusals = await revalidate(ctx, trx, rules, member.row, { venueId: member.row.venue_id, start: member.start, end: member.end }, 'approval');
      if (refusals.length) {
        result.skipped.push({ id: member.id, date: datePart(member.start), message: refusals.map((r) => r.message).join(';'), codes: refusals.map((r) => r.code) });
        continue;
      }
    }
    await setState(ctx, trx, member.row, to, reason, action === 'reject');
    result.changed.push({ id: member.id, date: datePart(member.start), state: to });
  }
  if (scope === 'one' && result.skipped.length) throw singleRefusal(result.skipped[0]);
  if (!result.changed.length && result.skipped.length) {
    throw fail.rule(`没有可以${ACTION_TITLE[action]}的预约:${result.skipped.map((s) => `${s.date} ${s.message}`).join(';')}`);
  }
  const org = anchor.organization_id
    ? await trx.selectFrom('organizations').select('name').where('id', '=', anchor.organization_id).executeTakeFirst()
    : { name: HUB_ORGANIZER_NAME };
  await ctx.audit(trx, {
    entity: 'venue_booking',
    entityId: anchor.id,
    summary: `${ACTION_TITLE[action]}场地预约「${venue.name}」:${org?.name ?? ''},${
      result.changed.length === 1 ? formatInterval(members.find((m) => m.id === result.changed[0].id)!) : `${result.changed.length} 次`
    }${reason ? `,${action === 'reject' ? '驳回理由' : '原因'}:${reason}` : ''}`,
    before: members.filter((m) => result.changed.some((c) => c.id === m.id)).map((m) => ({ id: m.id, state: m.state })),
    after: result.changed,
  });
  return result;
}

/**
 * 批量批准: each booking is approved on its own (its version, the venue's rules and the overlap, checked against
 * the ones approved before it in the same list), and one refused does not stop the others. Each approval is its
 * own savepoint with its own audit row; the answer says per booking what happened.
 */
export async function approveMany(
  ctx: CallContext,
  trx: Trx,
  items: readonly { id: string; version?: number }[],
): Promise<{ results: { id: string; ok: boolean; state: BookingState | null; message: string }[]; approved: number; refused: number }> {
  const results: { id: string; ok: boolean; state: BookingState | null; message: string }[] = [];
  for (const item of items) {
    await sql`SAVEPOINT approve_many`.execute(trx);
    try {
      const r = await applyBookingAction(ctx, trx, item.id, 'approve', 'one', undefined, item.version);
      await sql`RELEASE SAVEPOINT approve_many`.execute(trx);
      results.push({ id: item.id, ok: true, state: r.changed[0]?.state ?? 'approved', message: '已批准' });
    } catch (e) {
      await sql`ROLLBACK TO SAVEPOINT approve_many`.execute(trx);
      await sql`RELEASE SAVEPOINT approve_many`.execute(trx);
      if (!(e instanceof AppError)) throw e;
      const state = (await trx.selectFrom('venue_bookings').select('state').where('id', '=', item.id).executeTakeFirst())?.state ?? null;
      results.push({ id: item.id, ok: false, state: state as BookingState | null, message: e.message });
    }
  }
  const approved = results.filter((r) => r.ok).length;
  return { results, approved, refused: results.length - approved };
}

/** Cancels bookings (another area's records included), reason required. */
export async function cancelVenueBookings(ctx: CallContext, trx: Trx, id: string, reason: string, scope: ScopeKind = 'one'): Promise<SeriesChangeResult> {
  return applyBookingAction(ctx, trx, id, 'cancel', scope, reason);
}

/**
 * Moves a booking (and with scope from/all, the later or all changeable members of its series by the same
 * shift) to a new time and optionally another venue. Each moved occurrence is checked at its new place; an
 * approved one that is moved by someone who is not an approver goes back to "requested" when the venue needs
 * approval.
 */
export async function moveVenueBooking(
  ctx: CallContext,
  trx: Trx,
  input: { id: string; version?: number; start: LocalDateTime; end: LocalDateTime; venueId?: string; scope?: ScopeKind },
): Promise<SeriesChangeResult> {
  const scope = input.scope ?? 'one';
  await checkVersion(trx, 'venue_bookings', input.id, input.version);
  const { anchor, members } = await membersInScope(trx, input.id, scope);
  const now = chinaDateTime(ctx.now());
  const shift = toMinutes(input.start) - toMinutes(anchor.start_at);
  const length = toMinutes(input.end) - toMinutes(input.start);
  const venueId = input.venueId ?? anchor.venue_id;
  const venue = await loadVenue(trx, venueId);
  const rules = rulesOf(venue);
  const byApprover = ctx.hasRole('admin', 'approver');
  const { change, keep } = changeableMembers(members, { kind: 'all' }, now);
  const result: SeriesChangeResult = { changed: [], skipped: keep.map((k) => ({ id: k.member.id, date: datePart(k.member.start), message: k.message })) };
  const nowIso = ctx.now().toISOString();
  for (const m of change) {
    const start = fromMinutes(toMinutes(m.start) + shift);
    const end = fromMinutes(toMinutes(start) + length);
    const to = stateAfterChange(m.state, venue.approvalRequired, byApprover);
    const refusals = await revalidate(ctx, trx, rules, m.row, { venueId, start, end }, byApprover ? 'approval' : 'request');
    if (refusals.length) {
      result.skipped.push({ id: m.id, date: datePart(m.start), message: refusals.map((r) => r.message).join(';'), codes: refusals.map((r) => r.code) });
      continue;
    }
    await guarded('调整后的预约', async () => {
      const r = await trx
        .updateTable('venue_bookings')
        .set({
          venue_id: venueId,
          start_at: start,
          end_at: end,
          state: to,
          decided_by: to === m.state ? m.row.decided_by : null,
          decided_at: to === m.state ? m.row.decided_at : null,
          sequence: m.row.sequence + 1,
          updated_at: nowIso,
          version: m.row.version + 1,
        })
        .where('id', '=', m.id)
        .where('state', '=', m.state)
        .where('version', '=', m.row.version)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) throw await staleVersionError(trx, 'venue_bookings', m.id, m.row.version, await checkVersion(trx, 'venue_bookings', m.id, null));
    });
    result.changed.push({ id: m.id, date: datePart(start), state: to });
  }
  if (scope === 'one' && result.skipped.length) throw singleRefusal(result.skipped[0]);
  if (!result.changed.length) throw fail.rule(`没有可以调整的预约:${result.skipped.map((s) => `${s.date} ${s.message}`).join(';')}`);
  await ctx.audit(trx, {
    entity: 'venue_booking',
    entityId: anchor.id,
    summary: `调整场地预约「${venue.name}」:${formatInterval({ start: anchor.start_at, end: anchor.end_at })} → ${formatInterval({ start: input.start, end: input.end })}${
      result.changed.length > 1 ? `(共 ${result.changed.length} 次)` : ''
    }`,
    before: members.filter((m) => result.changed.some((c) => c.id === m.id)).map((m) => ({ id: m.id, venueId: m.row.venue_id, start: m.start, end: m.end, state: m.state })),
    after: result.changed,
  });
  return result;
}

/** Records the outcome of an approved booking that has started. */
export async function recordOutcome(ctx: CallContext, trx: Trx, id: string, outcome: 'used' | 'no_show', expectedVersion?: number): Promise<void> {
  await applyBookingAction(ctx, trx, id, outcome === 'used' ? 'markUsed' : 'markNoShow', 'one', undefined, expectedVersion);
}

/** Count of overlapping pairs of occupying bookings (0 unless the guard failed): used by tests and the db check. */
export async function countOverlaps(trx: Trx): Promise<number> {
  const r = await sql<{ n: number }>`SELECT count(*) AS n FROM venue_bookings a JOIN venue_bookings b
    ON a.venue_id = b.venue_id AND a.id < b.id AND a.start_at < b.end_at AND b.start_at < a.end_at
    WHERE a.state IN ('approved', 'used', 'no_show') AND b.state IN ('approved', 'used', 'no_show')`.execute(trx);
  return Number(r.rows[0]?.n ?? 0);
}
