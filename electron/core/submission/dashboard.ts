import { sql } from 'kysely';
import { chinaDateOf } from '@shared/dates/parse';
import { sourceKindLabel } from '@shared/custody/accounts';
import { MANAGEMENT_CLASSES, MANAGEMENT_CLASS_LABELS, PACKAGE_STAGES, PACKAGE_STAGE_LABELS } from '@shared/submission/records';
import { periodOfDate } from '@shared/submission/period';
import type { DashboardSummary } from '@shared/contract/submission';
import type { CallContext } from '../api/context';
import type { Db } from '../db/connection';
import { ensureHubKey } from './hubKey';
import { daysApart, minutesBetween, tableExists } from './sqlDialect';
import { organizationFigures } from '../organizations/figures';
import { recentMonths, unreconciledMonths, unreconciledPeriods } from '../custody/reconStatus';

/**
 * The 工作台 figures, read straight from each area's tables with one GROUP BY per tile. A tile whose tables
 * do not exist (an area not installed) is null and the screen leaves it out.
 */

const exists = tableExists;

export async function dashboardSummary(ctx: CallContext): Promise<DashboardSummary> {
  const db = ctx.db;
  const now = ctx.now();
  const today = chinaDateOf(now);
  const month = today.slice(0, 7);
  const year = Number(today.slice(0, 4));
  // The hub's signing key is created on first run: the first screen after the first login is this one.
  const key = ensureHubKey(ctx.core.dataDir);
  const settings = await ctx.core.settings();

  let organizations: DashboardSummary['organizations'] = null;
  if (await exists(db, 'organizations')) {
    // One definition per figure, shared with the ledger, the board and the street summary (organizations/figures.ts).
    const f = await organizationFigures(db, { today, settings });
    organizations = {
      total: f.total,
      byClass: MANAGEMENT_CLASSES.map((c) => ({ key: c, label: MANAGEMENT_CLASS_LABELS[c], count: f.byClass.get(c) ?? 0 })),
      byStage: PACKAGE_STAGES.map((s) => ({ key: s, label: PACKAGE_STAGE_LABELS[s], count: f.byStage.get(s) ?? 0 })),
      overdueIncubation: f.overdue,
    };
  }

  let venues: DashboardSummary['venues'] = null;
  if (await exists(db, 'venue_bookings')) {
    const rows = (
      await sql<{ name: string; n: number; booked: number; used: number }>`SELECT v.name AS name, count(b.id) AS n,
          coalesce(sum(${minutesBetween(db, 'b.start_at', 'b.end_at')}), 0) AS booked,
          coalesce(sum(CASE WHEN b.state = 'used' THEN ${minutesBetween(db, 'b.start_at', 'b.end_at')} ELSE 0 END), 0) AS used
        FROM venues v LEFT JOIN venue_bookings b ON b.venue_id = v.id AND b.state IN ('approved', 'used') AND substr(b.start_at, 1, 7) = ${month}
        GROUP BY v.id ORDER BY v.name`.execute(db)
    ).rows;
    const pending = (await sql<{ n: number }>`SELECT count(*) AS n FROM venue_bookings WHERE state = 'requested'`.execute(db)).rows[0]?.n ?? 0;
    venues = {
      month,
      bookings: rows.reduce((s, r) => s + r.n, 0),
      minutesBooked: rows.reduce((s, r) => s + r.booked, 0),
      minutesUsed: rows.reduce((s, r) => s + r.used, 0),
      pendingApproval: pending,
      byVenue: rows.map((r) => ({ name: r.name, minutesBooked: r.booked, minutesUsed: r.used })),
    };
  }

  let custody: DashboardSummary['custody'] = null;
  if (await exists(db, 'custody_journal')) {
    const total = (await sql<{ s: number | null }>`SELECT sum(balance_fen) AS s FROM custody_accounts`.execute(db)).rows[0]?.s ?? 0;
    // Summed per source from the liability lines' partial index (0016) without reading the ledger's rows, then
    // per kind of source over those few sums.
    const bySource = (
      await sql<{ k: string | null; s: number }>`SELECT s.kind AS k, -sum(t.total) AS s
        FROM (SELECT j.source_id, sum(j.amount_fen) AS total FROM custody_journal j
              WHERE substr(j.account_code, 1, 4) IN ('2601', '2209') GROUP BY j.source_id) t
        LEFT JOIN custody_sources s ON s.id = t.source_id GROUP BY s.kind ORDER BY s.kind`.execute(db)
    ).rows;
    // One definition of 未对账 shared with 银行对账 and the package checks (custody/reconStatus.ts).
    const unreconciled = unreconciledPeriods(await unreconciledMonths(db, recentMonths(now)));
    const pending = (await sql<{ n: number }>`SELECT count(*) AS n FROM custody_vouchers WHERE status IN ('submitted', 'approved')`.execute(db)).rows[0]?.n ?? 0;
    const labels = new Map(
      (await sql<{ code: string; label: string }>`SELECT code, label FROM dictionary_entries WHERE kind = 'funding_source'`.execute(db)).rows.map((r) => [r.code, r.label]),
    );
    custody = {
      totalBalanceFen: total ?? 0,
      bySource: bySource.filter((r) => r.s !== 0).map((r) => ({ label: r.k ? (labels.get(r.k) ?? sourceKindLabel(r.k)) : '未指定来源', balanceFen: r.s })),
      unreconciledMonths: unreconciled,
      pendingApproval: pending,
    };
  }

  let training: DashboardSummary['training'] = null;
  if (await exists(db, 'training_attendance')) {
    const byMonth = (
      await sql<{ m: string; n: number }>`SELECT substr(session_date, 1, 7) AS m, count(*) AS n FROM training_attendance
        WHERE attended = 1 AND session_date BETWEEN ${`${year}-01-01`} AND ${`${year}-12-31`} GROUP BY m ORDER BY m`.execute(db)
    ).rows;
    const plan = (await sql<{ t: number }>`SELECT target_total AS t FROM training_plans WHERE year = ${year}`.execute(db)).rows[0];
    training = {
      year,
      personTimes: byMonth.reduce((s, r) => s + r.n, 0),
      target: plan ? plan.t : null,
      byMonth: Array.from({ length: 12 }, (_, i) => {
        const m = `${year}-${String(i + 1).padStart(2, '0')}`;
        return { month: m, personTimes: byMonth.find((r) => r.m === m)?.n ?? 0 };
      }),
    };
  }

  let activities: DashboardSummary['activities'] = null;
  if (await exists(db, 'org_activities')) {
    const due = (
      await sql<{ date: string; title: string; org: string }>`SELECT a.date AS date, a.title AS title, o.name AS org FROM org_activities a JOIN organizations o ON o.id = a.org_id
        WHERE a.is_major = 1 AND a.status = 'planned' AND a.report_filed_date IS NULL
        ORDER BY ${daysApart(db, 'a.date', today)}, a.date LIMIT 20`.execute(db)
    ).rows;
    const held = (await sql<{ n: number }>`SELECT count(*) AS n FROM org_activities WHERE status = 'held' AND substr(date, 1, 7) = ${month}`.execute(db)).rows[0]?.n ?? 0;
    activities = { majorDueWithoutReport: due.map((r) => ({ date: r.date, title: r.title, orgName: r.org })), heldThisMonth: held };
  }

  const currentPeriod = periodOfDate(today, 'quarter');
  const last = await db.selectFrom('sub_builds').select(['period', 'created_at']).orderBy('created_at', 'desc').executeTakeFirst();
  const memberHubs = (await sql<{ n: number }>`SELECT count(*) AS n FROM sub_member_hubs WHERE active = 1`.execute(db)).rows[0]?.n ?? 0;
  const pkgs = (await sql<{ n: number }>`SELECT count(*) AS n FROM sub_packages WHERE status = 'active' AND period = ${currentPeriod}`.execute(db)).rows[0]?.n ?? 0;
  return {
    today,
    organizations,
    venues,
    custody,
    training,
    activities,
    submission: {
      currentPeriod,
      lastBuild: last ? { period: last.period, createdAt: last.created_at } : null,
      memberHubs,
      packagesThisPeriod: pkgs,
      fingerprint: key.fingerprint,
    },
  };
}
