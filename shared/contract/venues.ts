import { z } from 'zod';
import { ANY_ROLE, APPROVERS, STAFF_WRITE, type Role } from '../roles';
import { defineCall, zDate, zFileDownload, zId, zOk, zPage, zSortModel, zVersion, UPLOAD_MAX_BODY_BYTES, type Contract } from './define';
import { zTableImportCommitInput, zTableImportInput, zTableImportResult } from '../importing/contract';
import { checkRules, QUOTA_PERIODS, QUOTA_UNITS, REFUSAL_CODES } from '../venues/rules';
import { BOOKING_STATES } from '../venues/state';
import { VENUE_TEXT_RULES } from '../venues/text';
import { isLocalDateTime, isTimeOfDay } from '../venues/time';

/** Staff book and cancel; the approver (often the director) may also cancel and move what they approved. */
const BOOKING_WRITE: readonly Role[] = ['admin', 'staff', 'approver'];

export const zLocalDateTime = z.string().refine(isLocalDateTime, '时间格式应为 YYYY-MM-DDTHH:mm(如 2026-03-05T19:00)');
const zTimeOfDay = z.string().refine((t) => isTimeOfDay(t), '时间格式应为 HH:mm');
const zEndOfDay = z.string().refine((t) => isTimeOfDay(t, true), '时间格式应为 HH:mm(可为 24:00)');

export const zTimeRange = z.object({ start: zTimeOfDay, end: zEndOfDay });
export const zClosedPeriod = z.object({ from: zDate, to: zDate, reason: z.string().trim().min(1, '请填写闭馆原因').max(100) });
export const zQuota = z.object({ period: z.enum(QUOTA_PERIODS), unit: z.enum(QUOTA_UNITS), limit: z.number().int().min(1).max(10000) });

const nullableInt = (max: number) => z.number().int().min(0).max(max).nullable();

export const zVenueInput = z
  .object({
    name: z.string().overwrite(VENUE_TEXT_RULES.name).min(2, '场地名称至少 2 个字').max(60),
    hostTypeCode: z.string().trim().min(1, '请选择依托设施类型').max(32),
    hostName: z.string().overwrite(VENUE_TEXT_RULES.hostName).max(100).default(''),
    address: z.string().overwrite(VENUE_TEXT_RULES.address).max(200).default(''),
    capacity: z.number().int('容量应为整数').min(1, '容量至少 1 人').max(100000),
    equipment: z.array(z.string().overwrite(VENUE_TEXT_RULES.equipment).min(1).max(40)).max(50).default([]),
    bookable: z.boolean().default(true),
    openingHours: z.array(z.array(zTimeRange).max(8)).length(7, '开放时间应包含周一至周日七天'),
    closed: z.array(zClosedPeriod).max(1000).default([]),
    minLengthMinutes: nullableInt(1440).default(null),
    maxLengthMinutes: nullableInt(1440).default(null),
    minNoticeMinutes: nullableInt(525600).default(null),
    maxNoticeDays: nullableInt(3650).default(null),
    approvalRequired: z.boolean().default(true),
    quotas: z.array(zQuota).max(4).default([]),
    note: z.string().overwrite(VENUE_TEXT_RULES.note).max(500).default(''),
  })
  .superRefine((v, ctx) => {
    for (const issue of checkRules(v)) ctx.addIssue({ code: 'custom', path: issue.path.split('.'), message: issue.message });
  });
export type VenueInput = z.output<typeof zVenueInput>;

export const zVenue = z.object({
  id: zId,
  name: z.string(),
  hostTypeCode: z.string(),
  hostName: z.string(),
  address: z.string(),
  capacity: z.number().int(),
  equipment: z.array(z.string()),
  bookable: z.boolean(),
  openingHours: z.array(z.array(zTimeRange)),
  closed: z.array(zClosedPeriod),
  minLengthMinutes: z.number().int().nullable(),
  maxLengthMinutes: z.number().int().nullable(),
  minNoticeMinutes: z.number().int().nullable(),
  maxNoticeDays: z.number().int().nullable(),
  approvalRequired: z.boolean(),
  quotas: z.array(zQuota),
  note: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** The record version to send back with an edit (a stale one is refused). */
  version: z.number().int(),
});
export type Venue = z.output<typeof zVenue>;

