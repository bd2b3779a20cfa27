import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { sql } from 'kysely';
import { openDemoCore } from '../../helpers/core';
import { onPostgres, rawAll } from '../../helpers/engine';
import { hubKeyPath } from '../../../electron/core/submission/hubKey';

describe('工作台 figures on the demo hub', () => {
  let t: Awaited<ReturnType<typeof openDemoCore>>;
  beforeAll(async () => {
    t = await openDemoCore('zhaoqiang'); // a viewer may read the dashboard
  });
  afterAll(async () => t?.cleanup());

  it('agrees with the areas’ own tables and shows the submission state', async () => {
    const d = await t.call('dashboard.summary', {});
    expect(existsSync(hubKeyPath(t.dataDir))).toBe(true);
    const orgs = await sql<{ n: number }>`SELECT count(*) AS n FROM organizations`.execute(t.core.db);
    expect(d.organizations!.total).toBe(orgs.rows[0].n);
    expect(d.organizations!.byClass.reduce((s, c) => s + c.count, 0)).toBe(orgs.rows[0].n);
    const balance = await sql<{ s: number }>`SELECT coalesce(sum(balance_fen), 0) AS s FROM custody_accounts`.execute(t.core.db);
    expect(d.custody!.totalBalanceFen).toBe(balance.rows[0].s);
    expect(d.custody!.bySource.reduce((s, x) => s + x.balanceFen, 0)).toBe(balance.rows[0].s);
    expect(d.training!.byMonth).toHaveLength(12);
    const attended = await sql<{ n: number }>`SELECT count(*) AS n FROM training_attendance WHERE attended = 1 AND substr(session_date, 1, 4) = ${String(d.training!.year)}`.execute(t.core.db);
    expect(d.training!.personTimes).toBe(attended.rows[0].n);
    for (const a of d.activities!.majorDueWithoutReport) expect(a.title.length).toBeGreaterThan(0);
    // The demo county collects four street hubs.
    expect(d.submission.memberHubs).toBe(4);
    expect(d.submission.fingerprint).toMatch(/^([0-9A-F]{4} ){15}[0-9A-F]{4}$/);
  });

  it('custody by source equals the sums over every liability line of the ledger, read from its index', async () => {
    const d = await t.call('dashboard.summary', {});
    const full = await sql<{ k: string | null; s: number }>`SELECT s.kind AS k, -sum(j.amount_fen) AS s FROM custody_journal j
      LEFT JOIN custody_sources s ON s.id = j.source_id WHERE substr(j.account_code, 1, 4) IN ('2601', '2209') GROUP BY s.kind ORDER BY s.kind`.execute(t.core.db);
    const nonZero = full.rows.filter((r) => r.s !== 0);
    expect(nonZero.length).toBeGreaterThan(1);
    expect(d.custody!.bySource.map((x) => x.balanceFen)).toEqual(nonZero.map((r) => r.s));
    // The query can be answered from the partial index (0016) on either engine: SQLite's planner picks it; on
    // PostgreSQL, whose planner reads a small demo ledger sequentially, it is the plan once sequential scans are off.
    const query = `SELECT j.source_id, sum(j.amount_fen) FROM custody_journal j WHERE substr(j.account_code, 1, 4) IN ('2601', '2209') GROUP BY j.source_id`;
    const plan = onPostgres
      ? await t.core.db.transaction().execute(async (trx) => {
          await sql`SET LOCAL enable_seqscan = off`.execute(trx);
          return (await sql.raw<{ 'QUERY PLAN': string }>(`EXPLAIN ${query}`).execute(trx)).rows.map((r) => r['QUERY PLAN']);
        })
      : (await rawAll<{ detail: string }>(t.core, `EXPLAIN QUERY PLAN ${query}`)).map((p) => p.detail);
    expect(plan.join(' ')).toContain('custody_journal_liability_source');
  });

  it('the demo federation shows four streets, one corrected package kept as superseded, and organizations merged', async () => {
    const status = await t.call('submission.status', {});
    const list = await t.call('submission.packages.list', {});
    expect(list.filter((p) => p.status === 'active')).toHaveLength(4);
    expect(list.filter((p) => p.status === 'superseded')).toHaveLength(1);
    const view = await t.call('submission.consolidated', { period: status.periods[0], includeOwn: true });
    expect(view.node).toMatchObject({ level: 'county', hubCount: 5 });
    expect(view.sharedOrganizations).toBeGreaterThanOrEqual(1);
    // Each shared organization is listed by exactly two of the demo's hubs: 去重 = 合计 − 跨单位重复.
    const listed = view.node!.totals.organizations;
    expect(view.node!.distinctOrganizations).toBe(listed - view.sharedOrganizations);
    // One definition (issue 18): the merged roster lists exactly the organizations the headline counts (115 vs
    // 121 before: the roster also listed organizations withdrawn at every hub), and its shared filter the shared ones.
    const roster = await t.call('submission.consolidated.orgs', { period: status.periods[0], sharedOnly: false });
    expect(roster.total).toBe(view.node!.distinctOrganizations);
    const shared = await t.call('submission.consolidated.orgs', { period: status.periods[0], sharedOnly: true });
    expect(shared.total).toBe(view.sharedOrganizations);
  });
});
