import { sql } from 'kysely';
import { chinaDateOf } from '@shared/dates/parse';
import type { Period } from '@shared/submission/period';
import type { PrebuildCheck } from '@shared/contract/submission';
import type { Db } from '../db/connection';
import { tableExists } from './sqlDialect';
import { unreconciledMonths } from '../custody/reconStatus';

/**
 * The list shown before a package is built: what would make the package wrong. Each item can be fixed in the
 * screen it links to, or confirmed by the director; the build refuses unconfirmed items and records the
 * confirmed ones with the package.
 */

function monthsOf(period: Period, today: string): { month: string; end: string }[] {
  const out: { month: string; end: string }[] = [];
  const [y, m0] = [Number(period.start.slice(0, 4)), Number(period.start.slice(5, 7))];
  const count = period.kind === 'year' ? 12 : 3;
  for (let i = 0; i < count; i++) {
    const m = m0 + i;
    const month = `${y}-${String(m).padStart(2, '0')}`;
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    const end = `${month}-${String(last).padStart(2, '0')}`;
    if (`${month}-01` > today) break;
    out.push({ month, end });
  }
  return out;
}

async function namesOf(db: Db, query: ReturnType<typeof sql<{ label: string }>>): Promise<string[]> {
  return (await query.execute(db)).rows.map((r) => r.label);
}

export async function prebuildChecks(db: Db, period: Period, now: Date): Promise<PrebuildCheck[]> {
  const today = chinaDateOf(now);
  const out: PrebuildCheck[] = [];
  const push = (c: Omit<PrebuildCheck, 'examples'> & { examples: string[] }) => {
    if (c.count > 0) out.push({ ...c, examples: c.examples.slice(0, 5) });
  };

  if (await tableExists(db, 'organizations')) {
    const noClass = await namesOf(
      db,
      sql<{ label: string }>`SELECT name AS label FROM organizations WHERE status = 'active' AND (mgmt_class IS NULL OR mgmt_class NOT IN ('registered', 'filed', 'guided')) ORDER BY name`,
    );
    push({ code: 'org_no_class', title: '组织未填写管理类别(依法登记/街道备案/社区指导)', count: noClass.length, examples: noClass, route: '/organizations/list' });
    const noField = await namesOf(db, sql<{ label: string }>`SELECT name AS label FROM organizations WHERE status = 'active' AND (field_code IS NULL OR field_code = '') ORDER BY name`);
    push({ code: 'org_no_field', title: '组织未填写活动领域', count: noField.length, examples: noField, route: '/organizations/list' });
    const noArea = await namesOf(db, sql<{ label: string }>`SELECT name AS label FROM organizations WHERE status = 'active' AND area_type IS NULL ORDER BY name`);
    push({ code: 'org_no_area', title: '组织未标注城市/农村', count: noArea.length, examples: noArea, route: '/organizations/list' });
  }

  if (await tableExists(db, 'custody_journal')) {
    const months = monthsOf(period, today);
    const unreconciled: string[] = [];
    const unclosed: string[] = [];
    // Probes through the journal's (bank account, date) index and the posted vouchers' (period, seq) index:
    // a year of a million-line ledger is checked in milliseconds, not by scanning it once per month.
    // 未对账 has one definition, shared with 工作台 and 银行对账 (custody/reconStatus.ts).
    for (const u of await unreconciledMonths(db, months.map((m) => m.month))) unreconciled.push(`${u.period} ${u.bankAccountName}`);
    for (const { month, end } of months) {
      if (end < today) {
        // Journal lines exist only for posted vouchers, and a posted voucher always has its sequence number.
        const hasLines = await sql<{ n: number }>`SELECT 1 AS n FROM custody_vouchers WHERE period = ${month} AND seq IS NOT NULL LIMIT 1`.execute(db);
        const closed = await sql<{ n: number }>`SELECT count(*) AS n FROM custody_periods WHERE period = ${month} AND closed = 1`.execute(db);
        if (hasLines.rows.length > 0 && (closed.rows[0]?.n ?? 0) === 0) unclosed.push(month);
      }
    }
    push({ code: 'custody_unreconciled', title: '代管资金有未完成银行对账的月份', count: unreconciled.length, examples: unreconciled, route: '/custody/bank' });
    push({ code: 'custody_unclosed', title: '代管资金有已过去但未结账的月份', count: unclosed.length, examples: unclosed, route: '/custody/periods' });
  }

  if (await tableExists(db, 'training_sessions')) {
    const noAttendance = await namesOf(
      db,
      sql<{ label: string }>`SELECT s.date || ' ' || s.title AS label FROM training_sessions s
        WHERE s.status <> 'cancelled' AND s.date BETWEEN ${period.start} AND ${period.end} AND s.date <= ${today}
          AND NOT EXISTS (SELECT 1 FROM training_attendance a WHERE a.session_id = s.id)
        ORDER BY s.date`,
    );
    push({ code: 'sessions_no_attendance', title: '已举办的培训场次没有签到记录', count: noAttendance.length, examples: noAttendance, route: '/training/sessions' });
  }

  if (await tableExists(db, 'org_activities')) {
    const noReport = await namesOf(
      db,
      sql<{ label: string }>`SELECT a.date || ' ' || a.title AS label FROM org_activities a
        WHERE a.is_major = 1 AND a.status <> 'cancelled' AND a.report_filed_date IS NULL AND a.date BETWEEN ${period.start} AND ${period.end}
        ORDER BY a.date`,
    );
    push({ code: 'major_no_report', title: '重大活动未报告', count: noReport.length, examples: noReport, route: '/organizations/activities' });
  }

  if (await tableExists(db, 'venue_bookings')) {
    const nowLocal = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 16);
    const unsettled = await namesOf(
      db,
      sql<{ label: string }>`SELECT substr(b.start_at, 1, 16) || ' ' || v.name AS label FROM venue_bookings b JOIN venues v ON v.id = b.venue_id
        WHERE b.state = 'approved' AND b.end_at < ${nowLocal} AND substr(b.start_at, 1, 10) BETWEEN ${period.start} AND ${period.end}
        ORDER BY b.start_at`,
    );
    push({ code: 'bookings_unsettled', title: '已过去的场地预约未登记使用或爽约', count: unsettled.length, examples: unsettled, route: '/venues/list' });
  }
  return out;
}
