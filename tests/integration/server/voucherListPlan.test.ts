import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDemoCore } from '../../helpers/core';
import { onPostgres } from '../../helpers/engine';
import { sqliteNulls } from '../../../electron/core/db/dialect';

/**
 * The server bench's 凭证 screen: the list's default page (newest first: date, number, created_at — as
 * custody/queries.ts listVouchers orders it, drafts without a number after the numbered ones on both engines) is read from the index of migration 0026, not by sorting the
 * ledger for every page. Checked on the query plan, not on a time: SQLite's EXPLAIN QUERY PLAN; on PostgreSQL its
 * EXPLAIN, which must read an index of the order backwards with no full Sort and no Seq Scan of the table (at the
 * demo's few hundred vouchers PostgreSQL's planner walks custody_vouchers_date backwards and finishes the order
 * with an Incremental Sort of each date's few rows: a page reads about a page of rows either way).
 */
type T = Awaited<ReturnType<typeof openDemoCore>>;
let t: T;
beforeAll(async () => {
  t = await openDemoCore('admin');
}, 120_000);
afterAll(async () => t?.cleanup());

type PlanNode = { 'Node Type': string; 'Index Name'?: string; 'Scan Direction'?: string; Plans?: PlanNode[] };
const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

describe('the voucher list page order', () => {
  it(`comes from custody_vouchers_list_order without a sort of the table (${onPostgres ? 'PostgreSQL' : 'SQLite'})`, async () => {
    const q = t.core.db.selectFrom('custody_vouchers').selectAll().orderBy('date', 'desc').orderBy('number', sqliteNulls(t.core.db, 'desc')).orderBy('created_at', 'desc').limit(sql.lit(100)).offset(sql.lit(0)).compile();
    expect(q.parameters).toEqual([]);
    if (onPostgres) {
      // The planner's statistics as autovacuum would have them after the seed.
      await sql`ANALYZE custody_vouchers`.execute(t.core.db);
      const [{ 'QUERY PLAN': plan }] = (await sql<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>`EXPLAIN (FORMAT JSON) ${sql.raw(q.sql)}`.execute(t.core.db)).rows;
      const all = nodes(plan[0].Plan);
      const scan = all.find((n) => n['Node Type'] === 'Index Scan');
      expect(scan, JSON.stringify(plan)).toMatchObject({ 'Scan Direction': 'Backward', 'Index Name': expect.stringMatching(/^custody_vouchers_(list_order|date)$/) });
      const sortKey = all.find((n) => n['Node Type'] === 'Incremental Sort') as { 'Presorted Key'?: string[] } | undefined;
      if (sortKey) expect(sortKey['Presorted Key']).toEqual(['date']);
      expect(all.map((n) => n['Node Type'])).not.toContain('Sort');
      expect(all.map((n) => n['Node Type'])).not.toContain('Seq Scan');
    } else {
      const plan = (await sql<{ detail: string }>`EXPLAIN QUERY PLAN ${sql.raw(q.sql)}`.execute(t.core.db)).rows.map((r) => r.detail);
      expect(plan.join(' | ')).toContain('custody_vouchers_list_order');
      expect(plan.join(' | ')).not.toContain('TEMP B-TREE');
    }
    // and the call the screen makes answers in that order
    const page = await t.call('custody.vouchers.list', { startRow: 0, endRow: 100, sort: [], filter: {} });
    expect(page.rows.length).toBeGreaterThan(1);
    const key = (r: (typeof page.rows)[number]) => [r.date, r.number ?? '', r.createdAt];
    const newerFirst = (a: string[], b: string[]) => (a[0] !== b[0] ? (a[0] > b[0] ? -1 : 1) : a[1] !== b[1] ? (a[1] > b[1] ? -1 : 1) : a[2] > b[2] ? -1 : a[2] < b[2] ? 1 : 0);
    const keys = page.rows.map(key);
    expect(keys).toEqual([...keys].sort(newerFirst));
  });
});
