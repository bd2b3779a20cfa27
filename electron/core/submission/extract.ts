import { sourceKindLabel } from '@shared/custody/accounts';
import { movementClass } from '@shared/custody/reports';
import { makeGid } from '@shared/submission/globalId';
import type { Period } from '@shared/submission/period';
import { PACKAGE_STAGES, type PackageData } from '@shared/submission/records';
import { CompiledQuery } from 'kysely';
import { minutesOf } from '@shared/venues/utilization';
import { openSqlite, type Db } from '../db/connection';
import type { Core } from '../core';
import type { RecordSources } from './package/build';

/**
 * Reads this hub's own data into package records, table by table, on a separate read-only connection inside
 * one read transaction: the package is a consistent snapshot, and the application's connection stays free
 * while a large package streams out. Global ids are `<hubId>:<local primary key>` (globalId.ts); custody
 * journal lines, whose key is an integer, become `cj-<id>`, attendance `att-<session>-<trainee>`.
 *
 * What goes in for period P: the organization register as it is now but with each organization's incubation
 * stage as of P's end (from its stage history), incubation changes up to P's end,
 * venues and the bookings within P, every custody line up to P's end (balances need the history), training
 * sessions within P and their attendance, activities within P.
 */

export interface Snapshot {
  sources: RecordSources;
  close(): void | Promise<void>;
}

type Row = Record<string, unknown>;
/** A result row as an array, in the order of the SELECT list (both engines give them so). */
type Cells = unknown[];

/**
 * Where a snapshot reads from: the one place its SQL meets an engine. The statements are the same on both (their
 * parameters `?1`, `?2`… numbered, the tie-break of one day's stage changes the one difference); SQLite reads
 * them on its own read-only connection inside one read transaction, row by row; PostgreSQL on a connection of
 * the pool inside one REPEATABLE READ READ ONLY transaction, through a cursor, 2,000 rows a fetch.
 */
interface SnapshotReader {
  /** How one day's stage changes are ordered after date and recorded_at: SQLite's insertion order, else the id. */
  tieBreak: string;
  hasTable(name: string): Promise<boolean>;
  all(text: string, params: unknown[]): Promise<Cells[]>;
  /** The rows of a statement, read when the package writer gets to its table. */
  rows(text: string, params: unknown[]): Iterable<Cells> | AsyncIterable<Cells>;
  close(): void | Promise<void>;
}

/** better-sqlite3 binds `?NNN` only by position: the numbered parameters become named ones (`@p1`). */
const named = (text: string) => text.replace(/\?(\d+)/g, '@p$1');
const byName = (params: unknown[]) => Object.fromEntries(params.map((v, i) => [`p${i + 1}`, v]));

function sqliteReader(dbPath: string): SnapshotReader {
  const db = openSqlite(dbPath, { readonly: true });
  db.prepare('BEGIN').run();
  // A first read pins the snapshot for every statement that follows.
  db.prepare('SELECT count(*) FROM sqlite_master').get();
  return {
    tieBreak: 'e.rowid',
    hasTable: async (name) => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined,
    all: async (text, params) => db.prepare(named(text)).raw().all(byName(params)) as Cells[],
    // Rows as arrays (`raw`): half a million custody lines read noticeably faster than as objects.
    // Lazily: one open statement at a time on the connection, when the writer reaches its table.
    rows: (text, params) =>
      (function* () {
        yield* db.prepare(named(text)).raw().iterate(byName(params)) as Iterable<Cells>;
      })(),
    close() {
      if (db.open) {
        if (db.inTransaction) db.prepare('ROLLBACK').run();
        db.close();
      }
    },
  };
}

const PG_FETCH = 2_000;

