import { sourceKindLabel } from '@shared/custody/accounts';
import { movementClass } from '@shared/custody/reports';
import { makeGid } from '@shared/submission/globalId';
import type { Period } from '@shared/submission/period';
import { PACKAGE_STAGES, type PackageData } from '@shared/submission/records';
import { openSqlite, type SqliteHandle } from '../db/connection';
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
  close(): void;
}

type Row = Record<string, unknown>;

function dictionary(db: SqliteHandle, kind: string): Map<string, string> {
  const rows = db.prepare('SELECT code, label FROM dictionary_entries WHERE kind = ?').all(kind) as { code: string; label: string }[];
  return new Map(rows.map((r) => [r.code, r.label]));
}

function hasTable(db: SqliteHandle, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
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
const STAGE_AT_END_SQL = `CASE
    WHEN EXISTS (SELECT 1 FROM org_incubation_events e WHERE e.org_id = o.id AND e.date <= @end)
      THEN (SELECT e.to_stage FROM org_incubation_events e WHERE e.org_id = o.id AND e.date <= @end
             ORDER BY e.date DESC, e.recorded_at DESC, e.rowid DESC LIMIT 1)
    WHEN EXISTS (SELECT 1 FROM org_incubation_events e WHERE e.org_id = o.id)
      THEN (SELECT e.from_stage FROM org_incubation_events e WHERE e.org_id = o.id
             ORDER BY e.date, e.recorded_at, e.rowid LIMIT 1)
    WHEN o.incubation_date IS NULL OR o.incubation_date <= @end THEN o.incubation_stage
  END`;

export function openSnapshot(dbPath: string, hubId: string, period: Period): Snapshot {
  const db = openSqlite(dbPath, { readonly: true });
  db.prepare('BEGIN').run();
  // A first read pins the snapshot for every statement that follows.
  db.prepare('SELECT count(*) FROM sqlite_master').get();
  const gid = (id: unknown) => makeGid(hubId, String(id));
  const sources: RecordSources = {};

  if (hasTable(db, 'organizations')) {
    const hasEvents = hasTable(db, 'org_incubation_events');
    const fields = dictionary(db, 'org_field');
    sources.organizations = (function* () {
      const stmt = db.prepare(
        `SELECT o.id, o.name, o.credit_code, o.mgmt_class, o.field_code, o.region_code, o.street, o.community, o.area_type,
                ${hasEvents ? STAGE_AT_END_SQL : `CASE WHEN o.incubation_date IS NULL OR o.incubation_date <= @end THEN o.incubation_stage END`} AS incubation_stage,
                o.founded_date, o.member_count, o.volunteer_count, o.status
           FROM organizations o ORDER BY o.id`,
      );
      for (const r of stmt.iterate({ end: period.end }) as Iterable<Row>) {
        const cls = r.mgmt_class as string;
        yield {
          gid: gid(r.id),
          name: r.name as string,
          creditCode: (r.credit_code as string | null) || null,
          managementClass: cls === 'registered' || cls === 'filed' || cls === 'guided' ? cls : null,
          fieldCode: (r.field_code as string | null) ?? null,
          fieldLabel: r.field_code ? (fields.get(r.field_code as string) ?? (r.field_code as string)) : null,
          regionCode: normalizeRegionCode(r.region_code),
          regionName: ((r.community as string | null) || (r.street as string | null)) ?? null,
          urbanRural: r.area_type === 'urban' || r.area_type === 'rural' ? r.area_type : null,
          stage: STAGES.has(r.incubation_stage as string) ? (r.incubation_stage as PackageData['organizations'][number]['stage']) : null,
          foundedOn: (r.founded_date as string | null) ?? null,
          memberCount: (r.member_count as number | null) ?? null,
          volunteerCount: (r.volunteer_count as number | null) ?? null,
          status: r.status === 'withdrawn' ? 'withdrawn' : 'active',
        };
      }
    })();
  }

  if (hasTable(db, 'org_incubation_events')) {
    sources.incubation_events = (function* () {
      const stmt = db.prepare('SELECT id, org_id, from_stage, to_stage, date FROM org_incubation_events WHERE date <= ? ORDER BY id');
      for (const r of stmt.iterate(period.end) as Iterable<Row>) {
        if (!STAGES.has(r.to_stage as string)) continue;
        yield {
          gid: gid(r.id),
          orgGid: gid(r.org_id),
          fromStage: STAGES.has(r.from_stage as string) ? (r.from_stage as PackageData['incubation_events'][number]['fromStage']) : null,
          toStage: r.to_stage as PackageData['incubation_events'][number]['toStage'],
          date: r.date as string,
        };
      }
    })();
  }

  if (hasTable(db, 'venues')) {
    const hostTypes = dictionary(db, 'venue_host_type');
    sources.venues = (function* () {
      for (const r of db.prepare('SELECT id, name, host_type_code, capacity FROM venues ORDER BY id').iterate() as Iterable<Row>) {
        yield { gid: gid(r.id), name: r.name as string, hostTypeLabel: hostTypes.get(r.host_type_code as string) ?? null, capacity: (r.capacity as number) ?? null };
      }
    })();
  }

  if (hasTable(db, 'venue_bookings')) {
    sources.bookings = (function* () {
      const stmt = db.prepare(
        `SELECT id, venue_id, organization_id, start_at, state, expected_attendance,
                CAST(round((julianday(end_at) - julianday(start_at)) * 1440) AS INTEGER) AS minutes
           FROM venue_bookings WHERE substr(start_at, 1, 10) BETWEEN ? AND ? ORDER BY id`,
      );
      for (const r of stmt.iterate(period.start, period.end) as Iterable<Row>) {
        const state = r.state as string;
        yield {
          gid: gid(r.id),
          venueGid: gid(r.venue_id),
          orgGid: r.organization_id ? gid(r.organization_id) : null,
          date: (r.start_at as string).slice(0, 10),
          minutes: Math.max(0, Number(r.minutes)),
          status: (['requested', 'approved', 'used', 'cancelled', 'no_show'].includes(state) ? state : 'requested') as PackageData['bookings'][number]['status'],
          attendance: state === 'used' ? ((r.expected_attendance as number | null) ?? null) : null,
        };
      }
    })();
  }

  if (hasTable(db, 'custody_journal')) {
    const fundingSources = dictionary(db, 'funding_source');
    sources.custody_entries = (function* () {
      // Custody lines are the liability sub-accounts (2601/2209) of an organization. In the journal a credit
      // (negative amount) raises the organization's balance: a receipt; a debit lowers it: a disbursement.
      // A reversal keeps the direction of the voucher it reverses, with the opposite sign; openings are flagged.
      const stmt = db.prepare(
        `SELECT j.id, j.org_id, j.date, j.amount_fen, v.kind, rv.kind AS reversed_kind, v.number, s.kind AS source_kind
           FROM custody_journal j
           JOIN custody_vouchers v ON v.id = j.voucher_id
           LEFT JOIN custody_vouchers rv ON rv.id = v.reverses_id
           LEFT JOIN custody_sources s ON s.id = j.source_id
          WHERE substr(j.account_code, 1, 4) IN ('2601', '2209') AND j.org_id IS NOT NULL AND j.date <= ?
          ORDER BY j.id`,
      );
      // Rows as arrays (`raw`): half a million lines read noticeably faster than as objects.
      type CustodyRow = [number, string, string, number, string, string | null, string | null, string | null];
      for (const [id, orgId, date, amount, voucherKind, reversedKind, number, sourceKind] of stmt.raw().iterate(period.end) as Iterable<CustodyRow>) {
        // One definition of the columns (shared/custody/reports.ts): an opening is 期初, never a receipt; a
        // reversal goes to its original's column with the opposite sign, so the pair nets out.
        const cls = movementClass(voucherKind, reversedKind, -amount);
        const kind: 'receipt' | 'disbursement' = cls === 'out' ? 'disbursement' : 'receipt';
        const source = sourceKind ?? null;
        yield {
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
      }
    })();
  }

  if (hasTable(db, 'training_sessions')) {
    const categories = dictionary(db, 'training_category');
    const formats = dictionary(db, 'training_format');
    sources.training_sessions = (function* () {
      const stmt = db.prepare(
        "SELECT id, title, category, format, date, minutes FROM training_sessions WHERE status <> 'cancelled' AND date BETWEEN ? AND ? ORDER BY id",
      );
      for (const r of stmt.iterate(period.start, period.end) as Iterable<Row>) {
        yield {
          gid: gid(r.id),
          title: r.title as string,
          categoryCode: r.category as string,
          categoryLabel: categories.get(r.category as string) ?? (r.category as string),
          formatLabel: formats.get(r.format as string) ?? null,
          date: r.date as string,
          minutes: r.minutes as number,
        };
      }
    })();
  }

  if (hasTable(db, 'training_attendance')) {
    const roles = dictionary(db, 'training_role');
    sources.attendances = (function* () {
      const stmt = db.prepare(
        `SELECT a.session_id, a.trainee_id, a.role, a.status FROM training_attendance a
           JOIN training_sessions s ON s.id = a.session_id
          WHERE s.status <> 'cancelled' AND a.session_date BETWEEN ? AND ? ORDER BY a.session_id, a.trainee_id`,
      );
      type AttendanceRow = [string, string, string, PackageData['attendances'][number]['status']];
      for (const [sessionId, traineeId, role, status] of stmt.raw().iterate(period.start, period.end) as Iterable<AttendanceRow>) {
        yield {
          gid: makeGid(hubId, `att-${sessionId}-${traineeId}`),
          sessionGid: gid(sessionId),
          traineeGid: gid(traineeId),
          roleCode: role,
          roleLabel: roles.get(role) ?? role,
          status,
        };
      }
    })();
  }

  if (hasTable(db, 'org_activities')) {
    const series = dictionary(db, 'activity_series');
    const kinds = dictionary(db, 'activity_kind');
    sources.activities = (function* () {
      const stmt = db.prepare(
        `SELECT id, org_id, title, date, series_code, kind_code, status, expected_attendance, actual_attendance, volunteer_count,
                is_major, report_filed_date
           FROM org_activities WHERE date BETWEEN ? AND ? ORDER BY id`,
      );
      for (const r of stmt.iterate(period.start, period.end) as Iterable<Row>) {
        const status = r.status as string;
        yield {
          gid: gid(r.id),
          orgGid: r.org_id ? gid(r.org_id) : null,
          title: r.title as string,
          date: r.date as string,
          seriesCode: (r.series_code as string | null) || null,
          seriesLabel: r.series_code ? (series.get(r.series_code as string) ?? (r.series_code as string)) : null,
          kindLabel: r.kind_code ? (kinds.get(r.kind_code as string) ?? (r.kind_code as string)) : null,
          status: (status === 'held' || status === 'cancelled' ? status : 'planned') as PackageData['activities'][number]['status'],
          participants: ((status === 'held' ? r.actual_attendance : null) ?? r.expected_attendance ?? null) as number | null,
          volunteers: (r.volunteer_count as number | null) ?? null,
          major: r.is_major === 1,
          reportFiledOn: (r.report_filed_date as string | null) ?? null,
        };
      }
    })();
  }

  return {
    sources,
    close() {
      if (db.open) {
        if (db.inTransaction) db.prepare('ROLLBACK').run();
        db.close();
      }
    },
  };
}
