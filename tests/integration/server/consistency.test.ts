/**
 * Several desks on one hub (issue 11, consistency): no lost updates, one winner when two approvers act at once,
 * office-wide operations that shut out the writes they would invalidate, and a month close that names the
 * vouchers still in approval. Each desk is its own session on one core; the races that matter run again in two
 * core processes on one data folder (each its own SQLite connection), as an office server and a CLI would.
 */
import { hostname } from 'node:os';
import { sql, type RawBuilder } from 'kysely';
import type { Core } from '../../../electron/core/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStaleDetails, type StaleDetails } from '@shared/errors';
import { caller, loginAs, openDemoCore, refusal } from '../../helpers/core';
import { custodyFixture, type Fixture } from '../custody/helpers';
import { chinaInstant, venuesFixture } from '../venues/fixtures';
import { startDesk } from '../../helpers/desk';

/** A count on either engine (PostgreSQL's count(*) is a bigint, handed over as text). */
async function count(core: Core, q: RawBuilder<unknown>): Promise<number> {
  const rows = (await q.execute(core.db)).rows as { n: number | string }[];
  return Number(rows[0].n);
}

const STALE = /^该.+已被 .+ 于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 修改，请刷新后重新填写$/;

function staleDetails(e: { details?: Record<string, unknown> }): StaleDetails {
  if (!isStaleDetails(e.details)) throw new Error(`not a stale-version refusal: ${JSON.stringify(e)}`);
  return e.details;
}

describe('an organization edited at two desks', () => {
  let t: Awaited<ReturnType<typeof openDemoCore>>;
  beforeAll(async () => {
    t = await openDemoCore('zhangli');
  }, 120_000);
  afterAll(async () => t?.cleanup());
  const orgId = async (n: number) => (await sql<{ id: string }>`SELECT id FROM organizations WHERE status = 'active' ORDER BY id LIMIT 1 OFFSET ${n}`.execute(t.core.db)).rows[0].id;

  it('the second save, made on the version both read, is refused naming who saved first and when; nothing of it is written', async () => {
    const liming = caller(t.core, await loginAs(t.core, 'liming'));
    const id = await orgId(0);
    const zhangRead = await t.call('organizations.get', { id });
    const liRead = await liming('organizations.get', { id });
    expect(liRead.version).toBe(zhangRead.version);

    const saved = await t.call('organizations.update', { id, version: zhangRead.version, input: { ...zhangRead.input, leaderPhone: '13800000001' } });
    expect(saved.version).toBe(zhangRead.version + 1);
    const auditBefore = await count(t.core, sql`SELECT count(*) AS n FROM audit_log WHERE entity = 'organization' AND entity_id = ${id}`);

    const e = await refusal(t.core, 'organizations.update', { id, version: liRead.version, input: { ...liRead.input, memberCount: 99 } }, await loginAs(t.core, 'liming'));
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toMatch(STALE);
    expect(e.message).toContain('该组织已被 张丽(孵化专员) 于');
    const d = staleDetails(e);
    expect(d).toMatchObject({ entity: 'organization', id, currentVersion: saved.version, expectedVersion: liRead.version, changedBy: '张丽(孵化专员)' });

    const now = await liming('organizations.get', { id });
    expect(now.version).toBe(saved.version);
    expect(now.input.leaderPhone).toBe('13800000001');
    expect(now.input.memberCount).toBe(zhangRead.input.memberCount);
    expect(await count(t.core, sql`SELECT count(*) AS n FROM audit_log WHERE entity = 'organization' AND entity_id = ${id}`)).toBe(auditBefore);
    // Re-applied on the current version, it goes through.
    const again = await liming('organizations.update', { id, version: now.version, input: { ...now.input, memberCount: 99 } });
    expect(again.version).toBe(now.version + 1);
  });

  it('a stale state change (退出) is refused too; bad input stays a clear refusal', async () => {
    const id = await orgId(1);
    const read = await t.call('organizations.get', { id });
    await t.call('organizations.update', { id, version: read.version, input: { ...read.input, remark: '第一位保存' } });
    const e = await refusal(t.core, 'organizations.withdraw', { id, version: read.version, date: '2026-01-05', reason: '成员解散' }, t.token);
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toMatch(STALE);
    expect((await t.call('organizations.get', { id })).input.remark).toBe('第一位保存');
    const bad = await refusal(t.core, 'organizations.update', { id, version: 'x', input: read.input }, t.token);
    expect(bad.code).toBe('VALIDATION');
    expect(bad.message).toContain('版本');
  });
});