async function postgresReader(db: Db): Promise<SnapshotReader> {
  // One connection of the pool, held until close(): the transaction (and its cursors) live on it.
  let release!: () => void;
  const done = new Promise<void>((r) => (release = r));
  const conn = await new Promise<Db>((resolve, reject) => {
    db.connection()
      .execute(async (c) => {
        resolve(c);
        await done;
      })
      .catch(reject);
  });
  const exec = (text: string, params: unknown[] = []) => conn.executeQuery<Row>(CompiledQuery.raw(text.replace(/\?(\d+)/g, '$$$1'), params));
  await exec('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  let cursors = 0;
  let closed = false;
  return {
    tieBreak: 'e.id',
    hasTable: async (name) => (await exec('SELECT to_regclass(?1)::text AS t', [name])).rows[0]?.t != null,
    all: async (text, params) => (await exec(text, params)).rows.map((r) => Object.values(r)),
    rows: (text, params) =>
      (async function* () {
        const name = `snapshot_${++cursors}`;
        await exec(`DECLARE ${name} NO SCROLL CURSOR FOR ${text}`, params);
        for (;;) {
          const batch = (await exec(`FETCH ${PG_FETCH} FROM ${name}`)).rows;
          for (const r of batch) yield Object.values(r);
          if (batch.length < PG_FETCH) break;
        }
        await exec(`CLOSE ${name}`);
      })(),
    async close() {
      if (closed) return;
      closed = true;
      await exec('ROLLBACK').catch(() => undefined);
      release();
    },
  };
}

async function dictionary(db: SnapshotReader, kind: string): Promise<Map<string, string>> {
  const rows = await db.all('SELECT code, label FROM dictionary_entries WHERE kind = ?1', [kind]);
  return new Map(rows.map(([code, label]) => [code as string, label as string]));
}

/** 6/9/12-digit codes padded to the 12-digit form; anything else is unknown. */
export function normalizeRegionCode(code: unknown): string | null {
  if (typeof code !== 'string' || !/^\d+$/.test(code) || ![6, 9, 12].includes(code.length)) return null;
  return code.padEnd(12, '0');
}

const STAGES = new Set<string>(PACKAGE_STAGES);

/**
 * An organization's incubation stage on the period's end date (`@end`), from its stage history rather than the
 * stage it has today: the stage entered by its last change dated on or before the end; if every change is dated
 * after the end, the stage the first of them started from; with no history at all, today's stage unless its
 * date is after the end. Changes of one day are ordered by when they were recorded.
 */
const stageAtEndSql = (tieBreak: string) => `CASE
    WHEN EXISTS (SELECT 1 FROM org_incubation_events e WHERE e.org_id = o.id AND e.date <= ?1)
      THEN (SELECT e.to_stage FROM org_incubation_events e WHERE e.org_id = o.id AND e.date <= ?1
             ORDER BY e.date DESC, e.recorded_at DESC, ${tieBreak} DESC LIMIT 1)
    WHEN EXISTS (SELECT 1 FROM org_incubation_events e WHERE e.org_id = o.id)
      THEN (SELECT e.from_stage FROM org_incubation_events e WHERE e.org_id = o.id
             ORDER BY e.date, e.recorded_at, ${tieBreak} LIMIT 1)
    WHEN o.incubation_date IS NULL OR o.incubation_date <= ?1 THEN o.incubation_stage
  END`;

/** This hub's snapshot from the SQLite file at `dbPath` (its own read-only connection). */
export function openSnapshot(dbPath: string, hubId: string, period: Period): Promise<Snapshot> {
  return snapshotOf(sqliteReader(dbPath), hubId, period);
}

/** This hub's snapshot from the core's database, whichever engine holds it. */
export async function openCoreSnapshot(core: Core, hubId: string, period: Period): Promise<Snapshot> {
  return snapshotOf(core.engine === 'postgres' ? await postgresReader(core.db) : sqliteReader(core.dbPath), hubId, period);
}

/** Maps each row of a statement as the package writer pulls it (sync on SQLite, async on PostgreSQL). */
function mapRows<T>(rows: Iterable<Cells> | AsyncIterable<Cells>, map: (r: Cells) => T | null): Iterable<T> | AsyncIterable<T> {
  if (Symbol.iterator in rows) {
    return (function* () {
      for (const r of rows) {
        const x = map(r);
        if (x !== null) yield x;
      }
    })();
  }
  return (async function* () {
    for await (const r of rows) {
      const x = map(r);
      if (x !== null) yield x;
    }
  })();
}

async function snapshotOf(db: SnapshotReader, hubId: string, period: Period): Promise<Snapshot> {
  try {
    return { sources: await sourcesOf(db, hubId, period), close: () => db.close() };
  } catch (e) {
    await db.close();
    throw e;
  }
}

async function sourcesOf(db: SnapshotReader, hubId: string, period: Period): Promise<RecordSources> {
  const gid = (id: unknown) => makeGid(hubId, String(id));
  const sources: RecordSources = {};

  if (await db.hasTable('organizations')) {
    const hasEvents = await db.hasTable('org_incubation_events');
    const fields = await dictionary(db, 'org_field');
    const rows = db.rows(
      `SELECT o.id, o.name, o.credit_code, o.mgmt_class, o.field_code, o.region_code, o.street, o.community, o.area_type,
              ${hasEvents ? stageAtEndSql(db.tieBreak) : `CASE WHEN o.incubation_date IS NULL OR o.incubation_date <= ?1 THEN o.incubation_stage END`} AS incubation_stage,
              o.founded_date, o.member_count, o.volunteer_count, o.status
         FROM organizations o ORDER BY o.id`,
      [period.end],
    );
    type OrgRow = [string, string, string | null, string, string | null, unknown, string | null, string | null, string | null, string | null, string | null, number | null, number | null, string];
    sources.organizations = mapRows(rows, (r) => {
      const [id, name, creditCode, cls, fieldCode, regionCode, street, community, areaType, stage, founded, members, volunteers, status] = r as OrgRow;
      return {
        gid: gid(id),
        name,
        creditCode: creditCode || null,
        managementClass: cls === 'registered' || cls === 'filed' || cls === 'guided' ? cls : null,
        fieldCode: fieldCode ?? null,
        fieldLabel: fieldCode ? (fields.get(fieldCode) ?? fieldCode) : null,
        regionCode: normalizeRegionCode(regionCode),
        regionName: (community || street) ?? null,
        urbanRural: areaType === 'urban' || areaType === 'rural' ? areaType : null,
        stage: STAGES.has(stage as string) ? (stage as PackageData['organizations'][number]['stage']) : null,
        foundedOn: founded ?? null,
        memberCount: members ?? null,
        volunteerCount: volunteers ?? null,
        status: status === 'withdrawn' ? 'withdrawn' : 'active',
      };
    });
  }

  if (await db.hasTable('org_incubation_events')) {
    const rows = db.rows('SELECT id, org_id, from_stage, to_stage, date FROM org_incubation_events WHERE date <= ?1 ORDER BY id', [period.end]);
    type Stage = PackageData['incubation_events'][number]['toStage'];
    sources.incubation_events = mapRows(rows, (r) => {
      const [id, orgId, fromStage, toStage, date] = r as [string, string, string | null, string, string];
      if (!STAGES.has(toStage)) return null;
      return { gid: gid(id), orgGid: gid(orgId), fromStage: STAGES.has(fromStage as string) ? (fromStage as Stage) : null, toStage: toStage as Stage, date };
    });
  }

  if (await db.hasTable('venues')) {
    const hostTypes = await dictionary(db, 'venue_host_type');
    sources.venues = mapRows(db.rows('SELECT id, name, host_type_code, capacity FROM venues ORDER BY id', []), (r) => {
      const [id, name, hostType, capacity] = r as [string, string, string, number | null];
      return { gid: gid(id), name, hostTypeLabel: hostTypes.get(hostType) ?? null, capacity: capacity ?? null };
    });
  }

  if (await db.hasTable('venue_bookings')) {
    // Minutes from the two local times (as the venues area counts them), not by the engine's date functions.
    const rows = db.rows(
      `SELECT id, venue_id, organization_id, start_at, end_at, state, expected_attendance
         FROM venue_bookings WHERE substr(start_at, 1, 10) BETWEEN ?1 AND ?2 ORDER BY id`,
      [period.start, period.end],
    );
    type Status = PackageData['bookings'][number]['status'];
    sources.bookings = mapRows(rows, (r) => {
      const [id, venueId, orgId, start, end, state, expected] = r as [string, string, string | null, string, string, string, number | null];
      return {
        gid: gid(id),
        venueGid: gid(venueId),
        orgGid: orgId ? gid(orgId) : null,
        date: start.slice(0, 10),
        minutes: Math.max(0, minutesOf(end) - minutesOf(start)),
        status: (['requested', 'approved', 'used', 'cancelled', 'no_show'].includes(state) ? state : 'requested') as Status,
        attendance: state === 'used' ? (expected ?? null) : null,
      };
    });
  }

  if (await db.hasTable('custody_journal')) {
    const fundingSources = await dictionary(db, 'funding_source');
    // Custody lines are the liability sub-accounts (2601/2209) of an organization. In the journal a credit
    // (negative amount) raises the organization's balance: a receipt; a debit lowers it: a disbursement.
    // A reversal keeps the direction of the voucher it reverses, with the opposite sign; openings are flagged.
    const rows = db.rows(
      `SELECT j.id, j.org_id, j.date, j.amount_fen, v.kind, rv.kind AS reversed_kind, v.number, s.kind AS source_kind
         FROM custody_journal j
         JOIN custody_vouchers v ON v.id = j.voucher_id
         LEFT JOIN custody_vouchers rv ON rv.id = v.reverses_id
         LEFT JOIN custody_sources s ON s.id = j.source_id
        WHERE substr(j.account_code, 1, 4) IN ('2601', '2209') AND j.org_id IS NOT NULL AND j.date <= ?1
        ORDER BY j.id`,
      [period.end],
    );
    type CustodyRow = [number, string, string, number, string, string | null, string | null, string | null];
    sources.custody_entries = mapRows(rows, (r) => {
      const [id, orgId, date, amount, voucherKind, reversedKind, number, sourceKind] = r as CustodyRow;
      // One definition of the columns (shared/custody/reports.ts): an opening is 期初, never a receipt; a
      // reversal goes to its original's column with the opposite sign, so the pair nets out.
      const cls = movementClass(voucherKind, reversedKind, -amount);
      const kind: 'receipt' | 'disbursement' = cls === 'out' ? 'disbursement' : 'receipt';
      const source = sourceKind ?? null;
      return {
        gid: makeGid(hubId, `cj-${id}`),
        orgGid: gid(orgId),
        date,
        kind,
        opening: cls === 'opening',
        sourceCode: source ?? 'none',
        sourceLabel: source ? (fundingSources.get(source) ?? sourceKindLabel(source)) : '未指定来源',
        amountFen: kind === 'receipt' ? -amount : amount,
        voucherNo: number ?? null,
      };
    });
  }

  if (await db.hasTable('training_sessions')) {
    const categories = await dictionary(db, 'training_category');
    const formats = await dictionary(db, 'training_format');
    const rows = db.rows("SELECT id, title, category, format, date, minutes FROM training_sessions WHERE status <> 'cancelled' AND date BETWEEN ?1 AND ?2 ORDER BY id", [
      period.start,
      period.end,
    ]);
    sources.training_sessions = mapRows(rows, (r) => {
      const [id, title, category, format, date, minutes] = r as [string, string, string, string, string, number];
      return { gid: gid(id), title, categoryCode: category, categoryLabel: categories.get(category) ?? category, formatLabel: formats.get(format) ?? null, date, minutes };
    });
  }

  if (await db.hasTable('training_attendance')) {
    const roles = await dictionary(db, 'training_role');
    const rows = db.rows(
      `SELECT a.session_id, a.trainee_id, a.role, a.status FROM training_attendance a
         JOIN training_sessions s ON s.id = a.session_id
        WHERE s.status <> 'cancelled' AND a.session_date BETWEEN ?1 AND ?2 ORDER BY a.session_id, a.trainee_id`,
      [period.start, period.end],
    );
    type AttendanceRow = [string, string, string, PackageData['attendances'][number]['status']];
    sources.attendances = mapRows(rows, (r) => {
      const [sessionId, traineeId, role, status] = r as AttendanceRow;
      return { gid: makeGid(hubId, `att-${sessionId}-${traineeId}`), sessionGid: gid(sessionId), traineeGid: gid(traineeId), roleCode: role, roleLabel: roles.get(role) ?? role, status };
    });
  }

  if (await db.hasTable('org_activities')) {
    const series = await dictionary(db, 'activity_series');
    const kinds = await dictionary(db, 'activity_kind');
    const rows = db.rows(
      `SELECT id, org_id, title, date, series_code, kind_code, status, expected_attendance, actual_attendance, volunteer_count,
              is_major, report_filed_date
         FROM org_activities WHERE date BETWEEN ?1 AND ?2 ORDER BY id`,
      [period.start, period.end],
    );
    type ActivityRow = [string, string | null, string, string, string | null, string | null, string, number | null, number | null, number | null, number, string | null];
    sources.activities = mapRows(rows, (r) => {
      const [id, orgId, title, date, seriesCode, kindCode, status, expected, actual, volunteers, major, filed] = r as ActivityRow;
      return {
        gid: gid(id),
        orgGid: orgId ? gid(orgId) : null,
        title,
        date,
        seriesCode: seriesCode || null,
        seriesLabel: seriesCode ? (series.get(seriesCode) ?? seriesCode) : null,
        kindLabel: kindCode ? (kinds.get(kindCode) ?? kindCode) : null,
        status: (status === 'held' || status === 'cancelled' ? status : 'planned') as PackageData['activities'][number]['status'],
        participants: (status === 'held' ? actual : null) ?? expected ?? null,
        volunteers: volunteers ?? null,
        major: major === 1,
        reportFiledOn: filed ?? null,
      };
    });
  }

  return sources;
}
