import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { loginAs, openDemoCore, refusal } from '../../helpers/core';
import { onPostgres, rawRun } from '../../helpers/engine';

/**
 * On PostgreSQL every statement is a network round trip, so what each authenticated call checks before its handler
 * (the settings for the idle lock, the session's user, the office lock) is read in ONE statement
 * (db/engine.ts postgresCallPrelude), and the handler's own settings() reuses it. Still read fresh per call:
 * a change made by another connection (the CLI, a second server, a DBA) counts from the next call.
 */
type T = Awaited<ReturnType<typeof openDemoCore>>;
let t: T;
const sent: string[] = [];
const query = pg.Client.prototype.query;
beforeAll(async () => {
  t = await openDemoCore('admin');
  // Counts the statements this process sends to the server (every pool client of the core is a pg.Client).
  (pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown }).query = function (this: pg.Client, ...a: unknown[]) {
    const q = a[0] as string | { text?: string };
    sent.push(typeof q === 'string' ? q : (q?.text ?? ''));
    return (query as unknown as (...b: unknown[]) => unknown).apply(this, a);
  };
}, 120_000);
afterAll(async () => {
  pg.Client.prototype.query = query;
  await t?.cleanup();
});

describe.skipIf(!onPostgres)('a call on PostgreSQL', () => {
  it('checks settings, session user and office lock in one statement before its own', async () => {
    await t.call('venues.list', { onlyBookable: false });
    sent.length = 0;
    const r = await t.call('venues.list', { onlyBookable: false });
    expect(r.rows.length).toBeGreaterThan(0);
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatch(/FROM settings[\s\S]*FROM users[\s\S]*FROM office_lock/);
    sent.length = 0;
    // settings.get reads the settings the dispatcher read: no statement of its own for them
    await t.call('settings.get', {});
    expect(sent.filter((s) => /from "settings"/i.test(s))).toHaveLength(0);
  });

  it('sees settings and a disabled account changed by another connection at the next call', async () => {
    await rawRun(t.core, `DELETE FROM settings WHERE key = 'idleLockMinutes'`);
    await rawRun(t.core, `INSERT INTO settings (key, value) VALUES ('idleLockMinutes', '57')`);
    expect((await t.call('settings.get', {})).settings.idleLockMinutes).toBe(57);
    const token = await loginAs(t.core, 'zhangli');
    expect((await t.core.invoke('venues.list', { onlyBookable: false }, token)).ok).toBe(true);
    await rawRun(t.core, `UPDATE users SET disabled = 1 WHERE username = 'zhangli'`);
    try {
      const err = await refusal(t.core, 'venues.list', { onlyBookable: false }, token);
      expect(err.code).toBe('UNAUTHENTICATED');
    } finally {
      await rawRun(t.core, `UPDATE users SET disabled = 0 WHERE username = 'zhangli'`);
    }
  });

  it('after a write in the call, reads the settings that write committed', async () => {
    const { settings } = await t.call('settings.get', {});
    await t.call('settings.update', { settings: { ...settings, idleLockMinutes: 33 } });
    expect((await t.call('settings.get', {})).settings.idleLockMinutes).toBe(33);
  });
});
