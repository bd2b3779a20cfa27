import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Core } from '../../electron/core/core';
import { startOfficeServer } from '../../electron/host/office';
import { ServerClient } from '../../electron/node/serverClient';
import { DEMO_PASSWORD } from '../../electron/core/seed';
import { addDays, todayInChina } from '@shared/dates/parse';
import type { Bench } from './bench';

/**
 * `npm run bench -- server`: 10 simulated clients over HTTPS (pinned, keep-alive) against one office server on
 * the bench hub (demo data at scale 10), each a realistic mix for 60 s: list pages, searches, the dashboard,
 * venue bookings and vouchers. p50/p95 per call kind, throughput, errors other than expected refusals
 * (a booking colliding with another is CONFLICT/RULE: expected), server peak memory (RSS, same process).
 * Baseline: the same calls through core.invoke in-process (no network, no TLS), one client.
 */
export default async function (b: Bench) {
  const dir = b.workDir('server-scale10');
  const fresh = !existsSync(join(dir, 'incubase.db'));
  const core = await Core.open({ dataDir: dir, seed: 'demo', demoScale: 10, autoBackup: false });
  if (fresh) process.stderr.write('server bench: seeded the bench hub (scale 10)\n');
  const server = await startOfficeServer({ core, port: 0, host: '127.0.0.1', loginThrottle: { max: 1000, windowMs: 60_000 } });
  const users = ['admin', 'zhangli', 'wangfang', 'liming', 'chenjing', 'admin', 'zhangli', 'wangfang', 'liming', 'chenjing'];
  const clients = await Promise.all(
    users.map(async (u) => {
      const c = new ServerClient({ address: `https://127.0.0.1:${server.port}`, fingerprint: server.fingerprint });
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
  const DURATION = Number(process.env.INCUBASE_SERVER_BENCH_MS ?? 60_000);
  const end = performance.now() + DURATION;
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

  let total = 0;
  for (const [kind, list] of times) {
    total += list.length;
    const sorted = [...list].sort((x, y) => x - y);
    const p = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor((q / 100) * sorted.length))];
    b.report({ name: `server.${kind}.p50`, value: p(50), unit: 'ms' });
    b.report({ name: `server.${kind}.p95`, value: p(95), unit: 'ms', target: kind.startsWith('read') ? '< 50 ms' : '< 100 ms' });
  }
  b.report({ name: 'server.throughput', value: total / (DURATION / 1000), unit: 'calls/s' });
  b.report({ name: 'server.calls', value: total, unit: 'calls' });
  b.report({ name: 'server.errors_unexpected', value: errors, unit: 'errors', target: '0' });
  b.report({ name: 'server.refusals_expected', value: expected, unit: 'refusals' });
  b.report({ name: 'server.peak_rss', value: peakRss / 1024 / 1024, unit: 'MiB' });
  if (errorSamples.length) process.stderr.write(`server bench errors:\n${errorSamples.join('\n')}\n`);

  // Baseline: the same read mix in-process, no TLS, no HTTP.
  const token = (await core.invoke('auth.login', { username: 'admin', password: DEMO_PASSWORD })).sessionToken!;
  const baseline = await b.timeP95(50, () => core.invoke('organizations.list', { startRow: 0, endRow: 100, withCount: true }, token));
  b.report({ name: 'server.baseline_inprocess.organizations.list.p95', value: baseline, unit: 'ms' });
  for (const { c } of clients) c.close();
  await server.close();
  await core.close();
}
