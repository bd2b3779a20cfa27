/**
 * No lost updates over the LAN: the real office server over HTTPS, several desks (ServerClient, pinned to its
 * certificate) acting on the same records at once. The core decides exactly as on loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../../../electron/core/core';
import { startOfficeServer, type OfficeServer } from '../../../electron/host/office';
import { ServerClient } from '../../../electron/node/serverClient';
import { DEMO_PASSWORD } from '../../../electron/core/seed';
import { isStaleDetails } from '@shared/errors';
import { tempDir } from '../../helpers/core';

describe('several desks on the office server edit the same records', () => {
  let core: Core;
  let server: OfficeServer;
  const clients: ServerClient[] = [];
  const desk = async (username: string) => {
    const c = new ServerClient({ address: `https://127.0.0.1:${server.port}`, fingerprint: server.fingerprint });
    clients.push(c);
    await c.connect();
    await c.login(username, DEMO_PASSWORD);
    return c;
  };

  beforeAll(async () => {
    core = await Core.open({ dataDir: tempDir('incubase-office-versions-'), seed: 'demo', autoBackup: false });
    server = await startOfficeServer({ core, port: 0, host: '127.0.0.1' });
  }, 120_000);
  afterAll(async () => {
    for (const c of clients) c.close();
    await server?.close();
    await core?.close();
  });

  it('an organization saved at one desk: the other desk, on the version it read, is refused naming who and when', async () => {
    const [zhang, li] = await Promise.all([desk('zhangli'), desk('liming')]);
    const id = (core.sqlite.prepare(`SELECT id FROM organizations WHERE status = 'active' ORDER BY id LIMIT 1`).get() as { id: string }).id;
    const [a, b] = await Promise.all([zhang.call('organizations.get', { id }), li.call('organizations.get', { id })]);
    await zhang.call('organizations.update', { id, version: a.version, input: { ...a.input, remark: '张丽先保存' } });
    const r = await li.invoke('organizations.update', { id, version: b.version, input: { ...b.input, remark: '李明后保存' } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('CONFLICT');
    expect(r.error.message).toMatch(/^该组织已被 张丽\(孵化专员\) 于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 修改，请刷新后重新填写$/);
    expect(isStaleDetails(r.error.details) && r.error.details.currentVersion).toBe(a.version + 1);
    expect((await li.call('organizations.get', { id })).input.remark).toBe('张丽先保存');
  });

  it('two approvers approve one requested booking at once: exactly one wins, the other is told', async () => {
    const [li, admin] = await Promise.all([desk('liming'), desk('admin')]);
    const row = core.sqlite
      .prepare(
        `SELECT b.id, b.version FROM venue_bookings b WHERE b.state = 'requested' AND b.activity_id IS NULL AND b.activity_kind_code IS NULL AND b.expected_attendance < 50 AND b.start_at > strftime('%Y-%m-%dT%H:%M', 'now', '+8 hours', '+1 day')
         AND NOT EXISTS (SELECT 1 FROM venue_bookings o WHERE o.venue_id = b.venue_id AND o.id <> b.id AND o.state IN ('approved', 'used', 'no_show') AND o.start_at < b.end_at AND b.start_at < o.end_at)
         ORDER BY b.start_at LIMIT 1`,
      )
      .get() as { id: string; version: number } | undefined;
    expect(row).toBeDefined();
    const [x, y] = await Promise.all([
      li.invoke('venues.bookings.approve', { id: row!.id, version: row!.version }),
      admin.invoke('venues.bookings.approve', { id: row!.id, version: row!.version }),
    ]);
    const wins = [x, y].filter((r) => r.ok);
    const losers = [x, y].filter((r) => !r.ok);
    expect(wins, JSON.stringify([x, y])).toHaveLength(1);
    const loser = losers[0];
    expect(!loser.ok && loser.error.code).toBe('CONFLICT');
    expect(!loser.ok && loser.error.message).toMatch(/已被 .+ 于 .+ 修改，请刷新后重新填写/);
    const n = core.sqlite.prepare(`SELECT count(*) AS n FROM audit_log WHERE action = 'venues.bookings.approve' AND entity_id = ?`).get(row!.id) as { n: number };
    expect(n.n).toBe(1);
    expect((core.sqlite.prepare('SELECT state FROM venue_bookings WHERE id = ?').get(row!.id) as { state: string }).state).toBe('approved');
  });
});
