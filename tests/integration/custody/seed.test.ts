import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDemoCore } from '../../helpers/core';
import { ledgerInvariants, NO_VIOLATIONS, rawSql } from './helpers';

let t: Awaited<ReturnType<typeof openDemoCore>>;
beforeAll(async () => {
  t = await openDemoCore('wangfang');
});
afterAll(async () => {
  await t?.cleanup();
});

describe('demo custody data', () => {
  it('is a year of activity whose ledger is sound and whose every month reconciles', async () => {
    const posted = (await rawSql(t.core).get<{ n: number }>(`SELECT count(*) AS n FROM custody_vouchers WHERE status = 'posted'`))!.n;
    expect(posted).toBeGreaterThan(100);
    expect(await ledgerInvariants(t)).toEqual(NO_VIOLATIONS);
    const overview = await t.call('custody.overview', {});
    expect(overview.closedPeriods.length).toBeGreaterThanOrEqual(10);
    expect(overview.pending).toMatchObject({ drafts: 1, submitted: 1, approved: 1 });
    const bank = overview.bankAccounts[0];
    const periods = await t.call('custody.periods.list', {});
    for (const p of periods) {
      const [y, m] = p.period.split('-').map(Number);
      const asOf = `${p.period}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
      const r = await t.call('custody.reconcile', { bankAccountId: bank.id, asOf });
      expect(r.agrees, `${p.period}: ${r.differenceFen}`).toBe(true);
    }
    const accounts = await t.call('custody.accounts.list', {});
    expect(accounts.every((a) => a.balanceFen >= 0)).toBe(true);
    const projects = await t.call('custody.projects.list', {});
    expect(projects.every((p) => p.lines.every((l) => l.spentFen <= l.budgetFen))).toBe(true);
    const inkind = await t.call('custody.inkind.list', {});
    expect(inkind.rows).toHaveLength(5);
  });
});
