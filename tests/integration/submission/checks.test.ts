import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { addMonths, chinaDateOf } from '@shared/dates/parse';
import { openDemoCore } from '../../helpers/core';

/**
 * The pre-build check list and the dashboard find unreconciled and unclosed custody months by index probes;
 * here they are compared with the plain reading of the ledger (every journal line of the month scanned).
 */
describe('custody months in the pre-build checks and on the dashboard', () => {
  let t: Awaited<ReturnType<typeof openDemoCore>>;
  beforeAll(async () => {
    t = await openDemoCore('liming');
  });
  afterAll(async () => t?.cleanup());

  function monthEnd(month: string): string {
    const [y, m] = month.split('-').map(Number);
    return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
  }

  /**
   * Months of the ledger with lines of a bank account, not closed, and with no 调节表 as of the month's end saved
   * since the month was last reopened, by full scan (issue 18: a closed month is never 未对账).
   */
  async function scanned(fromMonth: string, beforeMonth: string) {
    const rows = (
      await sql<{ month: string; bank: string; name: string }>`SELECT DISTINCT j.period AS month, b.id AS bank, b.name AS name
        FROM custody_journal j JOIN custody_bank_accounts b ON b.id = j.bank_account_id
        WHERE j.period >= ${fromMonth} AND j.period < ${beforeMonth} ORDER BY j.period, b.name`.execute(t.core.db)
    ).rows;
    const out: { month: string; name: string }[] = [];
    for (const r of rows) {
      const p = (await sql<{ closed: number; reopened_at: string | null }>`SELECT closed, reopened_at FROM custody_periods WHERE period = ${r.month}`.execute(t.core.db)).rows[0];
      if (p?.closed === 1) continue;
      const rec = await sql<{ n: number }>`SELECT count(*) AS n FROM custody_reconciliations WHERE bank_account_id = ${r.bank} AND as_of >= ${monthEnd(r.month)} AND created_at > ${p?.reopened_at ?? ''}`.execute(t.core.db);
      if (rec.rows[0].n === 0) out.push({ month: r.month, name: r.name });
    }
    return out;
  }

  it('lists the same unreconciled and unclosed months as a scan of the journal', async () => {
    const today = chinaDateOf(new Date());
    const year = today.slice(0, 4);
    const { items } = await t.call('submission.checks', { period: year });
    const month = today.slice(0, 7);
    const expected = await scanned(`${year}-01`, `${year}-13`);
    // The demo leaves last month open and unmatched, so the list is not empty.
    expect(expected.length).toBeGreaterThan(0);
    const unrec = items.find((i) => i.code === 'custody_unreconciled')!;
    expect(unrec.count).toBe(expected.length);
    expect(unrec.examples).toEqual(expected.slice(0, 5).map((e) => `${e.month} ${e.name}`));
    expect(unrec.route).toBe('/custody/bank');

    const unclosed = (
      await sql<{ month: string }>`SELECT DISTINCT j.period AS month FROM custody_journal j
        WHERE j.period >= ${`${year}-01`} AND j.period < ${month}
          AND NOT EXISTS (SELECT 1 FROM custody_periods p WHERE p.period = j.period AND p.closed = 1) ORDER BY j.period`.execute(t.core.db)
    ).rows.map((r) => r.month);
    const item = items.find((i) => i.code === 'custody_unclosed');
    expect(item?.count ?? 0).toBe(unclosed.length);
    if (item) expect(item.examples).toEqual(unclosed.slice(0, 5));

    const d = await t.call('dashboard.summary', {});
    const last12 = await scanned(addMonths(`${month}-01`, -12).slice(0, 7), month);
    expect(d.custody!.unreconciledMonths).toEqual([...new Set(last12.map((e) => e.month))]);
  });
});
