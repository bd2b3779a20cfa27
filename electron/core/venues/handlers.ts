import type { venuesContract } from '@shared/contract/venues';
import { chinaDate } from '@shared/venues/time';
import type { HandlersFor } from '../api/handler';
import { applyBookingAction, approveMany, bookVenue, checkBooking, moveVenueBooking, recordOutcome } from './bookingService';
import { bookingOptions, bookingPage, bookingWithSeries, calendarBookings } from './queries';
import { icsExport, utilizationReport, utilizationWorkbook } from './reports';
import { createVenue, listVenues, loadVenue, updateVenue } from './venueService';
import { commitVenueImport, exportVenuesForImport, previewVenueImport, venueImportTemplate } from './venueImport';
import { bookFromWaitlist, joinWaitlist, listWaitlist, waitlistFreedBy, withdrawWaitlist } from './waitlistService';

/** Handlers of the venues area, one per entry of `venuesContract`. Logic lives in the services beside. */
export const venuesHandlers: HandlersFor<typeof venuesContract> = {
  'venues.list': async (ctx, input) => ({ rows: await listVenues(ctx.db, input.onlyBookable) }),
  'venues.get': (ctx, input) => loadVenue(ctx.db, input.id),
  'venues.create': (ctx, input) => createVenue(ctx, input),
  'venues.import.preview': (ctx, input) => previewVenueImport(ctx, input),
  'venues.import.commit': (ctx, input) => commitVenueImport(ctx, input),
  'venues.import.template': () => venueImportTemplate(),
  'venues.export': (ctx) => exportVenuesForImport(ctx),
  'venues.update': (ctx, input) => updateVenue(ctx, input.id, input.version, input.venue),
  'venues.options': (ctx, input) => bookingOptions(ctx.db, input.organizationId, chinaDate(ctx.now())),
  'venues.bookings.calendar': async (ctx, input) => ({ rows: await calendarBookings(ctx.db, input) }),
  'venues.bookings.page': (ctx, input) => bookingPage(ctx.db, input, chinaDate(ctx.now())),
  'venues.bookings.get': (ctx, input) => bookingWithSeries(ctx.db, input.id),
  'venues.bookings.check': async (ctx, input) => {
    const { validation, state } = await checkBooking(ctx, ctx.db, input);
    return {
      checks: validation.checks.map((c) => ({ ...c.occurrence, refusals: c.refusals })),
      summary: validation.summary,
      freeCount: validation.free.length,
      initialState: state,
    };
  },
  'venues.bookings.create': (ctx, input) => ctx.write((trx) => bookVenue(ctx, trx, input)),
  'venues.bookings.approve': (ctx, input) => ctx.write((trx) => applyBookingAction(ctx, trx, input.id, 'approve', input.scope.kind, undefined, input.version)),
  'venues.bookings.approveMany': (ctx, input) => ctx.write((trx) => approveMany(ctx, trx, input.items)),
  'venues.bookings.reject': (ctx, input) => ctx.write((trx) => applyBookingAction(ctx, trx, input.id, 'reject', input.scope.kind, input.reason, input.version)),
  'venues.bookings.cancel': (ctx, input) =>
    ctx.write(async (trx) => {
      const r = await applyBookingAction(ctx, trx, input.id, 'cancel', input.scope.kind, input.reason, input.version);
      // Cancelling a held booking may free a slot someone waits for: say how many, so staff can book them.
      const ids = r.changed.map((c) => c.id);
      const rows = ids.length ? await trx.selectFrom('venue_bookings').select(['venue_id', 'start_at', 'end_at']).where('id', 'in', ids).execute() : [];
      let waitlistFreed = 0;
      for (const venueId of new Set(rows.map((b) => b.venue_id))) {
        const here = rows.filter((b) => b.venue_id === venueId).map((b) => ({ start: b.start_at, end: b.end_at }));
        waitlistFreed += await waitlistFreedBy(trx, venueId, here);
      }
      return { ...r, waitlistFreed };
    }),
  'venues.bookings.record': (ctx, input) =>
    ctx.write(async (trx) => {
      await recordOutcome(ctx, trx, input.id, input.outcome, input.version);
      return { ok: true as const };
    }),
  'venues.bookings.move': (ctx, input) =>
    ctx.write((trx) => moveVenueBooking(ctx, trx, { id: input.id, version: input.version, start: input.start, end: input.end, venueId: input.venueId, scope: input.scope.kind })),
  'venues.waitlist.join': (ctx, input) => ctx.write((trx) => joinWaitlist(ctx, trx, input)),
  'venues.waitlist.list': async (ctx, input) => ({ rows: await listWaitlist(ctx, ctx.db, input) }),
  'venues.waitlist.book': (ctx, input) => ctx.write((trx) => bookFromWaitlist(ctx, trx, input.id)),
  'venues.waitlist.withdraw': (ctx, input) =>
    ctx.write(async (trx) => {
      await withdrawWaitlist(ctx, trx, input.id, input.reason);
      return { ok: true as const };
    }),
  'venues.utilization': (ctx, input) => utilizationReport(ctx, input),
  'venues.utilization.export': async (ctx, input) => {
    const report = await utilizationReport(ctx, input);
    const buf = await utilizationWorkbook(report);
    return {
      fileName: `场地使用率-${input.from}-${input.to}.xlsx`,
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      base64: buf.toString('base64'),
    };
  },
  'venues.ics': (ctx, input) => icsExport(ctx, input),
};
