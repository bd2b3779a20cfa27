import { fork } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { Session } from 'node:inspector';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { Core } from '../../electron/core/core';
import { startOfficeServer } from '../../electron/host/office';
import { ensureCertificate } from '../../electron/host/certificate';
import { APP_VERSION } from '../../electron/core/version';
import { DEMO_PASSWORD } from '../../electron/core/seed';
import { addDays, todayInChina } from '@shared/dates/parse';
import type { Bench } from './bench';
import { THINK_MS, type ClientsJob, type ClientsResult } from './serverClients';

/**
 * `npm run bench -- server`: 10 simulated office users over HTTPS (pinned, keep-alive) against one office server
 * on the bench hub (demo data at scale 10), for 60 s (INCUBASE_SERVER_BENCH_MS).
 *
 * - The users run in a SEPARATE process (tests/bench/serverClients.ts, forked): in an office they are other PCs,
 *   so their TLS and JSON work does not compete with the server's event loop, and the server's peak memory (RSS)
 *   is sampled in the server's own process (this one) without the clients in it.
 * - Target run (`server.<call>.p50/p95`, targets from the issue: reads < 50 ms, writes < 100 ms): each user does
 *   what a person at a screen does: one screen action (the calls a screen makes when it opens: 组织台账 = a page
 *   with its count + the saved views; 凭证 = the list + the accounts; 场地日历 = the venues + a week; a search, a
 *   detail, 工作台, a booking, a voucher — weighted by role), then a think time drawn uniformly from 0.3–3 s by a
 *   seeded generator (THINK_MS: reading the screen, typing, deciding; short for a real office, which makes
 *   the run harder rather than easier). The same seeds give both servers the same actions and pauses.
 * - Capacity run (`server.capacity.*`, no target): the same users and mix with no pause at all — every user keeps
 *   a call in flight — for INCUBASE_SERVER_BENCH_SATURATION_MS (default 20 s): throughput and p95 at saturation,
 *   where p95 is mostly queueing (≈ 10 waiting calls × one call's service time).
 * - Raw baseline, same run, same clients, same pace, both runs: a plain node:https handler with the same
 *   certificate that only parses the body, finds the session cookie and calls core.invoke — no fastify, no host
 *   guards, no cookies plugin, no throttle. The ratio is what the office server's own layers cost.
 * - Also one call in-process (no TLS, no HTTP, nothing queued), and the 1-minute load average of the machine.
 * - On PostgreSQL (`npm run bench -- --database pg server`: the runner's private server; or
 *   INCUBASE_BENCH_DATABASE=postgres://…, or =pg under scripts/with-postgres.ts, see benchDatabaseUrl): the core and the demo hub on that database, figures named `server.pg.*`; the raw baseline
 *   calls the same core, so it runs on the same engine.
 * - INCUBASE_SERVER_BENCH_PROFILE=file.cpuprofile: a CPU profile of this (the server's) process during the
 *   capacity run against the office server (open it in Chrome DevTools or `npx tsx scripts/profile-summary.ts`).
 */
/** On both engines: `npm run bench -- --database pg server` runs it on SQLite and then on the runner's PostgreSQL. */
export const engines = ['sqlite', 'postgres'];

