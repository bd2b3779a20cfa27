import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { openDemoCore } from '../../helpers/core';

/**
 * Every authenticated call reads the hub's settings (the idle lock); outside a write they are read once per
 * committed state of the file (core.settings over cachedRead). A change made here, in a write transaction, or
 * by another connection to the file (the CLI, a second server) is seen by the next call; a caller changing
 * the object it got changes nothing for the next one.
 */
type T = Awaited<ReturnType<typeof openDemoCore>>;
let t: T;
beforeAll(async () => {
  t = await openDemoCore('admin');
}, 120_000);
afterAll(async () => t?.cleanup());

describe('the settings read once per committed state', () => {
  it('follow settings.update, a write transaction and another connection; a caller cannot change the cached copy', async () => {
    const { settings } = await t.call('settings.get', {});
    await t.call('settings.update', { settings: { ...settings, idleLockMinutes: 31 } });
    expect((await t.call('settings.get', {})).settings.idleLockMinutes).toBe(31);
    expect((await t.core.settings()).idleLockMinutes).toBe(31);

    const mine = await t.core.settings();
    mine.idleLockMinutes = 2;
    expect((await t.core.settings()).idleLockMinutes).toBe(31);

    // Inside a write the transaction's own, uncommitted change is what the core reads.
    await t.core.write(async (trx) => {
      await trx.updateTable('settings').set({ value: '44' }).where('key', '=', 'idleLockMinutes').execute();
      expect((await t.core.settings()).idleLockMinutes).toBe(44);
    });
    expect((await t.core.settings()).idleLockMinutes).toBe(44);

    if (t.core.engine === 'sqlite') {
      const other = new BetterSqlite3(join(t.dataDir, 'incubase.db'));
      try {
        other.prepare("UPDATE settings SET value = '57' WHERE key = 'idleLockMinutes'").run();
      } finally {
        other.close();
      }
      expect((await t.call('settings.get', {})).settings.idleLockMinutes).toBe(57);
    }
  }, 60_000);
});