export const zAffectedBooking = z.object({
  id: zId,
  start: z.string(),
  end: z.string(),
  state: z.string(),
  organizationName: z.string(),
  purpose: z.string(),
  messages: z.array(z.string()),
});
export type AffectedBooking = z.output<typeof zAffectedBooking>;

export const zRecurrence = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('once') }),
  z.object({ kind: z.enum(['weekly', 'biweekly']), until: zDate, skip: z.array(zDate).max(200).default([]) }),
]);

export const zBookingRequest = z.object({
  venueId: zId,
  organizationId: zId,
  /** First occurrence. */
  start: zLocalDateTime,
  end: zLocalDateTime,
  recurrence: zRecurrence.default({ kind: 'once' }),
  purpose: z.string().trim().min(1, '请填写用途').max(200),
  activitySeriesCode: z.string().max(32).nullable().default(null),
  activityKindCode: z.string().max(32).nullable().default(null),
  expectedAttendance: z.number().int('预计人数应为整数').min(1, '预计人数至少 1 人').max(100000),
  /** The organization's activity record (organizations area) this booking is for: its major-activity report counts. */
  activityId: zId.nullable().default(null),
});
export type BookingRequest = z.output<typeof zBookingRequest>;

export const zRefusal = z.object({
  code: z.enum(REFUSAL_CODES),
  message: z.string(),
  date: zDate.optional(),
  conflictIds: z.array(z.string()).optional(),
});

export const zOccurrenceCheck = z.object({
  index: z.number().int(),
  date: zDate,
  start: z.string(),
  end: z.string(),
  refusals: z.array(zRefusal),
});

export const zBookingState = z.enum(BOOKING_STATES);

export const zBookingRow = z.object({
  id: zId,
  seriesId: zId,
  occIndex: z.number().int(),
  recurrenceKind: z.enum(['once', 'weekly', 'biweekly']),
  venueId: zId,
  venueName: z.string(),
  /** null: the hub's own booking (本基地主办); organizationName then reads 本基地. */
  organizationId: zId.nullable(),
  organizationName: z.string(),
  start: z.string(),
  end: z.string(),
  state: zBookingState,
  purpose: z.string(),
  activitySeriesCode: z.string().nullable(),
  activityKindCode: z.string().nullable(),
  expectedAttendance: z.number().int(),
  activityId: z.string().nullable(),
  source: z.string(),
  sourceRef: z.string().nullable(),
  cancelReason: z.string().nullable(),
  /** Cancelled by an approver's 驳回 (cancelReason holds the reason the booker is shown). */
  rejected: z.boolean(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  /** Increases with every change (iCalendar SEQUENCE). */
  sequence: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** The record version to send back with a state change or a move (a stale one is refused). */
  version: z.number().int(),
});
export type BookingRow = z.output<typeof zBookingRow>;

export const zSeriesScope = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('one') }),
  z.object({ kind: z.literal('all') }),
  z.object({ kind: z.literal('from') }),
]);

const zSkipped = z.array(z.object({ id: zId, date: zDate, message: z.string() }));
const zSeriesResult = z.object({
  changed: z.array(z.object({ id: zId, date: zDate, state: zBookingState })),
  skipped: zSkipped,
  /** After a cancellation: waiting-list entries whose slot is now free. */
  waitlistFreed: z.number().int().optional(),
});

export const WAITLIST_STATES = ['waiting', 'booked', 'withdrawn'] as const;
export const WAITLIST_STATE_LABELS: Record<(typeof WAITLIST_STATES)[number], string> = { waiting: '候补中', booked: '已转预约', withdrawn: '已撤回' };

