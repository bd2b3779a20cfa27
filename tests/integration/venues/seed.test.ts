import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPeriodOn, withinOpeningHours } from '@shared/venues/rules';
import { expandRecurrence } from '@shared/venues/recurrence';
import { openDemoCore } from '../../helpers/core';
import { rawAll } from '../../helpers/engine';
import { countOverlaps } from '../../../electron/core/venues/bookingService';

describe('demo venues and bookings', () => {
  let t: Awaited<ReturnType<typeof openDemoCore>>;
  beforeAll(async () => {
    t = await openDemoCore('zhaoqiang');
  });
  afterAll(async () => t?.cleanup());

  it('seeds venues and a season of bookings in every state, within opening hours, without overlaps', async () => {
    const venues = (await t.call('venues.list', {})).rows;
    expect(venues.length).toBe(8);
    const rows = await rawAll<{ venue_id: string; start_at: string; end_at: string; state: string; cancel_reason: string | null }>(
      t.core,
      'SELECT venue_id, start_at, end_at, state, cancel_reason FROM venue_bookings',
    );
    expect(rows.length).toBeGreaterThan(500);
    expect(new Set(rows.map((r) => r.state))).toEqual(new Set(['requested', 'approved', 'used', 'no_show', 'cancelled']));
    const byId = new Map(venues.map((v) => [v.id, v]));
    for (const r of rows) {
      const v = byId.get(r.venue_id)!;
      expect(withinOpeningHours(v, { start: r.start_at, end: r.end_at }), `${v.name} ${r.start_at}`).toBe(true);
      expect(closedPeriodOn(v, r.start_at.slice(0, 10))).toBeUndefined();
      if (r.state === 'cancelled') expect(r.cancel_reason).toBeTruthy();
    }
    expect(await countOverlaps(t.core.db)).toBe(0);
  });

  it('a few organizations wait for approved slots of the coming weeks, each blocked by that booking', async () => {
    const waiting = (await t.call('venues.waitlist.list', {})).rows;
    expect(waiting.length).toBeGreaterThanOrEqual(1);
    expect(waiting.length).toBeLessThanOrEqual(4);
    for (const w of waiting) {
      expect(w.state).toBe('waiting');
      expect(w.position).toBe(1);
      expect(w.blockers).toHaveLength(1);
      expect(w.expired).toBe(false);
    }
  });

  it('weekly series match their recurrence rule (closed dates recorded as skipped)', async () => {
    const series = await rawAll<{ until_date: string; skip_json: string; first: string; first_end: string; n: number }>(
      t.core,
      "SELECT s.id, s.until_date, s.skip_json, min(b.start_at) AS first, min(b.end_at) AS first_end, count(*) AS n FROM venue_booking_series s JOIN venue_bookings b ON b.series_id = s.id WHERE s.recurrence_kind = 'weekly' GROUP BY s.id",
    );
    expect(series.length).toBeGreaterThan(10);
    for (const s of series) {
      const occ = expandRecurrence({ start: s.first, end: s.first_end }, { kind: 'weekly', until: s.until_date, skip: (JSON.parse(s.skip_json) as string[]).filter((d) => d >= s.first.slice(0, 10)) });
      expect(occ.length).toBe(s.n);
    }
  });
});
