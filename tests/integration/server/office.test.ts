import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request as httpRequest } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { Core } from '../../../electron/core/core';
import { startOfficeServer, type OfficeServer } from '../../../electron/host/office';
import { ServerClient, ServerCallError } from '../../../electron/node/serverClient';
import type { ChangeEvent } from '../../../electron/core/api/changes';
import { DEMO_PASSWORD } from '../../../electron/core/seed';
import { normalizeFingerprint } from '@shared/server/fingerprint';
import { tempDir } from '../../helpers/core';

const lanIp = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

/** The real office server over HTTPS on a free port, several clients at once. */
describe('office server over HTTPS', () => {
  let core: Core;
  let server: OfficeServer;
  let dataDir: string;
  const clients: ServerClient[] = [];
  const client = async (username: string | null, opts: { address?: string; fingerprint?: string; version?: string; program?: string } = {}) => {
    const c = new ServerClient({ address: opts.address ?? `https://127.0.0.1:${server.port}`, fingerprint: opts.fingerprint ?? server.fingerprint, version: opts.version, program: opts.program });
    clients.push(c);
    await c.connect();
    if (username) await c.login(username, DEMO_PASSWORD);
    return c;
  };

  beforeAll(async () => {
    dataDir = tempDir('incubase-office-');
    core = await Core.open({ dataDir, seed: 'demo', autoBackup: false });
    server = await startOfficeServer({ core, port: 0, host: '0.0.0.0', loginThrottle: { max: 12, windowMs: 60_000 } });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await server.close();
    await core.close();
  });

  it('creates its own certificate in the data folder on first start, prints its fingerprint, and keeps it', async () => {
    const certFile = join(dataDir, 'server-cert', 'server.crt');
    expect(existsSync(join(dataDir, 'server-cert', 'server.key'))).toBe(true);
    const x509 = new X509Certificate(readFileSync(certFile));
    expect(normalizeFingerprint(x509.fingerprint256)).toBe(server.fingerprint);
    expect(x509.subjectAltName).toContain('IP Address:127.0.0.1');
    if (lanIp) expect(x509.subjectAltName).toContain(`IP Address:${lanIp}`);
    expect(server.certificateCreated).toBe(true);
    expect(server.urls.some((u) => u.startsWith('https://'))).toBe(true);
    // A second server on the same folder (a restart) shows the same certificate.
    const again = await startOfficeServer({ core, port: 0, host: '127.0.0.1' });
    expect(again.fingerprint).toBe(server.fingerprint);
    expect(again.certificateCreated).toBe(false);
    await again.close();
  });

  it('does not serve plain HTTP', async () => {
    const outcome = await new Promise<string>((resolve) => {
      const req = httpRequest({ host: '127.0.0.1', port: server.port, path: '/api/system.status', method: 'POST', headers: { 'content-type': 'application/json', 'x-incubase-client': '1' } }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve(`HTTP ${res.statusCode} ${body}`));
      });
      req.on('error', (e) => resolve(`error ${(e as NodeJS.ErrnoException).code ?? e.message}`));
      req.end('{}');
    });
    expect(outcome).not.toMatch(/"ok":true/);
    expect(outcome).toMatch(/^error|HTTP 400/);
  });

  it('a client pinned to another certificate refuses to talk', async () => {
    const other = 'AA:' + server.fingerprint.slice(3);
    const c = new ServerClient({ address: `https://127.0.0.1:${server.port}`, fingerprint: other });
    await expect(c.connect()).rejects.toThrow(/证书与第一次连接时记下的不一致/);
    c.close();
  });

  it('tells a client of another version which version it needs, and refuses its writes', async () => {
    const old = new ServerClient({ address: `https://127.0.0.1:${server.port}`, fingerprint: server.fingerprint, version: '0.0.9' });
    clients.push(old);
    await expect(old.connect()).rejects.toThrow(/服务器需要程序版本 0\.1\.0，本机是 0\.0\.9/);
    // Even one that skips the handshake cannot write.
    const c = await client('admin', { version: '0.0.9' }).catch(() => null);
    expect(c).toBeNull();
    const ok = await client('admin');
    const forged = new ServerClient({ address: `https://127.0.0.1:${server.port}`, fingerprint: server.fingerprint });
    clients.push(forged);
    await forged.connect();
    await forged.login('admin', DEMO_PASSWORD);
    (forged as unknown as { version: string }).version = '0.0.9';
    const refused = await forged.invoke('backups.create', {});
    expect(refused.status).toBe(426);
    expect(!refused.ok && refused.error.message).toMatch(/程序版本不一致：本机是 0\.0\.9，服务器需要 0\.1\.0/);
    // Reads still work, so the screen can say what is wrong.
    expect((await forged.invoke('auth.me', {})).ok).toBe(true);
    expect((await ok.call('auth.me', {})).user.username).toBe('admin');
  });

  it('the change feed reaches the second client within the same second, naming entity, id, action and who', async () => {
    const writer = await client('admin');
    const reader = await client('zhangli');
    const got: ChangeEvent[] = [];
    const opened = new Promise<void>((resolve) => {
      const stop = reader.events({ onOpen: resolve, onChange: (c) => got.push(...c) });
      clients.push({ close: stop } as unknown as ServerClient);
    });
    await opened;
    const backup = await writer.call('backups.create', {});
    await waitFor(() => got.some((e) => e.entity === 'backup'));
    const e = got.find((x) => x.entity === 'backup')!;
    expect(e.who).toBe('admin');
    expect(e.action).toBe('backups.create');
    expect(backup.fileName).toBeTruthy();
    // A refused write tells nothing.
    const before = got.length;
    await expect(reader.call('backups.create', {})).rejects.toThrow(ServerCallError);
    expect(got.length).toBe(before);
  });

  it.skipIf(!lanIp)('is reached by a non-127.0.0.1 address, and records that address in 在线用户', async () => {
    const remote = await client('liming', { address: `https://${lanIp}:${server.port}`, program: 'Mozilla/5.0 Chrome/140.0 Safari/537.36' });
    expect((await remote.call('auth.me', {})).user.username).toBe('liming');
    const admin = await client('admin');
    const sessions = await admin.call('office.sessions.list', {});
    const row = sessions.find((s) => s.username === 'liming' && s.address === lanIp)!;
    expect(row).toBeTruthy();
    expect(row.program).toBe('浏览器(Chrome 140)');
    expect(sessions.find((s) => s.current)!.username).toBe('admin');
    // Restore is done on the server, never from a client on the LAN.
    const adminRemote = await client('admin', { address: `https://${lanIp}:${server.port}` });
    const restore = await adminRemote.invoke('backups.restore', { fileName: 'x.db' });
    expect(restore.status).toBe(403);
    expect(!restore.ok && restore.error.message).toMatch(/只能在服务器电脑上操作/);
    // The admin ends liming's session: its event stream is told, its next call must log in again.
    let ended = '';
    remote.events({ onChange: () => undefined, onEnd: (r) => (ended = r) });
    await new Promise((r) => setTimeout(r, 200));
    await admin.call('office.sessions.end', { id: row.id });
    await waitFor(() => ended === 'session-ended');
    const after = await remote.invoke('auth.me', {});
    expect(after.status).toBe(401);
  });

  it('keeps the login lockout per user across PCs and throttles guessing per address', async () => {
    // Per user (the core): wrong passwords from two different clients add up.
    const a = await client(null);
    const b = await client(null, lanIp ? { address: `https://${lanIp}:${server.port}` } : {});
    const results: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await (i % 2 ? a : b).invoke('auth.login', { username: 'chenjing', password: 'wrong-pass' });
      results.push(r.ok ? 'ok' : r.error.code);
    }
    expect(results).toContain('ACCOUNT_LOCKED');
    const right = await a.invoke('auth.login', { username: 'chenjing', password: DEMO_PASSWORD });
    expect(!right.ok && right.error.code).toBe('ACCOUNT_LOCKED');
    // Per address (the server): parallel guesses at many names from one address stop at the limit.
    const c = await client(null);
    const burst = await Promise.all(Array.from({ length: 30 }, (_, i) => c.invoke('auth.login', { username: `nobody${i}`, password: 'x' })));
    const throttled = burst.filter((r) => r.status === 429);
    expect(throttled.length).toBeGreaterThan(0);
    expect(!throttled[0].ok && throttled[0].error.message).toMatch(/登录尝试过于频繁/);
    expect(burst.filter((r) => r.status !== 429).length).toBeLessThanOrEqual(12);
  });

  it('bad input over the LAN gets what it gets on loopback: the same clear Chinese refusal, nothing half-written', async () => {
    const lan = await client('zhangli', lanIp ? { address: `https://${lanIp}:${server.port}` } : {});
    const local = (await core.invoke('auth.login', { username: 'zhangli', password: DEMO_PASSWORD })).sessionToken!;
    const org = { name: '坏输入测试队', mgmtClass: 'filed', street: '玉林街道', community: '玉林北路社区', leaderName: '王小明', leaderPhone: '13800138000', memberCount: 6 };
    const cases: [string, unknown][] = [
      ['organizations.create', { input: { ...org, name: '' } }],
      ['organizations.create', { input: { ...org, memberCount: -3, leaderPhone: '12' } }],
      ['organizations.create', { input: { ...org, mgmtClass: 'registered', registeredKind: 'foundation', creditCode: '53640000MJX173672G' } }],
      ['organizations.update', { id: 'not-a-record', version: 1, input: org }],
      ['venues.bookings.create', { venueId: 'nope', organizationId: 'nope', start: '2026-13-01T09:00', end: 'x', purpose: '', expectedAttendance: -1 }],
      ['custody.vouchers.create', { kind: 'receipt', date: '2026-02-30', amountFen: 1.5 }],
      ['custody.vouchers.approve', { id: 'nope', version: 'x' }],
      ['no.such.call', {}],
    ];
    const counts = () => core.sqlite.prepare('SELECT (SELECT count(*) FROM audit_log) AS audit, (SELECT count(*) FROM organizations) AS orgs, (SELECT count(*) FROM venue_bookings) AS bookings, (SELECT count(*) FROM custody_vouchers) AS vouchers').get();
    const before = counts();
    for (const [name, input] of cases) {
      const overLan = await lan.invoke(name, input);
      const here = await core.invoke(name, input, local);
      expect(here.ok, name).toBe(false);
      expect(overLan.ok, name).toBe(false);
      if (overLan.ok || !here.error) continue;
      expect({ code: overLan.error.code, message: overLan.error.message }, name).toEqual({ code: here.error.code, message: here.error.message });
      expect(overLan.error.message, name).toMatch(/[\u4e00-\u9fff]/);
      expect(overLan.status, name).toBeGreaterThanOrEqual(400);
      expect(overLan.status, name).toBeLessThan(500);
    }
    expect(counts()).toEqual(before);
  });

  it('answers only its own names: a foreign Host header is refused', async () => {
    const c = await client(null);
    const agent = (c as unknown as { agent: import('node:https').Agent }).agent;
    const status = await new Promise<number>((resolve, reject) => {
      const req = (require('node:https') as typeof import('node:https')).request(
        { host: '127.0.0.1', port: server.port, path: '/api/version', method: 'GET', agent, headers: { host: 'evil.example' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });
});

async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('waited too long');
    await new Promise((r) => setTimeout(r, 20));
  }
}
