import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDemoCore } from '../../helpers/core';

/**
 * The server bench's 凭证 screen: the list's default page (newest first: date, number, created_at — as
 * custody/queries.ts listVouchers orders it) is read from the index of migration 0026, not by sorting the
 * ledger for every page. Checked on the query plan, not on a time.
 */
type T = Awaited<ReturnType<typeof openDemoCore>>;
let t: T;
beforeAll(async () => {
  t = await openDemoCore('admin');
}, 120_000);
afterAll(async () => t?.cleanup());

describe('the voucher list page order', () => {
  it.skipIf(!!process.env.INCUBASE_TEST_DATABASE)('comes from custody_vouchers_list_order without a sort of the table (SQLite)', async () => {
    const q = t.core.db.selectFrom('custody_vouchers').selectAll().orderBy('date', 'desc').orderBy('number', 'desc').orderBy('created_at', 'desc').limit(sql.lit(100)).offset(sql.lit(0)).compile();
    expect(q.parameters).toEqual([]);
    const plan = (await sql<{ detail: string }>`EXPLAIN QUERY PLAN ${sql.raw(q.sql)}`.execute(t.core.db)).rows.map((r) => r.detail);
    expect(plan.join(' | ')).toContain('custody_vouchers_list_order');
    expect(plan.join(' | ')).not.toContain('TEMP B-TREE');
    // and the call the screen makes answers in that order
    const page = await t.call('custody.vouchers.list', { startRow: 0, endRow: 100, sort: [], filter: {} });
    expect(page.rows.length).toBeGreaterThan(1);
    const key = (r: (typeof page.rows)[number]) => [r.date, r.number ?? '', r.createdAt];
    const newerFirst = (a: string[], b: string[]) => (a[0] !== b[0] ? (a[0] > b[0] ? -1 : 1) : a[1] !== b[1] ? (a[1] > b[1] ? -1 : 1) : a[2] > b[2] ? -1 : a[2] < b[2] ? 1 : 0);
    const keys = page.rows.map(key);
    expect(keys).toEqual([...keys].sort(newerFirst));
  });
});