export const zWaitlistRow = z.object({
  id: zId,
  venueId: zId,
  venueName: z.string(),
  organizationId: zId,
  organizationName: z.string(),
  start: z.string(),
  end: z.string(),
  purpose: z.string(),
  expectedAttendance: z.number().int(),
  state: z.enum(WAITLIST_STATES),
  bookingId: z.string().nullable(),
  withdrawReason: z.string().nullable(),
  createdAt: z.string(),
  /** Place among the waiting entries that want an overlapping time of the same venue (1 = first). */
  position: z.number().int(),
  /** For a waiting entry: the approved bookings still in the way (empty = the slot is free now). */
  blockers: z.array(z.string()),
  /** The slot has started: the entry can no longer be booked. */
  expired: z.boolean(),
});
export type WaitlistRow = z.output<typeof zWaitlistRow>;

export const zBookingFilter = z
  .object({
    venueId: zId.optional(),
    organizationId: zId.optional(),
    states: z.array(zBookingState).max(5).optional(),
    from: zDate.optional(),
    to: zDate.optional(),
    text: z.string().max(50).optional(),
    source: z.string().max(20).optional(),
  })
  .default({});

export const zUtilizationFigures = z.object({
  openMinutes: z.number().int(),
  bookedMinutes: z.number().int(),
  usedMinutes: z.number().int(),
  noShowMinutes: z.number().int(),
  idleMinutes: z.number().int(),
  bookings: z.number().int(),
});

export const zUtilizationInput = z
  .object({ from: zDate, to: zDate, venueIds: z.array(zId).max(500).optional() })
  .refine((v) => v.from <= v.to, { message: '结束日期不能早于开始日期', path: ['to'] })
  .refine((v) => Date.parse(v.to) - Date.parse(v.from) <= 731 * 86_400_000, { message: '统计区间最长两年', path: ['to'] });

export const zUtilizationReport = z.object({
  from: zDate,
  to: zDate,
  months: z.array(z.string()),
  venues: z.array(
    z.object({
      venueId: zId,
      venueName: z.string(),
      total: zUtilizationFigures,
      months: z.array(zUtilizationFigures.extend({ month: z.string() })),
    }),
  ),
  byMonth: z.array(zUtilizationFigures.extend({ month: z.string() })),
  organizations: z.array(
    z.object({
      /** null: the hub's own bookings (本基地). */
      organizationId: zId.nullable(),
      organizationName: z.string(),
      bookedMinutes: z.number().int(),
      usedMinutes: z.number().int(),
      noShowMinutes: z.number().int(),
      bookings: z.number().int(),
    }),
  ),
  total: zUtilizationFigures,
});
export type UtilizationReport = z.output<typeof zUtilizationReport>;