export default async function (b: Bench) {
  const pgUrl = b.engine === 'postgres' ? await b.database('server') : benchDatabaseUrl();
  const dir = b.workDir(pgUrl ? 'server-scale10-pg' : 'server-scale10');
  // On PostgreSQL the database is the runner's fresh one: the folder (keys, attachments) starts fresh with it,
  // else a folder that has held a hub with no hub in its database would open in recovery.
  if (pgUrl) for (const f of readdirSync(dir)) rmSync(join(dir, f), { recursive: true, force: true });
  const fresh = pgUrl ? true : !existsSync(join(dir, 'incubase.db'));
  const core = await Core.open({ dataDir: dir, seed: 'demo', demoScale: 10, autoBackup: false, ...(pgUrl ? { database: pgUrl } : {}) });
  if (fresh) process.stderr.write(`server bench: the bench hub (scale 10) on ${pgUrl ? 'PostgreSQL' : 'SQLite'}\n`);
  const engine = pgUrl ? 'pg' : 'sqlite';
  const DURATION = Number(process.env.INCUBASE_SERVER_BENCH_MS ?? 60_000);
  const SATURATION = Number(process.env.INCUBASE_SERVER_BENCH_SATURATION_MS ?? 20_000);
  const profile = process.env.INCUBASE_SERVER_BENCH_PROFILE;
  const loads: number[] = [loadavg()[0]];

  const office = await startOfficeServer({ core, port: 0, host: '127.0.0.1', loginThrottle: { max: 1000, windowMs: 60_000 } });
  const officeAddress = { address: `https://127.0.0.1:${office.port}`, fingerprint: office.fingerprint };
  const raw = await startRawServer(core);
  const rawAddress = { address: `https://127.0.0.1:${raw.port}`, fingerprint: raw.fingerprint };

  // Warm-up (not reported): JIT, statement caches and page cache for both servers before anything is measured.
  const WARMUP = Number(process.env.INCUBASE_SERVER_BENCH_WARMUP_MS ?? 3000);
  await runClientsProcess({ ...officeAddress, durationMs: WARMUP, pace: 'saturation', seed: 9 });
  await runClientsProcess({ ...rawAddress, durationMs: WARMUP, pace: 'saturation', seed: 9 });

  const served = await runClientsProcess({ ...officeAddress, durationMs: DURATION, pace: 'think', seed: 1 });
  loads.push(loadavg()[0]);
  const baseline = await runClientsProcess({ ...rawAddress, durationMs: DURATION, pace: 'think', seed: 1 });
  loads.push(loadavg()[0]);
  const stopProfile = profile ? await startProfile() : null;
  const capacity = await runClientsProcess({ ...officeAddress, durationMs: SATURATION, pace: 'saturation', seed: 2 });
  if (stopProfile) writeFileSync(profile!, JSON.stringify(await stopProfile()));
  loads.push(loadavg()[0]);
  const capacityBase = await runClientsProcess({ ...rawAddress, durationMs: SATURATION, pace: 'saturation', seed: 2 });
  loads.push(loadavg()[0]);
  await office.close();
  await new Promise<void>((r) => raw.server.close(() => r()));

  const prefix = engine === 'pg' ? 'server.pg' : 'server';
  for (const [kind, list] of Object.entries(served.times)) {
    const base = baseline.times[kind] ?? [];
    for (const q of [50, 95] as const) {
      const v = pct(list, q);
      const bv = pct(base, q);
      b.report({ name: `${prefix}.${kind}.p${q}`, value: v, unit: 'ms', baseline: bv, ratio: bv ? +(v / bv).toFixed(2) : undefined, ...(q === 95 ? { target: kind.startsWith('read') ? '< 50 ms' : '< 100 ms' } : {}) });
    }
  }
  for (const side of ['read', 'write'] as const) {
    const all = (t: Record<string, number[]>) => Object.entries(t).filter(([k]) => k.startsWith(side)).flatMap(([, v]) => v);
    const v = pct(all(served.times), 95);
    const bv = pct(all(baseline.times), 95);
    b.report({ name: `${prefix}.${side}s_all.p95`, value: v, unit: 'ms', baseline: bv, target: side === 'read' ? '< 50 ms' : '< 100 ms' });
  }
  b.report({ name: `${prefix}.throughput`, value: calls(served) / (served.result.durationMs / 1000), unit: 'calls/s', baseline: calls(baseline) / (baseline.result.durationMs / 1000) });
  b.report({ name: `${prefix}.cpu_per_call`, value: served.cpuMs / calls(served), unit: 'ms CPU (server process)', baseline: baseline.cpuMs / calls(baseline) });
  b.report({ name: `${prefix}.screen_actions`, value: served.result.actions, unit: `actions (10 users, think ${THINK_MS.min}–${THINK_MS.max} ms)` });
  b.report({ name: `${prefix}.calls`, value: calls(served), unit: 'calls' });
  b.report({ name: `${prefix}.errors_unexpected`, value: served.result.errors + baseline.result.errors + capacity.result.errors + capacityBase.result.errors, unit: 'errors', target: '0' });
  b.report({ name: `${prefix}.refusals_expected`, value: served.result.expected, unit: 'refusals' });
  b.report({ name: `${prefix}.peak_rss`, value: served.peakRss / 1024 / 1024, unit: 'MiB (server process)' });

  // Capacity: no pause, no target.
  for (const [kind, list] of Object.entries(capacity.times)) {
    const bv = pct(capacityBase.times[kind] ?? [], 95);
    b.report({ name: `${prefix}.capacity.${kind}.p95`, value: pct(list, 95), unit: 'ms', baseline: bv });
  }
  b.report({ name: `${prefix}.capacity.throughput`, value: calls(capacity) / (capacity.result.durationMs / 1000), unit: 'calls/s', baseline: calls(capacityBase) / (capacityBase.result.durationMs / 1000) });
  b.report({ name: `${prefix}.capacity.cpu_per_call`, value: capacity.cpuMs / calls(capacity), unit: 'ms CPU (server process)', baseline: capacityBase.cpuMs / calls(capacityBase) });
  b.report({ name: `${prefix}.capacity.peak_rss`, value: capacity.peakRss / 1024 / 1024, unit: 'MiB (server process)' });
  b.report({ name: `${prefix}.load_average_1min`, value: +(loads.reduce((s, x) => s + x, 0) / loads.length).toFixed(1), unit: `load (${loads.map((l) => l.toFixed(1)).join(' → ')}; 2 cores)` });
  const errorSamples = [served, baseline, capacity, capacityBase].flatMap((r) => r.result.errorSamples);
  if (errorSamples.length) process.stderr.write(`server bench errors:\n${errorSamples.join('\n')}\n`);

  // One call alone, in-process: no TLS, no HTTP, nothing queued.
  const token = (await core.invoke('auth.login', { username: 'admin', password: DEMO_PASSWORD })).sessionToken!;
  const one = await b.timeP95(50, () => core.invoke('organizations.list', { startRow: 0, endRow: 100, withCount: true }, token));
  b.report({ name: `${prefix}.baseline_inprocess.organizations.list.p95`, value: one, unit: 'ms' });
  // CPU of each read call of the mix in-process (process CPU time, so a loaded machine does not inflate it):
  // what the call itself costs, before TLS, HTTP and queueing.
  const today = todayInChina();
  const venueId = ((await core.invoke('venues.list', { onlyBookable: false }, token)).data as { rows: { id: string }[] }).rows[0]?.id;
  const orgId = ((await core.invoke('organizations.list', { startRow: 0, endRow: 5 }, token)).data as { rows: { id: string }[] }).rows[2]?.id;
  const reads: [string, string, unknown][] = [
    ['organizations.list page', 'organizations.list', { startRow: 100, endRow: 200, withCount: true }],
    ['organizations search', 'organizations.list', { startRow: 0, endRow: 100, withCount: true, search: '社区' }],
    ['organizations.get', 'organizations.get', { id: orgId }],
    ['organizations.views.list', 'organizations.views.list', {}],
    ['dashboard.summary', 'dashboard.summary', {}],
    ['custody.vouchers.list', 'custody.vouchers.list', { startRow: 0, endRow: 100, sort: [], filter: {} }],
    ['custody.accounts.list', 'custody.accounts.list', {}],
    ['venues.list', 'venues.list', { onlyBookable: false }],
    ['venues.bookings.calendar (1 venue, week)', 'venues.bookings.calendar', { venueIds: [venueId], from: today, to: addDays(today, 6), includeCancelled: false }],
  ];
  // On PostgreSQL each call also beside plain `pg` sending the same statements (recorded from the call itself,
  // without the dispatcher's session/settings/lock statement) on one plain client: CPU and wall per call.
  const rawPg = pgUrl ? await b.rawPg(pgUrl) : null;
  for (const [label, name, input] of reads) {
    const N = 40;
    for (let i = 0; i < 5; i++) await core.invoke(name, input, token);
    const w0 = performance.now();
    const c0 = process.cpuUsage();
    let failed: string | null = null;
    for (let i = 0; i < N && !failed; i++) {
      const r = await core.invoke(name, input, token);
      if (!r.ok) failed = `${r.error?.code} ${r.error?.message}`;
    }
    const c = process.cpuUsage(c0);
    const wall = (performance.now() - w0) / N;
    if (failed) {
      // Counted in errors_unexpected above; no figure for a call that does not answer on this engine.
      process.stderr.write(`server bench: ${name} refused in-process on ${engine}: ${failed}\n`);
      continue;
    }
    const cpu = (c.user + c.system) / 1000 / N;
    if (!rawPg) {
      b.report({ name: `${prefix}.cpu_inprocess.${label}`, value: cpu, unit: 'ms CPU' });
      continue;
    }
    const statements = (await recordStatements(() => core.invoke(name, input, token))).filter((q) => !/FROM office_lock l WHERE/.test(q.text));
    for (let i = 0; i < 5; i++) for (const q of statements) await rawPg.query(q.text, q.values);
    const rw0 = performance.now();
    const rc0 = process.cpuUsage();
    for (let i = 0; i < N; i++) for (const q of statements) await rawPg.query(q.text, q.values);
    const rc = process.cpuUsage(rc0);
    const rawWall = (performance.now() - rw0) / N;
    b.report({ name: `${prefix}.cpu_inprocess.${label}`, value: cpu, unit: `ms CPU (raw pg: the call's ${statements.length} statements)`, baseline: (rc.user + rc.system) / 1000 / N });
    b.report({ name: `${prefix}.wall_inprocess.${label}`, value: wall, unit: `ms (raw pg: the call's ${statements.length} statements)`, baseline: rawWall });
  }
  await rawPg?.end();
  await core.close();
}

