import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { kyselyFor, migrateToLatest, openSqlite, type SqliteHandle } from '../../../electron/core/db/connection';
import { tempDir } from '../../helpers/core';
import { sqliteOnly } from '../../helpers/engine';

/** 0024 rebuilds venue_bookings and venue_booking_series (SQLite's 12-step ALTER) to make organization_id nullable. */
const dirs: string[] = [];
const handles: SqliteHandle[] = [];
afterEach(() => {
  for (const h of handles.splice(0)) h.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function fileAt(upTo?: number) {
  const dir = tempDir();
  dirs.push(dir);
  const sqlite = openSqlite(join(dir, 'x.db'));
  handles.push(sqlite);
  const db = kyselyFor(sqlite);
  await migrateToLatest(db, sqlite, upTo);
  return { sqlite, db };
}

const dependents = (s: SqliteHandle, table: string) =>
  s.prepare(`SELECT type, name, sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') ORDER BY type, name`).all(table);
const notNull = (s: SqliteHandle, table: string) => Object.fromEntries((s.prepare(`SELECT name, "notnull" AS nn FROM pragma_table_info(?)`).all(table) as { name: string; nn: number }[]).map((c) => [c.name, c.nn]));

sqliteOnly.describe('migration 0024_venues_hub_bookings', 'SQLite 的 12 步 ALTER 重建表(sqlite_master、rowid、PRAGMA foreign_key_check)；PostgreSQL 的迁移见 tests/pg/migrations.test.ts', () => {
  it('keeps every row with its id, every index and trigger, the foreign keys, and drops only the NOT NULL', async () => {
    const { sqlite, db } = await fileAt(23);
    const t = '2026-01-01T00:00:00Z';
    sqlite.exec(`INSERT INTO organizations (id, name, mgmt_class, created_at, updated_at) VALUES ('org-1', '玉林社区志愿服务队', 'guided', '${t}', '${t}');
      INSERT INTO venues (id, name, host_type_code, capacity, opening_hours_json, created_at, updated_at) VALUES ('v-1', '多功能室', 'H01', 40, '[]', '${t}', '${t}');
      INSERT INTO venue_booking_series (id, venue_id, organization_id, recurrence_kind, created_at) VALUES ('s-1', 'v-1', 'org-1', 'once', '${t}');
      INSERT INTO venue_bookings (id, series_id, venue_id, organization_id, start_at, end_at, state, expected_attendance, created_at, updated_at)
        VALUES ('b-1', 's-1', 'v-1', 'org-1', '2026-03-10T14:00', '2026-03-10T16:00', 'approved', 10, '${t}', '${t}');
      INSERT INTO venue_waitlist (id, venue_id, organization_id, start_at, end_at, purpose, expected_attendance, state, booking_id, created_at, updated_at)
        VALUES ('w-1', 'v-1', 'org-1', '2026-03-10T14:00', '2026-03-10T16:00', '候补', 5, 'booked', 'b-1', '${t}', '${t}');`);
    const rowsBefore = sqlite.prepare('SELECT rowid, * FROM venue_bookings').all();
    const before = { b: dependents(sqlite, 'venue_bookings'), s: dependents(sqlite, 'venue_booking_series') };
    expect(before.b.length).toBeGreaterThan(3);
    expect(notNull(sqlite, 'venue_bookings').organization_id).toBe(1);

    await migrateToLatest(db, sqlite);
    expect(notNull(sqlite, 'venue_bookings')).toEqual({ ...notNull(sqlite, 'venue_bookings'), organization_id: 0, venue_id: 1, series_id: 1, start_at: 1 });
    expect(notNull(sqlite, 'venue_booking_series').organization_id).toBe(0);
    expect(sqlite.prepare('SELECT rowid, * FROM venue_bookings').all()).toEqual(rowsBefore);
    expect(dependents(sqlite, 'venue_bookings')).toEqual(before.b);
    expect(dependents(sqlite, 'venue_booking_series')).toEqual(before.s);
    expect(sqlite.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    // The references still point at the rebuilt tables: a booking of a missing series is refused.
    expect(() =>
      sqlite.exec(`INSERT INTO venue_bookings (id, series_id, venue_id, organization_id, start_at, end_at, state, expected_attendance, created_at, updated_at)
        VALUES ('b-2', 'no-such-series', 'v-1', NULL, '2026-03-11T14:00', '2026-03-11T16:00', 'requested', 10, '${t}', '${t}')`),
    ).toThrow(/FOREIGN KEY/);
    // The overlap guard came back with the table.
    sqlite.exec(`INSERT INTO venue_booking_series (id, venue_id, organization_id, recurrence_kind, created_at) VALUES ('s-2', 'v-1', NULL, 'once', '${t}')`);
    expect(() =>
      sqlite.exec(`INSERT INTO venue_bookings (id, series_id, venue_id, organization_id, start_at, end_at, state, expected_attendance, created_at, updated_at)
        VALUES ('b-3', 's-2', 'v-1', NULL, '2026-03-10T15:00', '2026-03-10T17:00', 'approved', 10, '${t}', '${t}')`),
    ).toThrow(/不能重叠/);
  });

  it('a fresh database ends with the same indexes and triggers as one upgraded from 0023', async () => {
    const fresh = await fileAt();
    const upgraded = await fileAt(23);
    await migrateToLatest(upgraded.db, upgraded.sqlite);
    for (const table of ['venue_bookings', 'venue_booking_series']) expect(dependents(fresh.sqlite, table)).toEqual(dependents(upgraded.sqlite, table));
  });
});
