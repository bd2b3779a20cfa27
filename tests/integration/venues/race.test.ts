import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countOverlaps } from '../../../electron/core/venues/bookingService';
import { startDesk } from '../../helpers/desk';
import { placeholders, rawAll } from '../../helpers/engine';
import { chinaInstant, dbRefusal, venuesFixture } from './fixtures';

type F = Awaited<ReturnType<typeof venuesFixture>>;

describe('two approvers at once cannot both win', () => {
  let f: F;
  beforeAll(async () => {
    f = await venuesFixture('2026-03-01T10:00');
  }, 120_000);
  afterAll(async () => f?.cleanup());

  it('two processes approve overlapping requests at the same moment: exactly one of each pair is approved', async () => {
    // Ten pairs of overlapping requests by two organizations (Monday to Saturday afternoons).
    const pairs: [string, string][] = [];
    for (let d = 2; d <= 13; d++) {
      const date = `2026-03-${String(d).padStart(2, '0')}`;
      if ([8].includes(d)) continue; // Sunday: closed
      if (pairs.length === 10) break;
      const a = await f.staff('venues.bookings.create', f.request({ start: `${date}T14:00`, end: `${date}T15:30` }));
      const b = await f.staff('venues.bookings.create', f.request({ organizationId: f.orgs.elders, start: `${date}T14:30`, end: `${date}T16:00` }));
      pairs.push([a.created[0].id, b.created[0].id]);
    }
    const now = chinaInstant('2026-03-01T10:00');
    const r1 = startDesk(f, 'liming', { now });
    const r2 = startDesk(f, 'liming', { now });
    try {
      await Promise.all([r1.ready(), r2.ready()]);
      const outcomes = [];
      for (const [a, b] of pairs) outcomes.push(await Promise.all([r1.call('venues.bookings.approve', { id: a }), r2.call('venues.bookings.approve', { id: b })]));
      for (const [x, y] of outcomes) {
        expect([x.ok, y.ok].filter(Boolean), JSON.stringify([x, y])).toHaveLength(1);
        const loser = x.ok ? y : x;
        expect(loser.code).toBe('CONFLICT');
        expect(loser.message).toMatch(/冲突|重叠|数据库正忙/);
      }
    } finally {
      r1.stop();
      r2.stop();
    }
    // Read the database as committed: one approved booking per pair, no overlap at all.
    for (const [a, b] of pairs) {
      const rows = await rawAll<{ state: string }>(f.core, 'SELECT state FROM venue_bookings WHERE id IN (?, ?) ORDER BY state', a, b);
      expect(rows.map((r) => r.state)).toEqual(['approved', 'requested']);
    }
    expect(await countOverlaps(f.core.db)).toBe(0);
  }, 120_000);

  it('a check made on a stale view cannot write: the database trigger refuses the second approval', async () => {
    const a = await f.staff('venues.bookings.create', f.request({ start: '2026-03-16T09:00', end: '2026-03-16T11:00' }));
    const b = await f.staff('venues.bookings.create', f.request({ organizationId: f.orgs.elders, start: '2026-03-16T10:00', end: '2026-03-16T12:00' }));
    const overlapping = `SELECT count(*) AS n FROM venue_bookings WHERE venue_id = ? AND state IN ('approved','used','no_show') AND start_at < ? AND end_at > ?`;
    const approve = "UPDATE venue_bookings SET state = 'approved' WHERE id = ?";
    if (f.core.engine === 'postgres') {
      // Two connections of their own (two server processes); B's transaction holds its snapshot from before A's commit.
      const connA = new pg.Client({ connectionString: f.database! });
      const connB = new pg.Client({ connectionString: f.database! });
      await Promise.all([connA.connect(), connB.connect()]);
      try {
        await connB.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
        // B checks first and sees the slot free …
        expect((await connB.query<{ n: string }>(placeholders(overlapping), [f.hall, '2026-03-16T12:00', '2026-03-16T10:00'])).rows[0].n).toBe('0');
        // … A approves its booking and commits in between …
        await connA.query(placeholders(approve), [a.created[0].id]);
        // … and B's write, based on its stale check, is refused by the database itself (the EXCLUDE constraint).
        const refused = await dbRefusal(connB.query(placeholders(approve), [b.created[0].id]));
        expect(refused).toMatchObject({ kind: 'overlap', message: expect.stringMatching(/两个已批准的预约不能重叠/) });
        await connB.query('ROLLBACK');
      } finally {
        await Promise.all([connA.end(), connB.end()]);
      }
    } else {
      const file = `${f.dataDir}/incubase.db`;
      const connA = new BetterSqlite3(file);
      const connB = new BetterSqlite3(file);
      connB.pragma('busy_timeout = 5000');
      try {
        // B checks first and sees the slot free …
        expect((connB.prepare(overlapping).get(f.hall, '2026-03-16T12:00', '2026-03-16T10:00') as { n: number }).n).toBe(0);
        // … A approves its booking and commits in between …
        connA.prepare(approve).run(a.created[0].id);
        // … and B's write, based on its stale check, is refused by the database itself.
        expect(() => connB.transaction(() => connB.prepare(approve).run(b.created[0].id)).immediate()).toThrow(/两个已批准的预约不能重叠/);
      } finally {
        connA.close();
        connB.close();
      }
    }
    const got = await f.viewer('venues.bookings.get', { id: b.created[0].id });
    expect(got.booking.state).toBe('requested');
  });
});
