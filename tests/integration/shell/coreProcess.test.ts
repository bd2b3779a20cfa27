import { fork, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CoreClient, type FromCore, type ToCore } from '../../../electron/node/coreProcess';
import { DEMO_PASSWORD } from '../../../electron/core/seed';
import { tempDir } from '../../helpers/core';
import { ServerClient } from '../../../electron/node/serverClient';
import type { ChangeEvent } from '../../../electron/core/api/changes';

const ENTRY = resolve(__dirname, '../../../electron/node/coreEntry.ts');
const children: ChildProcess[] = [];
const dirs: string[] = [];

/** The core process as Electron's utilityProcess runs it, here under plain Node with the same messages. */
function start(options: object) {
  const child = fork(ENTRY, [JSON.stringify(options)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  children.push(child);
  const progress: string[] = [];
  const client = new CoreClient({ send: (m: ToCore) => child.send(m), onMessage: (l: (m: FromCore) => void) => child.on('message', (m) => l(m as FromCore)) });
  client.onProgress((label) => progress.push(label));
  return { child, client, progress };
}

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the core process (utilityProcess entry, driven with child_process.fork)', () => {
  it('reports its start-up steps, answers calls made before it was ready, keeps the session token for the shell', async () => {
    const dataDir = tempDir('incubase-coreproc-');
    dirs.push(dataDir);
    const { client, progress } = start({ dataDir, seed: 'demo', autoBackup: false });
    const early = client.invoke('system.status', {}, null); // sent at once, answered after the open
    const status = await early;
    expect(status.ok).toBe(true);
    expect(status.data).toMatchObject({ initialized: true, demo: true, recovery: null });
    expect(progress).toContain('正在升级数据库…');
    const login = await client.invoke('auth.login', { username: 'admin', password: DEMO_PASSWORD }, null);
    expect(login.ok).toBe(true);
    expect(login.sessionToken).toBeTruthy();
    const me = await client.invoke('auth.me', {}, login.sessionToken!);
    expect(me.ok).toBe(true);
    await client.close();
  }, 120_000);

  it('a broken database leads to the recovery status (the recovery screen), not a dead window', async () => {
    const dataDir = tempDir('incubase-coreproc-');
    dirs.push(dataDir);
    writeFileSync(join(dataDir, 'incubase.db'), Buffer.alloc(8192, 7));
    const { client, progress } = start({ dataDir, seed: 'empty', autoBackup: false });
    const ready = await client.ready;
    expect(ready.recovery).toBeTruthy();
    const status = await client.invoke('system.status', {}, null);
    expect(status.ok).toBe(true);
    expect((status.data as { recovery: unknown }).recovery).not.toBeNull();
    expect(progress[0]).toBe('正在检查数据库…');
    await client.close();
  }, 120_000);

  it('办公室服务器 mode: the core process serves the office over HTTPS, says where and with which fingerprint, and forwards every desk’s changes to the shell', async () => {
    const dataDir = tempDir('incubase-coreproc-');
    dirs.push(dataDir);
    const { client } = start({ dataDir, seed: 'demo', autoBackup: false, serve: { port: 0, host: '127.0.0.1' } });
    const ready = await client.ready;
    expect(ready.serveError).toBeNull();
    expect(ready.serving!.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(ready.serving!.urls.at(-1)).toBe(`https://127.0.0.1:${ready.serving!.port}`);
    const heard: ChangeEvent[][] = [];
    client.onChanges((c) => heard.push(c));
    // Another desk connects, pinned to the fingerprint the window shows, and saves.
    const desk = new ServerClient({ address: `https://127.0.0.1:${ready.serving!.port}`, fingerprint: ready.serving!.fingerprint });
    await desk.connect();
    await desk.login('zhangli', DEMO_PASSWORD);
    const { id } = await desk.call('organizations.create', {
      input: { name: '服务器模式测试队', mgmtClass: 'filed', street: '玉林街道', community: '玉林北路社区', leaderName: '王小明', leaderPhone: '13800138000', memberCount: 6 },
    } as never);
    desk.close();
    await vi.waitFor(() => expect(heard.flat()).toContainEqual(expect.objectContaining({ entity: 'organization', id, who: 'zhangli' })));
    // The window's own calls over IPC see the same data.
    const login = await client.invoke('auth.login', { username: 'admin', password: DEMO_PASSWORD }, null);
    const got = await client.invoke('organizations.get', { id }, login.sessionToken!);
    expect(got.ok, JSON.stringify(got.error)).toBe(true);
    await client.close();
  }, 120_000);

  it('a port in use: the app still opens on this PC and says why the others cannot connect', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    const dataDir = tempDir('incubase-coreproc-');
    dirs.push(dataDir);
    try {
      const { client } = start({ dataDir, seed: 'empty', autoBackup: false, serve: { port, host: '127.0.0.1' } });
      const ready = await client.ready;
      expect(ready.serving).toBeNull();
      expect(ready.serveError).toBe(`端口 ${port} 已被其他程序占用`);
      expect((await client.invoke('system.status', {}, null)).ok).toBe(true);
      await client.close();
    } finally {
      blocker.close();
    }
  }, 120_000);
});