/**
 * The PostgreSQL database the bench runs on, if any: INCUBASE_BENCH_DATABASE (a postgres:// URL; the runner's
 * `--database pg` sets it), or — run under scripts/with-postgres.ts — its INCUBASE_TEST_DATABASE when
 * INCUBASE_BENCH_DATABASE=pg. Unset: the SQLite file.
 */
/** The statements (text and values) the pool's clients send while `fn` runs (nothing else runs meanwhile). */
async function recordStatements(fn: () => Promise<unknown>): Promise<{ text: string; values: unknown[] }[]> {
  const proto = pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
  const query = proto.query;
  const seen: { text: string; values: unknown[] }[] = [];
  proto.query = function (this: unknown, ...a: unknown[]) {
    const q = a[0] as string | { text: string; values?: unknown[] };
    seen.push(typeof q === 'string' ? { text: q, values: (a[1] as unknown[]) ?? [] } : { text: q.text, values: q.values ?? [] });
    return query.apply(this, a);
  };
  try {
    await fn();
  } finally {
    proto.query = query;
  }
  return seen;
}

function benchDatabaseUrl(): string | undefined {
  const v = process.env.INCUBASE_BENCH_DATABASE;
  if (!v || v === 'sqlite') return undefined;
  if (v === 'pg' || v === 'postgres') {
    if (!process.env.INCUBASE_TEST_DATABASE) throw new Error('INCUBASE_BENCH_DATABASE=pg: run under `npx tsx scripts/with-postgres.ts -- …` (it sets INCUBASE_TEST_DATABASE)');
    return process.env.INCUBASE_TEST_DATABASE;
  }
  return v;
}

