import { describe, expect, it } from 'vitest';
import { request as httpsRequest } from 'node:https';
import { getServerInfo } from '../../../electron/core/office/workMode';
import { startOfficeServer } from '../../../electron/host/office';
import { openCoreInBackground } from '../../../electron/host/startup';
import { serveCore, type FromCore, type ToCore } from '../../../electron/node/coreProcess';
import { createServer } from 'node:net';
import { startupFixtures } from '../../helpers/startupHold';

/**
 * Issue 15: the office server (`npm run server`, the desktop's 办公室服务器 mode) listens over HTTPS at once and
 * answers while the core's start-up check runs, the same way as the Node host: the login page, and 正在启动 with the
 * step for every call. The check is held at its fault point `start.check` (a hook returning a promise), no timing.
 */
describe('the office server answers over HTTPS while the start-up check runs', () => {
  const { cleanups, hubFolder, holdCheck, breakDatabase } = startupFixtures();

  /** One HTTPS request to the server's self-made certificate (its fingerprint is what clients pin; here not checked). */
  function call(port: number, method: 'GET' | 'POST', path: string, body?: unknown, cookie?: string) {
    return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }>((resolve, reject) => {
      const req = httpsRequest(
        {
          host: '127.0.0.1',
          port,
          path,
          method,
          rejectUnauthorized: false,
          headers: {
            ...(method === 'POST' ? { 'content-type': 'application/json', 'x-incubase-client': '1' } : {}),
            ...(cookie ? { cookie } : {}),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
        },
      );
      req.on('error', reject);
      req.end(method === 'POST' ? JSON.stringify(body ?? {}) : undefined);
    });
  }

  async function serverOn(dataDir: string, rendererDir: string) {
    const startup = openCoreInBackground({ dataDir, seed: 'demo', autoBackup: false, integrityCheck: 'off' });
    const server = await startOfficeServer({ core: startup, port: 0, host: '127.0.0.1', rendererDir });
    cleanups.push(async () => {
      await server.close();
      await startup.ready.then((c) => c.close(), () => undefined);
    });
    return { startup, server };
  }

  it('serves the login page and answers STARTING with the step over HTTPS while the check is held, then serves normally', async () => {
    const { dataDir, rendererDir } = await hubFolder();
    const hold = holdCheck();
    const { startup, server } = await serverOn(dataDir, rendererDir);
    await hold.reached;
    expect(startup.core).toBeNull();
    expect(server.urls.every((u) => u.startsWith('https://'))).toBe(true);
    expect(server.fingerprint).toMatch(/^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/);

    const page = await call(server.port, 'GET', '/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('孵化基地管理系统');

    const status = await call(server.port, 'POST', '/api/system.status');
    expect(status.status).toBe(503);
    expect(status.headers['retry-after']).toBe('1');
    const body = JSON.parse(status.text);
    expect(body.error.code).toBe('STARTING');
    expect(body.error.message).toContain('检查数据库');
    expect(body.error.details).toEqual({ step: 'check', label: '正在检查数据库…', existing: true });
    const version = JSON.parse((await call(server.port, 'GET', '/api/version')).text);
    expect(version.ok).toBe(true);

    hold.release();
    const core = await startup.ready;
    const ready = JSON.parse((await call(server.port, 'POST', '/api/system.status')).text);
    expect(ready.ok).toBe(true);
    expect(ready.data.initialized).toBe(true);
    expect(ready.data.recovery).toBeNull();
    // The server's addresses are known to the core once it is open (设置 › 办公室服务器 shows them).
    expect(getServerInfo(core)?.port).toBe(server.port);
  });

  it('a broken database: STARTING while held, then the recovery state over HTTPS', async () => {
    const { dataDir, rendererDir } = await hubFolder();
    breakDatabase(dataDir);
    const hold = holdCheck();
    const { startup, server } = await serverOn(dataDir, rendererDir);
    await hold.reached;
    expect(JSON.parse((await call(server.port, 'POST', '/api/system.status')).text).error.code).toBe('STARTING');
    hold.release();
    await startup.ready;
    const status = JSON.parse((await call(server.port, 'POST', '/api/system.status')).text);
    expect(status.ok).toBe(true);
    expect(status.data.recovery.reason).toMatch(/完整性检查未通过/);
  });

  it('the desktop core process in 办公室服务器 mode: the desks get the page and STARTING while its check is held, the shell the progress', async () => {
    const { dataDir, rendererDir } = await hubFolder();
    const free = createServer();
    await new Promise<void>((r) => free.listen(0, '127.0.0.1', () => r()));
    const port = (free.address() as { port: number }).port;
    await new Promise<void>((r) => free.close(() => r()));
    const hold = holdCheck();
    const sent: FromCore[] = [];
    let toCore!: (m: ToCore) => void;
    const closed = new Promise<void>((resolve) =>
      serveCore(
        { send: (m) => sent.push(m), onMessage: (l) => (toCore = l) },
        { dataDir, seed: 'demo', autoBackup: false, serve: { port, host: '127.0.0.1', rendererDir } },
        resolve,
      ),
    );
    await hold.reached;
    expect(sent).toEqual([{ type: 'progress', step: 'check', label: '正在检查数据库…' }]);
    // The server is listening (or about to: its certificate is being made); wait for the first answer.
    let page: Awaited<ReturnType<typeof call>> | null = null;
    for (let i = 0; i < 200 && !page; i++)
      page = await call(port, 'GET', '/').catch(async (e: NodeJS.ErrnoException) => {
        if (e.code !== 'ECONNREFUSED') throw e;
        await new Promise((r) => setTimeout(r, 50));
        return null;
      });
    expect(page?.status).toBe(200);
    expect(page?.text).toContain('孵化基地管理系统');
    const status = JSON.parse((await call(port, 'POST', '/api/system.status')).text);
    expect(status.error.code).toBe('STARTING');
    expect(sent.some((m) => m.type === 'ready')).toBe(false);

    hold.release();
    await new Promise<void>((resolve) => {
      const wait = () => (sent.some((m) => m.type === 'ready') ? resolve() : setTimeout(wait, 20));
      wait();
    });
    const ready = sent.find((m) => m.type === 'ready') as Extract<FromCore, { type: 'ready' }>;
    expect(ready.serveError).toBeNull();
    expect(ready.serving?.port).toBe(port);
    expect(JSON.parse((await call(port, 'POST', '/api/system.status')).text).ok).toBe(true);
    toCore({ type: 'close' });
    await closed;
  });
});
