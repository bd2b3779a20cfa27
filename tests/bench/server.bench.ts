import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Core } from '../../electron/core/core';
import { startOfficeServer } from '../../electron/host/office';
import { ensureCertificate } from '../../electron/host/certificate';
import { APP_VERSION } from '../../electron/core/version';
import { ServerClient } from '../../electron/node/serverClient';
import { DEMO_PASSWORD } from '../../electron/core/seed';
import { addDays, todayInChina } from '@shared/dates/parse';
import type { Bench } from './bench';

/**
 * `npm run bench -- server`: 10 simulated clients over HTTPS (pinned, keep-alive) against one office server on
 * the bench hub (demo data at scale 10), each a realistic mix for 60 s: list pages, searches, the dashboard,
 * venue bookings and vouchers. p50/p95 per call kind, throughput, errors other than expected refusals
 * (a booking colliding with another is CONFLICT/RULE: expected), server peak memory (RSS, same process).
 * Raw baseline in the same run (the machine is shared: only figures of one run compare): the same clients and
 * mix for the same time against a plain node:https handler with the same certificate that only parses the
 * body, finds the session cookie and calls core.invoke — no fastify, no host guards, no cookies plugin, no
 * throttle. The ratio is what the office server's own layers cost; the rest is the calls' own work queued on
 * one thread (10 clients without pause keep ~9 calls waiting). Also: one call in-process, no network.
 */
export default async function (b: Bench) {
  const dir = b.workDir('server-scale10');
  const fresh = !existsSync(join(dir, 'incubase.db'));
  const core = await Core.open({ dataDir: dir, seed: 'demo', demoScale: 10, autoBackup: false });
  if (fresh) process.stderr.write('server bench: seeded the bench hub (scale 10)\n');
  const DURATION = Number(process.env.INCUBASE_SERVER_BENCH_MS ?? 60_000);
  const load0 = loadavg()[0];
  const office = await startOfficeServer({ core, port: 0, host: '127.0.0.1', loginThrottle: { max: 1000, windowMs: 60_000 } });
  const served = await runMix(`https://127.0.0.1:${office.port}`, office.fingerprint, DURATION);
  await office.close();
  const raw = await startRawServer(core);
  const baseline = await runMix(`https://127.0.0.1:${raw.port}`, raw.fingerprint, DURATION);
  await new Promise<void>((r) => raw.server.close(() => r()));
  const load1 = loadavg()[0];

  for (const [kind, list] of served.times) {
    const base = baseline.times.get(kind) ?? [];
    for (const q of [50, 95] as const) {
      const v = pct(list, q);
      const bv = pct(base, q);
      b.report({ name: `server.${kind}.p${q}`, value: v, unit: 'ms', baseline: bv, ratio: bv ? +(v / bv).toFixed(2) : undefined, ...(q === 95 ? { target: kind.startsWith('read') ? '< 50 ms' : '< 100 ms' } : {}) });
    }
  }
  b.report({ name: 'server.throughput', value: served.total / (DURATION / 1000), unit: 'calls/s', baseline: baseline.total / (DURATION / 1000) });
  b.report({ name: 'server.calls', value: served.total, unit: 'calls' });
  b.report({ name: 'server.errors_unexpected', value: served.errors + baseline.errors, unit: 'errors', target: '0' });
  b.report({ name: 'server.refusals_expected', value: served.expected, unit: 'refusals' });
  b.report({ name: 'server.peak_rss', value: served.peakRss / 1024 / 1024, unit: 'MiB' });
  b.report({ name: 'server.load_average_1min', value: +((load0 + load1) / 2).toFixed(1), unit: 'load (2 cores)' });
  const errorSamples = [...served.errorSamples, ...baseline.errorSamples];
  if (errorSamples.length) process.stderr.write(`server bench errors:\n${errorSamples.join('\n')}\n`);

  // One call alone, in-process: no TLS, no HTTP, nothing queued.
  const token = (await core.invoke('auth.login', { username: 'admin', password: DEMO_PASSWORD })).sessionToken!;
  const one = await b.timeP95(50, () => core.invoke('organizations.list', { startRow: 0, endRow: 100, withCount: true }, token));
  b.report({ name: 'server.baseline_inprocess.organizations.list.p95', value: one, unit: 'ms' });
  await core.close();
}

function pct(list: number[], q: number): number {
  if (!list.length) return 0;
  const sorted = [...list].sort((x, y) => x - y);
  return +sorted[Math.min(sorted.length - 1, Math.floor((q / 100) * sorted.length))].toFixed(2);
}

