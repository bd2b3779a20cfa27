import { describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { startHost } from '../../../electron/host/server';
import { openCoreInBackground, type CoreStartup } from '../../../electron/host/startup';
import { tempDir } from '../../helpers/core';
import { startupFixtures } from '../../helpers/startupHold';
import { sqliteOnly } from '../../helpers/engine';

/**
 * Issue 15: the Node host serves the page (and answers calls with 正在启动 and the step) while the core's start-up
 * check runs, instead of listening only after it. The check is held at its fault point `start.check` by a hook
 * that returns a promise, so nothing here depends on how long a check takes.
 */
sqliteOnly.describe('the Node host answers while the start-up check runs', '启动检查是 SQLite 文件的 quick_check(在工作线程中)，损坏的是文件本身', () => {
  const { cleanups, hubFolder, holdCheck, breakDatabase } = startupFixtures();

  async function hostOn(startup: CoreStartup, rendererDir: string) {
    const { url, app } = await startHost({ core: startup, rendererDir });
    cleanups.push(async () => {
      await app.close();
      await startup.ready.then((c) => c.close(), () => undefined);
    });
    const post = (name: string, body: unknown = {}) =>
      fetch(`${url}/api/${name}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-incubase-client': '1' }, body: JSON.stringify(body) });
    return { url, post };
  }

  it('serves the page and answers STARTING with the step while the check is held; the hub works once it is done', async () => {
    const { dataDir, rendererDir } = await hubFolder();
    const hold = holdCheck();
    const startup = openCoreInBackground({ dataDir, seed: 'demo', autoBackup: false, integrityCheck: 'off' });
    const { url, post } = await hostOn(startup, rendererDir);
    await hold.reached;

    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('孵化基地管理系统');

    const status = await post('system.status');
    expect(status.status).toBe(503);
    expect(status.headers.get('retry-after')).toBe('1');
    const body = await status.json();
    expect(body.ok).toBe(false);
    expect(body.error.code).toBe('STARTING');
    expect(body.error.message).toContain('正在启动');
    expect(body.error.message).toContain('检查数据库');
    expect(body.error.details).toEqual({ step: 'check', label: '正在检查数据库…', existing: true });
    const login = await (await post('auth.login', { username: 'admin', password: 'Demo@2026' })).json();
    expect(login.error.code).toBe('STARTING');
    expect(startup.core).toBeNull();

    hold.release();
    await startup.ready;
    const ready = await (await post('system.status')).json();
    expect(ready.ok).toBe(true);
    expect(ready.data.recovery).toBeNull();
    expect(ready.data.initialized).toBe(true);
    const loggedIn = await post('auth.login', { username: 'admin', password: 'Demo@2026' });
    expect(loggedIn.status).toBe(200);
  });

  it('a database that fails the check leads to the recovery screen after the STARTING answers', async () => {
    const { dataDir, rendererDir } = await hubFolder();
    breakDatabase(dataDir);
    const hold = holdCheck();
    const startup = openCoreInBackground({ dataDir, seed: 'demo', autoBackup: false, integrityCheck: 'off' });
    const { post } = await hostOn(startup, rendererDir);
    await hold.reached;
    expect((await (await post('system.status')).json()).error.code).toBe('STARTING');
    hold.release();
    await startup.ready;
    const status = await (await post('system.status')).json();
    expect(status.ok).toBe(true);
    expect(status.data.recovery.reason).toMatch(/完整性检查未通过/);
  });

  it('a folder with no database yet says so (the page shows the progress, not a login form)', async () => {
    const dataDir = tempDir();
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const startup = openCoreInBackground({ dataDir, seed: 'empty', autoBackup: false });
    expect(startup.state()).toMatchObject({ existing: false });
    await startup.ready;
    expect(startup.core).not.toBeNull();
  });
});