const calls = (r: { times: Record<string, number[]> }) => Object.values(r.times).reduce((s, l) => s + l.length, 0);

function pct(list: number[], q: number): number {
  if (!list.length) return 0;
  const sorted = [...list].sort((x, y) => x - y);
  return +sorted[Math.min(sorted.length - 1, Math.floor((q / 100) * sorted.length))].toFixed(2);
}

/** Forks the users' process, hands it the job and samples this (the server's) process's RSS meanwhile. */
async function runClientsProcess(job: ClientsJob): Promise<{ result: ClientsResult; times: Record<string, number[]>; peakRss: number; cpuMs: number }> {
  let peakRss = process.memoryUsage().rss;
  let cpu0: NodeJS.CpuUsage | null = null;
  const mem = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
  try {
    const child = fork(join(__dirname, 'serverClients.ts'), [], {
      // tsx's loader comes with execArgv; a CPU profile is of the server only.
      execArgv: process.execArgv.filter((a) => !a.startsWith('--cpu-prof')),
      env: { ...process.env, INCUBASE_BENCH_CLIENTS: '1' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const answer = await new Promise<{ result?: ClientsResult; error?: string }>((resolve, reject) => {
      child.on('message', (m: { ready?: boolean; result?: ClientsResult; error?: string }) => {
        if (m.ready) cpu0 = process.cpuUsage();
        else resolve(m);
      });
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`the clients' process ended (${code}) without a result`)));
      child.send(job);
    });
    // Server CPU while the users work (their connects and logins, with the password hashing, come before).
    const cpu = process.cpuUsage(cpu0!);
    if (!answer.result) throw new Error(`server bench clients: ${answer.error}`);
    return { result: answer.result, times: answer.result.times, peakRss, cpuMs: (cpu.user + cpu.system) / 1000 };
  } finally {
    clearInterval(mem);
  }
}

/** CPU profile of this process through the inspector (no flag needed); the stop function returns the profile. */
async function startProfile(): Promise<() => Promise<object>> {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params ?? {}, (e, r) => (e ? reject(e) : resolve(r))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  return async () => {
    const r = (await post('Profiler.stop')) as { profile: object };
    session.disconnect();
    return r.profile;
  };
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
  // As fastify's default: idle desks keep their connection (Node's 5 s would reset sockets a client is about to reuse).
  server.keepAliveTimeout = 72_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, port: (server.address() as { port: number }).port, fingerprint: cert.fingerprint };
}