describe('vouchers at two desks', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await custodyFixture();
  }, 120_000);
  afterAll(async () => f?.cleanup());

  const draft = () => ({ kind: 'receipt' as const, date: '2026-01-10', amountFen: 12_300, orgId: f.orgIds[0], bankAccountId: f.bankId, purpose: '会费收入' });

  it('an edit of a draft made on a stale read is refused naming who changed it', async () => {
    const { id } = await f.as.maker('custody.vouchers.create', draft());
    const a = await f.as.maker('custody.vouchers.get', { id });
    const b = await f.as.cashier('custody.vouchers.get', { id });
    await f.as.maker('custody.vouchers.update', { ...draft(), id, version: a.voucher.version, amountFen: 45_600 });
    const e = await refusal(f.core, 'custody.vouchers.update', { ...draft(), id, version: b.voucher.version, purpose: '改摘要' }, f.tokens.cashier);
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toMatch(STALE);
    expect(e.message).toContain('该凭证已被 王芳(会计) 于');
    expect(staleDetails(e).currentVersion).toBe(a.voucher.version + 1);
    const now = await f.as.viewer('custody.vouchers.get', { id });
    expect([now.voucher.amountFen, now.voucher.purpose]).toEqual([45_600, '会费收入']);
    // A submit sent with the stale version is refused the same way; with the current one it goes.
    expect((await refusal(f.core, 'custody.vouchers.submit', { id, version: b.voucher.version }, f.tokens.maker)).code).toBe('CONFLICT');
    await f.as.maker('custody.vouchers.submit', { id, version: now.voucher.version });
  });

  it('two approvers approving one voucher at once: exactly one wins, the other is told who was first', async () => {
    const { id } = await f.as.maker('custody.vouchers.create', { ...draft(), purpose: '并发审批' });
    await f.as.maker('custody.vouchers.submit', { id });
    const { voucher } = await f.as.viewer('custody.vouchers.get', { id });
    const [x, y] = await Promise.all([
      f.core.invoke('custody.vouchers.approve', { id, version: voucher.version }, f.tokens.approver),
      f.core.invoke('custody.vouchers.approve', { id, version: voucher.version }, f.tokens.admin),
    ]);
    expect([x.ok, y.ok].filter(Boolean)).toHaveLength(1);
    const loser = x.ok ? y : x;
    expect(loser.error!.code).toBe('CONFLICT');
    expect(loser.error!.message).toMatch(x.ok ? /已被 李明\(主任\) 于/ : /已被 系统管理员 于|已被 .+ 于/);
    const after = await f.as.viewer('custody.vouchers.get', { id });
    expect(after.voucher.status).toBe('approved');
    expect(await count(f.core, sql`SELECT count(*) AS n FROM audit_log WHERE action = 'custody.vouchers.approve' AND entity_id = ${id}`)).toBe(1);
  });

  it('the same race in two core processes on one file: one approval, one clear refusal', async () => {
    const { id } = await f.as.maker('custody.vouchers.create', { ...draft(), purpose: '两个进程审批' });
    await f.as.maker('custody.vouchers.submit', { id });
    const { voucher } = await f.as.viewer('custody.vouchers.get', { id });
    const d1 = startDesk(f, 'liming');
    const d2 = startDesk(f, 'admin');
    try {
      await Promise.all([d1.ready(), d2.ready()]);
      d1.send('custody.vouchers.approve', { id, version: voucher.version });
      d2.send('custody.vouchers.approve', { id, version: voucher.version });
      const [x, y] = [await d1.reply(), await d2.reply()];
      expect([x.ok, y.ok].filter(Boolean), JSON.stringify([x, y])).toHaveLength(1);
      const loser = x.ok ? y : x;
      expect(loser.code).toBe('CONFLICT');
      expect(loser.message).toMatch(STALE);
    } finally {
      d1.stop();
      d2.stop();
    }
    expect((await f.as.viewer('custody.vouchers.get', { id })).voucher.status).toBe('approved');
  }, 60_000);

  it('a month close lists the vouchers still in approval instead of closing under them', async () => {
    const g = await custodyFixture();
    try {
      const inApproval = await g.as.maker('custody.vouchers.create', { kind: 'receipt', date: '2026-02-03', amountFen: 50_000, orgId: g.orgIds[0], bankAccountId: g.bankId, purpose: '活动经费拨入' });
      await g.as.maker('custody.vouchers.submit', { id: inApproval.id });
      const e = await refusal(g.core, 'custody.periods.close', { period: '2026-02' }, g.tokens.cashier);
      expect(e.code).toBe('RULE');
      expect(e.message).toContain('2026-02 还有 1 张未记账的凭证(其中 1 张仍在审批中)，不能结账');
      expect(e.message).toContain('待审批 2026-02-03 ¥500.00「活动经费拨入」(王芳(会计) 录入)');
      expect(e.details?.unposted).toEqual([expect.objectContaining({ id: inApproval.id, status: 'submitted' })]);
      const periods = await g.as.viewer('custody.periods.list', {});
      expect(periods.find((p) => p.period === '2026-02')?.closed ?? false).toBe(false);
      // Withdrawn and deleted, the month closes.
      await g.as.maker('custody.vouchers.withdraw', { id: inApproval.id });
      await g.as.maker('custody.vouchers.delete', { id: inApproval.id });
      await g.as.cashier('custody.periods.close', { period: '2026-02' });
    } finally {
      await g.cleanup();
    }
  }, 120_000);

  it('while a month close runs, the writes it would invalidate are refused naming it and its user; reads go on', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const running = f.core.operations.run('custody.periods.close', { label: '结账', excludes: 'writes' }, { period: '2026-03' }, { displayName: '陈静(出纳)', username: 'chenjing' }, () => held);
    try {
      const e = await refusal(f.core, 'custody.vouchers.create', draft(), f.tokens.maker);
      expect(e.code).toBe('CONFLICT');
      expect(e.message).toMatch(/^陈静\(出纳\) 正在进行「结账 2026-03」（\d{4}-\d{2}-\d{2} \d{2}:\d{2} 开始），「录入凭证」暂不能执行，请稍后再试$/);
      const venueWrite = await refusal(f.core, 'organizations.create', { input: {} }, f.tokens.admin);
      expect(venueWrite.code).toBe('VALIDATION'); // bad input is still refused as such first
      const second = await refusal(f.core, 'custody.periods.close', { period: '2026-03' }, f.tokens.cashier);
      expect(second.message).toContain('正在进行「结账 2026-03」');
      // Reads are served.
      await f.as.viewer('custody.vouchers.list', { startRow: 0, endRow: 10, filter: {} } as never);
    } finally {
      release();
      await running;
    }
    await f.as.maker('custody.vouchers.create', draft());
  });
});