/** Calls of the venues area (安家场地); the handlers live in electron/core/venues/handlers.ts. */
export const venuesContract = {
  'venues.list': defineCall({
    title: '场地列表',
    access: ANY_ROLE,
    write: false,
    input: z.object({ onlyBookable: z.boolean().default(false) }),
    output: z.object({ rows: z.array(zVenue) }),
  }),
  'venues.get': defineCall({ title: '查看场地', access: ANY_ROLE, write: false, input: z.object({ id: zId }), output: zVenue }),
  'venues.create': defineCall({ title: '新建场地', access: STAFF_WRITE, write: true, input: zVenueInput, output: z.object({ id: zId }) }),
  'venues.import.preview': defineCall({
    title: '预览场地导入',
    access: STAFF_WRITE,
    write: false,
    maxBodyBytes: UPLOAD_MAX_BODY_BYTES,
    input: zTableImportInput,
    output: zTableImportResult,
  }),
  'venues.import.commit': defineCall({
    title: '导入场地',
    access: STAFF_WRITE,
    write: true,
    maxBodyBytes: UPLOAD_MAX_BODY_BYTES,
    input: zTableImportCommitInput,
    output: zTableImportResult,
  }),
  'venues.import.template': defineCall({ title: '下载场地导入模板', access: ANY_ROLE, write: false, input: z.object({}), output: zFileDownload }),
  /** Every venue in the import template's shape: importing the file back changes nothing. */
  'venues.export': defineCall({ title: '导出场地(导入格式)', access: ANY_ROLE, write: false, input: z.object({}), output: zFileDownload }),
  'venues.update': defineCall({
    title: '修改场地',
    access: STAFF_WRITE,
    write: true,
    input: z.object({ id: zId, version: zVersion, venue: zVenueInput }),
    /** Live bookings the new rules would refuse (closed date, hours, capacity …): kept, listed for staff to settle. */
    output: z.object({ ok: z.literal(true), affected: z.array(zAffectedBooking) }),
  }),
  'venues.options': defineCall({
    title: '预约选项',
    access: ANY_ROLE,
    write: false,
    input: z.object({ organizationId: zId.optional() }),
    output: z.object({
      organizations: z.array(z.object({ id: zId, name: z.string() })),
      /** Planned activities of the chosen organization, to link a booking to (major-activity report). */
      activities: z.array(
        z.object({ id: zId, title: z.string(), date: zDate, isMajor: z.boolean(), reportFiledDate: z.string().nullable() }),
      ),
      majorActivityThreshold: z.number().int(),
    }),
  }),
  'venues.bookings.calendar': defineCall({
    title: '场地日历',
    access: ANY_ROLE,
    write: false,
    input: z
      .object({
        venueIds: z.array(zId).max(500).optional(),
        from: zDate,
        to: zDate,
        includeCancelled: z.boolean().default(false),
      })
      .refine((v) => v.from <= v.to && Date.parse(v.to) - Date.parse(v.from) <= 62 * 86_400_000, {
        message: '日历区间最长 62 天,且结束日期不能早于开始日期',
        path: ['to'],
      }),
    output: z.object({ rows: z.array(zBookingRow) }),
  }),
  'venues.bookings.page': defineCall({
    title: '预约列表',
    access: ANY_ROLE,
    write: false,
    input: zPage.extend({ sort: zSortModel.default([]), filter: zBookingFilter }),
    output: z.object({ rows: z.array(zBookingRow), total: z.number().int() }),
  }),
  'venues.bookings.get': defineCall({
    title: '查看预约',
    access: ANY_ROLE,
    write: false,
    input: z.object({ id: zId }),
    output: z.object({ booking: zBookingRow, series: z.array(zBookingRow), recurrence: z.object({ kind: z.string(), until: z.string().nullable() }) }),
  }),
  'venues.bookings.check': defineCall({
    title: '检查预约',
    access: BOOKING_WRITE,
    write: false,
    input: zBookingRequest,
    output: z.object({ checks: z.array(zOccurrenceCheck), summary: z.string(), freeCount: z.number().int(), initialState: zBookingState }),
  }),
  'venues.bookings.create': defineCall({
    title: '预约场地',
    access: BOOKING_WRITE,
    write: true,
    input: zBookingRequest.extend({
      /** Book only the dates that pass every check, and report the others (for a recurring request). */
      onlyFree: z.boolean().default(false),
    }),
    output: z.object({
      seriesId: zId,
      created: z.array(z.object({ id: zId, date: zDate, state: zBookingState })),
      skipped: z.array(zOccurrenceCheck),
    }),
  }),
  'venues.bookings.approve': defineCall({
    title: '批准预约',
    access: APPROVERS,
    write: true,
    input: z.object({ id: zId, version: zVersion.optional(), scope: zSeriesScope.default({ kind: 'one' }) }),
    output: zSeriesResult,
  }),
  'venues.bookings.approveMany': defineCall({
    title: '批量批准预约',
    access: APPROVERS,
    write: true,
    input: z.object({ items: z.array(z.object({ id: zId, version: zVersion.optional() })).min(1, '请先勾选要批准的预约').max(200, '一次最多批准 200 条预约') }),
    /** One result per booking, in the order sent: each is checked against overlap and the venue's rules on its own. */
    output: z.object({
      results: z.array(z.object({ id: zId, ok: z.boolean(), state: zBookingState.nullable(), message: z.string() })),
      approved: z.number().int(),
      refused: z.number().int(),
    }),
  }),
  'venues.bookings.reject': defineCall({
    title: '驳回预约',
    irreversible: { question: '确定驳回这条预约申请？', effect: '驳回后申请结束，不能再批准；驳回理由会显示给预约的组织并记入操作日志。', okText: '确认驳回' },
    access: APPROVERS,
    write: true,
    input: z.object({ id: zId, version: zVersion.optional(), scope: zSeriesScope.default({ kind: 'one' }), reason: z.string().trim().min(1, '请填写驳回理由').max(200) }),
    output: zSeriesResult,
  }),
  'venues.bookings.cancel': defineCall({
    title: '取消预约',
    irreversible: { question: '确定取消这条预约？', effect: '取消后场地让给其他组织，预约不能恢复；需要时只能重新预约。取消原因会显示给预约的组织。', okText: '确认取消' },
    access: BOOKING_WRITE,
    write: true,
    input: z.object({ id: zId, version: zVersion.optional(), scope: zSeriesScope.default({ kind: 'one' }), reason: z.string().trim().min(1, '请填写取消原因').max(200) }),
    output: zSeriesResult,
  }),
  'venues.bookings.record': defineCall({
    title: '登记使用情况',
    access: BOOKING_WRITE,
    write: true,
    input: z.object({ id: zId, version: zVersion.optional(), outcome: z.enum(['used', 'no_show']) }),
    output: zOk,
  }),
  'venues.bookings.move': defineCall({
    title: '调整预约时间',
    access: BOOKING_WRITE,
    write: true,
    input: z.object({
      id: zId,
      version: zVersion.optional(),
      start: zLocalDateTime,
      end: zLocalDateTime,
      venueId: zId.optional(),
      /** one: this occurrence; from: this and later ones of the series get the same shift; all: the whole series. */
      scope: zSeriesScope.default({ kind: 'one' }),
    }),
    output: zSeriesResult,
  }),
  'venues.waitlist.join': defineCall({
    title: '加入候补',
    access: BOOKING_WRITE,
    write: true,
    /** One occurrence whose only obstacle is an approved booking. */
    input: zBookingRequest.omit({ recurrence: true }),
    output: z.object({ id: zId, position: z.number().int() }),
  }),
  'venues.waitlist.list': defineCall({
    title: '候补名单',
    access: ANY_ROLE,
    write: false,
    input: z.object({ venueId: zId.optional(), includeClosed: z.boolean().default(false) }),
    output: z.object({ rows: z.array(zWaitlistRow) }),
  }),
  'venues.waitlist.book': defineCall({
    title: '候补转预约',
    access: BOOKING_WRITE,
    write: true,
    input: z.object({ id: zId }),
    output: z.object({ bookingId: zId, state: zBookingState }),
  }),
  'venues.waitlist.withdraw': defineCall({
    title: '撤回候补',
    irreversible: { question: '确定撤回这条候补？', effect: '撤回后这条候补不再排队，空出的时段不会再提醒；撤回不能恢复。', okText: '确认撤回' },
    access: BOOKING_WRITE,
    write: true,
    input: z.object({ id: zId, reason: z.string().trim().min(1, '请填写撤回原因').max(200) }),
    output: zOk,
  }),
  'venues.utilization': defineCall({
    title: '场地使用率',
    access: ANY_ROLE,
    write: false,
    input: zUtilizationInput,
    output: zUtilizationReport,
  }),
  'venues.utilization.export': defineCall({
    title: '导出场地使用率',
    access: ANY_ROLE,
    write: false,
    input: zUtilizationInput,
    output: zFileDownload,
  }),
  'venues.ics': defineCall({
    title: '导出日历(.ics)',
    access: ANY_ROLE,
    write: false,
    input: z
      .object({ venueId: zId.optional(), organizationId: zId.optional(), from: zDate, to: zDate })
      .refine((v) => v.from <= v.to && Date.parse(v.to) - Date.parse(v.from) <= 400 * 86_400_000, {
        message: '导出区间最长 400 天,且结束日期不能早于开始日期',
        path: ['to'],
      }),
    output: zFileDownload,
  }),
} satisfies Contract;
