import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { openDemoCore } from '../../helpers/core';

/**
 * Issue 18 point 4: 工作台 listed months as 未对账 that 期间与结账 showed closed. 未对账 now has one definition in
 * the core (custody/reconStatus.ts); 工作台 (dashboard.summary) and 银行对账 (custody.overview) must list the same
 * months, and never a closed one — on the demo hub and after random closes and reopens.
 */
describe('未对账 months: one definition on 工作台 and 银行对账', () => {
  let t: Awaited<ReturnType<typeof openDemoCore>>;
  beforeAll(async () => {
    t = await openDemoCore('admin');
  });
  afterAll(async () => t?.cleanup());

  async function compare() {
    const d = await t.call('dashboard.summary', {});
    const o = await t.call('custody.overview', {});
    const bankMonths = [...new Set(o.unreconciled.map((u) => u.period))].sort();
    expect(d.custody!.unreconciledMonths).toEqual(bankMonths);
    for (const m of d.custody!.unreconciledMonths) expect(o.closedPeriods).not.toContain(m);
    return { listed: d.custody!.unreconciledMonths, closed: o.closedPeriods };
  }

  it('on the demo hub: the same months on both screens, none of them closed', async () => {
    const { listed, closed } = await compare();
    // The demo closes every month before last month and leaves last month open and unmatched.
    expect(closed.length).toBeGreaterThan(0);
    expect(listed.length).toBe(1);
    expect(listed[0] > closed[closed.length - 1]).toBe(true);
  });

  it('after random reopens and closes the two lists still agree', async () => {
    const ops = fc.sample(fc.array(fc.constantFrom('reopen' as const, 'close' as const), { minLength: 8, maxLength: 8 }), { numRuns: 1, seed: 1818 })[0];
    let changed = 0;
    for (const op of ops) {
      const o = await t.call('custody.overview', {});
      if (op === 'reopen' && o.closedPeriods.length) {
        const latest = o.closedPeriods[o.closedPeriods.length - 1];
        await t.call('custody.periods.reopen', { period: latest, reason: '随机测试：重新核对银行流水' });
        changed++;
      } else if (op === 'close') {
        const open = o.unreconciled.map((u) => u.period).filter((p) => !o.closedPeriods.includes(p));
        const next = open.find((p) => !o.closedPeriods.some((c) => c > p));
        if (next) {
          try {
            await t.call('custody.periods.close', { period: next });
            changed++;
          } catch {
            // A month whose 调节表 does not agree stays open (and 未对账) on both screens.
          }
        }
      }
      const { listed, closed } = await compare();
      for (const m of closed) expect(listed).not.toContain(m);
    }
    expect(changed).toBeGreaterThan(0);
  });
});