describe('an office-wide operation holds across processes on one data file', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await custodyFixture();
  }, 120_000);
  afterAll(async () => f?.cleanup());

  const draft = () => ({ kind: 'receipt' as const, date: '2026-01-10', amountFen: 12_300, orgId: f.orgIds[0], bankAccountId: f.bankId, purpose: '会费收入' });

  it('a month close running in one core shuts out the writes of a desk in another process (the CLI, a second server); reads go on', async () => {
    let release!: () => void;
    let taken!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const isTaken = new Promise<void>((r) => (taken = r));
    const running = f.core.operations.run('custody.periods.close', { label: '结账', excludes: 'writes' }, { period: '2026-03' }, { displayName: '陈静(出纳)', username: 'chenjing' }, () => {
      taken();
      return held;
    });
    const desk = startDesk(f, 'wangfang');
    try {
      await Promise.all([desk.ready(), isTaken]);
      desk.send('custody.vouchers.create', draft());
      const write = await desk.reply();
      expect(write.code, JSON.stringify(write)).toBe('CONFLICT');
      expect(write.message).toMatch(/^陈静\(出纳\) 正在进行「结账 2026-03」（\d{4}-\d{2}-\d{2} \d{2}:\d{2} 开始），「录入凭证」暂不能执行，请稍后再试$/);
      // A second operation elsewhere is refused too, naming the first.
      desk.send('custody.periods.close', { period: '2026-04' });
      expect((await desk.reply()).message).toContain('正在进行「结账 2026-03」');
      desk.send('custody.vouchers.list', { startRow: 0, endRow: 10, filter: {} });
      expect((await desk.reply()).ok).toBe(true);
    } finally {
      release();
      await running;
    }
    try {
      // Ended here, the other process writes again.
      desk.send('custody.vouchers.create', draft());
      const after = await desk.reply();
      expect(after.ok, JSON.stringify(after)).toBe(true);
    } finally {
      desk.stop();
    }
  }, 60_000);

  it('a lock row brought back by a restore (a backup taken while an operation ran) ends with the restore', async () => {
    const done = await f.core.operations.run('backups.restore', { label: '从备份恢复', excludes: 'everything' }, {}, null, async () => {
      // What the restored file holds instead of ours: the lock of a live process (this pid), from backup time.
      await sql`DELETE FROM office_lock`.execute(f.core.db);
      await sql`INSERT INTO office_lock VALUES ('office', 'old-op', 'custody.periods.close', '结账 2026-01', '"writes"', '陈静(出纳)', '2026-01-31T08:00:00.000Z', 'another-process', ${hostname()}, ${process.pid}, ${f.core.operations.me.bootAt}, ${new Date().toISOString()})`.execute(f.core.db);
      return 'restored';
    });
    expect(done).toBe('restored');
    expect(await count(f.core, sql`SELECT count(*) AS n FROM office_lock`)).toBe(0);
    await f.as.maker('custody.vouchers.create', draft());
  });

  it('an operation whose process was killed does not lock the office out: the next write and the next operation go ahead', async () => {
    const desk = startDesk(f, 'chenjing');
    await desk.ready();
    desk.send('hold', { callName: 'custody.periods.close', label: '结账', excludes: 'writes', period: '2026-05' });
    expect((await desk.reply()).ok).toBe(true);
    // While the holder lives, this core is shut out.
    const e = await refusal(f.core, 'custody.vouchers.create', draft(), f.tokens.maker);
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toContain('正在进行「结账 2026-05」');
    await desk.kill();
    const { id } = await f.as.maker('custody.vouchers.create', draft());
    expect(id).toBeTruthy();
    const done = await f.core.operations.run('custody.periods.close', { label: '结账', excludes: 'writes' }, { period: '2026-06' }, null, async () => 'ran');
    expect(done).toBe('ran');
  }, 60_000);
});

