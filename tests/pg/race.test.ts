import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countOverlaps } from '../../electron/core/venues/bookingService';
import { caller, loginAs, openDemoCore, tempDir, unregisteredOrganizationInput } from '../helpers/core';
import { startDesk, type DeskReply } from '../helpers/desk';
import { rawAll } from '../helpers/engine';

/** A racer: its own process and Core (its own pool) on the same PostgreSQL database, with its own data folder. */
const racer = (database: string, user: string) => startDesk({ dataDir: tempDir('incubase-racer-'), database }, user);

/** The audit log read in id order has non-decreasing times: ids are given in commit order, across processes. */
async function expectAuditInCommitOrder() {
  const out = await rawAll(t.core, 'SELECT a.id FROM audit_log a JOIN audit_log b ON b.id = (SELECT min(id) FROM audit_log c WHERE c.id > a.id) WHERE b.at < a.at');
  expect(out).toEqual([]);
}

let t: Awaited<ReturnType<typeof openDemoCore>>;

// Two server processes (two cores, two pools) against one PostgreSQL database: the invariants hold in the database.
describe('two processes on one PostgreSQL database', () => {
  let url: string;
  beforeAll(async () => {
    t = await openDemoCore('admin');
    url = t.core.databaseUrl!;
    expect(t.core.engine).toBe('postgres');
  }, 180_000);
  afterAll(async () => t?.cleanup());

  it('approve overlapping bookings at the same moment: exactly one of each pair, no overlap in the database', async () => {
    const org = (await t.call('organizations.create', { input: { ...(await unregisteredOrganizationInput(t.call)), name: '竞争测试互助队' } })).id;
    const other = (await t.call('organizations.create', { input: { ...(await unregisteredOrganizationInput(t.call)), name: '竞争测试合唱团' } })).id;
    const venue = (await t.call('venues.list', {})).rows.find((v) => v.bookable && v.approvalRequired)!;
    expect(venue, '演示数据中需要审批的可预约场地').toBeDefined();
    // requests made by staff (an approver's own booking is approved at once): the race is over their approval
    const staff = caller(t.core, await loginAs(t.core, 'zhangli'));
    const pairs: [string, string][] = [];
    const errors: string[] = [];
    for (let d = 0; pairs.length < 6 && d < 30; d++) {
      const day = new Date(Date.now() + (7 + d) * 86_400_000).toISOString().slice(0, 10);
      const make = (organizationId: string, start: string, end: string) =>
        staff('venues.bookings.create', {
          venueId: venue.id,
          organizationId,
          purpose: '竞争测试活动',
          expectedAttendance: 10,
          recurrence: { kind: 'once' },
          start: `${day}T${start}`,
          end: `${day}T${end}`,
        } as never);
      const a = await make(org, '14:00', '15:30').catch((e: Error) => void errors.push(e.message));
      const b = a && (await make(other, '14:30', '16:00').catch((e: Error) => void errors.push(e.message)));
      if (a && b) pairs.push([(a as { created: { id: string }[] }).created[0].id, (b as { created: { id: string }[] }).created[0].id]);
    }
    expect(pairs.length, errors.join('\n')).toBeGreaterThan(2);
    const r1 = racer(url, 'liming');
    const r2 = racer(url, 'admin');
    try {
      await Promise.all([r1.ready(), r2.ready()]);
      for (const [a, b] of pairs) {
        const [x, y] = await Promise.all([r1.call('venues.bookings.approve', { id: a }), r2.call('venues.bookings.approve', { id: b })]);
        expect([x.ok, y.ok].filter(Boolean), JSON.stringify([x, y])).toHaveLength(1);
        const loser = x.ok ? y : x;
        expect(loser.code).toBe('CONFLICT');
        expect(loser.message).toMatch(/[\u4e00-\u9fa5]/);
        expect(loser.message).not.toMatch(/系统内部错误/);
      }
    } finally {
      r1.stop();
      r2.stop();
    }
    expect(await countOverlaps(t.core.db)).toBe(0);
    // the audit chain: one approval row per approved booking of the race, none for a refused one
    for (const [a, b] of pairs) {
      const states = await rawAll<{ id: string; state: string }>(t.core, 'SELECT id, state FROM venue_bookings WHERE id IN (?, ?)', a, b);
      for (const st of states) {
        const rows = await rawAll(t.core, "SELECT id FROM audit_log WHERE action = 'venues.bookings.approve' AND entity_id = ?", st.id);
        expect(rows.length, `${st.id} ${st.state}`).toBe(st.state === 'approved' ? 1 : 0);
      }
    }
    await expectAuditInCommitOrder();
  }, 180_000);

  it('post approved vouchers from two processes at once: numbers 1..n per month without a gap, balances equal the sums', async () => {
    // the demo's submitted vouchers approved first (by someone other than their maker), then posted in the race
    for (const v of await rawAll<{ id: string; version: number }>(t.core, "SELECT id, version FROM custody_vouchers WHERE status = 'submitted'")) {
      await t.call('custody.vouchers.approve', { id: v.id, version: v.version } as never).catch(() => undefined);
    }
    const approved = await rawAll<{ id: string; version: number; period: string }>(
      t.core,
      "SELECT id, version, period FROM custody_vouchers WHERE status = 'approved' ORDER BY date, id",
    );
    expect(approved.length).toBeGreaterThan(1);
    const r1 = racer(url, 'wangfang');
    const r2 = racer(url, 'chenjing');
    const outcomes: DeskReply[] = [];
    const posted: string[] = [];
    try {
      await Promise.all([r1.ready(), r2.ready()]);
      for (let i = 0; i < approved.length; i += 2) {
        const [a, b] = [approved[i], approved[i + 1]];
        posted.push(a.id, ...(b ? [b.id] : []));
        outcomes.push(...(await Promise.all([r1.call('custody.vouchers.post', { id: a.id, version: a.version }), ...(b ? [r2.call('custody.vouchers.post', { id: b.id, version: b.version })] : [])])));
      }
    } finally {
      r1.stop();
      r2.stop();
    }
    // a refusal is a clear one (a rule of the voucher itself), never an internal error
    for (const o of outcomes) if (!o.ok) expect(o.message, JSON.stringify(o)).not.toMatch(/系统内部错误/);
    expect(outcomes.filter((o) => o.ok).length).toBeGreaterThan(0);
    const gaps = await rawAll<{ period: string; n: number; top: number }>(
      t.core,
      'SELECT period, count(*) AS n, max(seq) AS top FROM custody_vouchers WHERE seq IS NOT NULL GROUP BY period',
    );
    for (const g of gaps) expect(Number(g.top), g.period).toBe(Number(g.n));
    const unbalanced = await rawAll(t.core, 'SELECT voucher_id FROM custody_journal GROUP BY voucher_id HAVING sum(amount_fen) <> 0');
    expect(unbalanced).toEqual([]);
    const kept = await rawAll(
      t.core,
      `SELECT org_id FROM custody_accounts a WHERE balance_fen <> (SELECT coalesce(-sum(j.amount_fen), 0) FROM custody_journal j WHERE j.org_id = a.org_id AND substr(j.account_code, 1, 4) IN ('2601', '2209'))`,
    );
    expect(kept).toEqual([]);
    const banks = await rawAll(t.core, 'SELECT id FROM custody_bank_accounts a WHERE ledger_balance_fen <> (SELECT coalesce(sum(j.amount_fen), 0) FROM custody_journal j WHERE j.bank_account_id = a.id)');
    expect(banks).toEqual([]);
    // the audit chain: each voucher posted has exactly one audit row of its posting, a refused one none, and the
    // log read in id order is in commit order (writers of both processes queue on one lock)
    const audits = await rawAll<{ entity_id: string; n: number }>(t.core, "SELECT entity_id, count(*) AS n FROM audit_log WHERE action = 'custody.vouchers.post' GROUP BY entity_id");
    const auditedPosts = new Map(audits.map((r) => [r.entity_id, Number(r.n)]));
    posted.forEach((id, i) => expect(auditedPosts.get(id) ?? 0, id).toBe(outcomes[i].ok ? 1 : 0));
    await expectAuditInCommitOrder();
  }, 180_000);
});