/** The raw baseline: plain HTTPS + JSON in front of core.invoke, speaking just enough of the office API for ServerClient. */
async function startRawServer(core: Core): Promise<{ server: Server; port: number; fingerprint: string }> {
  const cert = await ensureCertificate(core.dataDir);
  const server = createServer({ key: cert.key, cert: cert.cert, keepAlive: true }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send = (status: number, body: unknown, cookie?: string) => {
        const text = JSON.stringify(body);
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...(cookie ? { 'set-cookie': cookie } : {}) });
        res.end(text);
      };
      if (req.url === '/api/version') return send(200, { ok: true, data: { version: APP_VERSION } });
      const name = decodeURIComponent((req.url ?? '').replace(/^\/api\//, ''));
      const token = /incubase_session=([^;]+)/.exec(req.headers.cookie ?? '')?.[1] ?? null;
      void core.invoke(name, JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'), token).then((r) =>
        send(r.ok ? 200 : 400, r.ok ? { ok: true, data: r.data } : { ok: false, error: r.error }, r.sessionToken ? `incubase_session=${r.sessionToken}; HttpOnly` : undefined),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, port: (server.address() as { port: number }).port, fingerprint: cert.fingerprint };
}

/** 10 clients, each the mix below without pause for `duration` ms, against the server at `address`. */
async function runMix(address: string, fingerprint: string, duration: number) {
  const server = { fingerprint };
  const users = ['admin', 'zhangli', 'wangfang', 'liming', 'chenjing', 'admin', 'zhangli', 'wangfang', 'liming', 'chenjing'];
  const clients = await Promise.all(
    users.map(async (u) => {
      const c = new ServerClient({ address, fingerprint: server.fingerprint });
      await c.connect();
      await c.login(u, DEMO_PASSWORD);
      return { c, u };
    }),
  );
  const admin = clients[0].c;
  const venues = (await admin.call('venues.list', { onlyBookable: true })).rows;
  const accounts = await admin.call('custody.accounts.list', {});
  const overview = await admin.call('custody.overview', {});
  const bank = overview.bankAccounts[0];
  const orgs = accounts.map((a) => a.orgId);
  const today = todayInChina();

  const times = new Map<string, number[]>();
  const record = (kind: string, ms: number) => (times.get(kind) ?? times.set(kind, []).get(kind)!).push(ms);
  let errors = 0;
  let expected = 0;
  const errorSamples: string[] = [];
  let peakRss = process.memoryUsage().rss;
  const mem = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
  const end = performance.now() + duration;
  const terms = ['社区', '协会', '志愿', '服务', 'llsw', '1380'];

  const timed = async (kind: string, fn: () => Promise<{ ok: boolean; error?: { code: string; message: string } }>, expectedCodes: string[] = []) => {
    const t0 = performance.now();
    const r = await fn();
    record(kind, performance.now() - t0);
    if (!r.ok) {
      if (expectedCodes.includes(r.error!.code)) expected++;
      else {
        errors++;
        if (errorSamples.length < 5) errorSamples.push(`${kind}: ${r.error!.code} ${r.error!.message}`);
      }
    }
  };

  await Promise.all(
    clients.map(async ({ c, u }, n) => {
      let i = 0;
      const finance = u === 'admin' || u === 'wangfang' || u === 'chenjing';
      while (performance.now() < end) {
        i++;
        await timed('read: organizations.list page', () => c.invoke('organizations.list', { startRow: (i % 5) * 100, endRow: (i % 5) * 100 + 100, withCount: true }) as never);
        await timed('read: organizations search', () => c.invoke('organizations.list', { startRow: 0, endRow: 100, withCount: true, search: terms[i % terms.length] }) as never);
        await timed('read: dashboard.summary', () => c.invoke('dashboard.summary', {}) as never);
        await timed('read: custody.vouchers.list', () => c.invoke('custody.vouchers.list', { startRow: 0, endRow: 100, sort: [], filter: {} }) as never);
        await timed('read: venues.list', () => c.invoke('venues.list', { onlyBookable: false }) as never);
        if ((u === 'admin' || u === 'zhangli' || u === 'liming') && venues.length) {
          const v = venues[(n * 7 + i) % venues.length];
          const date = addDays(today, 3 + ((n * 13 + i) % 60));
          const hour = 9 + ((n + i) % 8);
          await timed(
            'write: venues.bookings.create',
            () =>
              c.invoke('venues.bookings.create', {
                venueId: v.id,
                organizationId: orgs[(n + i) % orgs.length],
                start: `${date}T${String(hour).padStart(2, '0')}:00`,
                end: `${date}T${String(hour + 1).padStart(2, '0')}:00`,
                purpose: '基准测试活动',
                expectedAttendance: 5,
              }) as never,
            ['CONFLICT', 'RULE'],
          );
        }
        if (finance && bank) {
          await timed('write: custody.vouchers.create', () =>
            c.invoke('custody.vouchers.create', {
              kind: 'receipt',
              date: today,
              amountFen: 10_000 + i,
              orgId: orgs[(n + i) % orgs.length],
              toOrgId: null,
              bankAccountId: bank.id,
              sourceId: null,
              projectId: null,
              budgetLineId: null,
              counterparty: '基准测试单位',
              purpose: `基准测试收款 ${n}-${i}`,
            }) as never,
          );
        }
      }
    }),
  );
  clearInterval(mem);
  for (const { c } of clients) c.close();
  let total = 0;
  for (const list of times.values()) total += list.length;
  return { times, total, errors, expected, errorSamples, peakRss };
}