describe('bookings at two desks', () => {
  let f: Awaited<ReturnType<typeof venuesFixture>>;
  beforeAll(async () => {
    f = await venuesFixture('2026-03-01T10:00');
  }, 120_000);
  afterAll(async () => f?.cleanup());

  it('an approval made on a booking moved meanwhile is refused naming who moved it', async () => {
    const b = await f.staff('venues.bookings.create', f.request({ start: '2026-03-03T19:00', end: '2026-03-03T21:00' }));
    const id = b.created[0].id;
    const seen = (await f.approver('venues.bookings.get', { id })).booking;
    const moved = await f.staff('venues.bookings.move', { id, version: seen.version, start: '2026-03-03T18:00', end: '2026-03-03T20:00' });
    expect(moved.changed).toHaveLength(1);
    const e = await refusal(f.core, 'venues.bookings.approve', { id, version: seen.version }, f.tokens.approver);
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toMatch(STALE);
    expect(e.message).toContain('该预约已被 张丽(孵化专员) 于 2026-03-01 10:00 修改');
    const now = (await f.viewer('venues.bookings.get', { id })).booking;
    expect([now.state, now.start]).toEqual(['requested', '2026-03-03T18:00']);
    expect(staleDetails(e).currentVersion).toBe(now.version);
    await f.approver('venues.bookings.approve', { id, version: now.version });
  });

  it('a venue edited at two desks: the second save is refused', async () => {
    const read = await f.staff('venues.get', { id: f.hall });
    const { createdAt: _c, updatedAt: _u, id: _i, version, ...venue } = read;
    await f.staff('venues.update', { id: f.hall, version, venue: { ...venue, note: '甲' } });
    const e = await refusal(f.core, 'venues.update', { id: f.hall, version, venue: { ...venue, note: '乙' } }, f.tokens.admin);
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toContain('该场地已被 张丽(孵化专员) 于');
    expect((await f.viewer('venues.get', { id: f.hall })).note).toBe('甲');
  });

  it('two approvers approving one booking at once: one wins, the other is told (one core, and two processes)', async () => {
    const one = await f.staff('venues.bookings.create', f.request({ start: '2026-03-04T19:00', end: '2026-03-04T21:00' }));
    const id1 = one.created[0].id;
    const v1 = (await f.viewer('venues.bookings.get', { id: id1 })).booking.version;
    const [x, y] = await Promise.all([
      f.core.invoke('venues.bookings.approve', { id: id1, version: v1 }, f.tokens.approver),
      f.core.invoke('venues.bookings.approve', { id: id1, version: v1 }, f.tokens.admin),
    ]);
    expect([x.ok, y.ok].filter(Boolean)).toHaveLength(1);
    expect((x.ok ? y : x).error!.message).toMatch(STALE);

    const two = await f.staff('venues.bookings.create', f.request({ start: '2026-03-05T19:00', end: '2026-03-05T21:00' }));
    const id2 = two.created[0].id;
    const v2 = (await f.viewer('venues.bookings.get', { id: id2 })).booking.version;
    const now = chinaInstant('2026-03-01T10:00');
    const d1 = startDesk(f, 'liming', { now });
    const d2 = startDesk(f, 'admin', { now });
    try {
      await Promise.all([d1.ready(), d2.ready()]);
      d1.send('venues.bookings.approve', { id: id2, version: v2 });
      d2.send('venues.bookings.approve', { id: id2, version: v2 });
      const [p, q] = [await d1.reply(), await d2.reply()];
      expect([p.ok, q.ok].filter(Boolean), JSON.stringify([p, q])).toHaveLength(1);
      const loser = p.ok ? q : p;
      expect(loser.code).toBe('CONFLICT');
      expect(loser.message).toMatch(STALE);
      expect((loser.details as unknown as StaleDetails).currentVersion).toBe(v2 + 1);
    } finally {
      d1.stop();
      d2.stop();
    }
    const approvals = { n: await count(f.core, sql`SELECT count(*) AS n FROM audit_log WHERE action = 'venues.bookings.approve' AND entity_id = ${id2}`) };
    expect(approvals.n).toBe(1);
    expect((await f.viewer('venues.bookings.get', { id: id2 })).booking.state).toBe('approved');
  }, 60_000);
});
