import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Core } from '../../electron/core/core';
import { CLI_USER } from '../../electron/cli/context';
import { buildSubmissionPackage } from '../../electron/core/submission/package/build';
import { forgetSm2Verifiers, generateHubKeyPair } from '../../electron/core/submission/package/keys';
import { verifyPackage } from '../../electron/core/submission/package/verify';
import { setSm3Implementation, sm3Ready } from '../../electron/core/submission/package/digest';
import { openCoreSnapshot } from '../../electron/core/submission/extract';
import { consolidateOrigins, type OriginData } from '../../electron/core/submission/consolidate';
import { demoHubData } from '../../electron/core/submission/seed';
import { SeededRandom } from '../../electron/core/seed/random';
import { requirePeriod } from '@shared/submission/period';
import type { PackageData } from '@shared/submission/records';
import type { Bench } from './bench';
import { hubOnEngine, rawDb } from './benchEngine';

const ORGS = 50_000;
const JOURNAL = 1_000_000;
const ATTENDANCES = 300_000;
const PERIOD = requirePeriod('2026');

/**
 * Highest resident set size seen while `fn` runs (sampled every 10 ms), in MiB, and the process CPU time it
 * used (all threads: JS, SQLite, zlib). On a shared machine the wall time grows with the other processes'
 * load; the CPU time does not, so both are reported.
 */
async function peakRss<T>(fn: () => Promise<T>): Promise<{ result: T; peakMiB: number; cpuMs: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const cpu0 = process.cpuUsage();
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    const cpu = process.cpuUsage(cpu0);
    return { result, peakMiB: peak / 1024 / 1024, cpuMs: (cpu.user + cpu.system) / 1000 };
  } finally {
    clearInterval(timer);
  }
}

/** CPU time (ms, all threads of this process) of `fn`. */
async function cpuOf<T>(fn: () => Promise<T>): Promise<{ result: T; cpuMs: number }> {
  const cpu0 = process.cpuUsage();
  const result = await fn();
  const cpu = process.cpuUsage(cpu0);
  return { result, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** Records generated on the fly: the package engine never sees them all at once. */
function* organizations(hub: string): Generator<PackageData['organizations'][number]> {
  for (let i = 0; i < ORGS; i++) {
    yield {
      gid: `${hub}:org-${i}`,
      name: `基准组织${i}号互助会`,
      creditCode: null,
      managementClass: (['registered', 'filed', 'guided'] as const)[i % 3],
      fieldCode: `F0${(i % 5) + 1}`,
      fieldLabel: ['为民服务', '公益慈善', '邻里互助', '文体娱乐', '农村生产技术服务'][i % 5],
      regionCode: `510107${String((i % 14) + 1).padStart(3, '0')}${String((i % 20) + 1).padStart(3, '0')}`,
      regionName: `社区${i % 280}`,
      urbanRural: i % 4 === 0 ? 'rural' : 'urban',
      stage: i % 7 === 0 ? 'incubating' : null,
      foundedOn: '2024-05-01',
      memberCount: 10 + (i % 50),
      volunteerCount: i % 12,
      status: 'active',
    };
  }
}
function* journal(hub: string): Generator<PackageData['custody_entries'][number]> {
  for (let i = 0; i < JOURNAL; i++) {
    const receipt = i % 3 !== 0;
    yield {
      gid: `${hub}:cj-${i}`,
      orgGid: `${hub}:org-${i % 2000}`,
      date: `2026-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
      kind: receipt ? 'receipt' : 'disbursement',
      sourceCode: `Z0${(i % 7) + 1}`,
      sourceLabel: ['政府购买服务', '公益创投', '社区基金(会)', '福利彩票公益金', '社会捐赠', '会费', '其他'][i % 7],
      amountFen: receipt ? 100_000 + (i % 997) * 100 : 20_000 + (i % 89) * 100,
      voucherNo: `2026-${i}`,
    };
  }
}
function* sessions(hub: string): Generator<PackageData['training_sessions'][number]> {
  for (let s = 0; s < 3000; s++) {
    yield { gid: `${hub}:ts-${s}`, title: `培训${s}`, categoryCode: `C0${(s % 6) + 1}`, categoryLabel: `类别${(s % 6) + 1}`, formatLabel: '示范培训', date: `2026-${String((s % 12) + 1).padStart(2, '0')}-15`, minutes: 120 };
  }
}
function* attendances(hub: string): Generator<PackageData['attendances'][number]> {
  for (let a = 0; a < ATTENDANCES; a++) {
    yield { gid: `${hub}:att-${a}`, sessionGid: `${hub}:ts-${a % 3000}`, traineeGid: `${hub}:tr-${a % 40_000}`, roleCode: `R0${(a % 6) + 1}`, roleLabel: `角色${(a % 6) + 1}`, status: a % 10 === 0 ? 'absent' : 'present' };
  }
}

async function bigPackage(b: Bench): Promise<void> {
  const dir = b.workDir('submission-big');
  const key = generateHubKeyPair();
  const out = join(dir, 'big.incubase');
  rmSync(out, { force: true });
  global.gc?.();
  const t0 = performance.now();
  const { result, peakMiB, cpuMs } = await peakRss(() =>
    buildSubmissionPackage({
      outPath: out,
      hub: { hubId: 'bench-hub', hubName: '基准孵化基地', regionCode: '510107000000', level: 'county' },
      period: PERIOD.text,
      sources: { organizations: organizations('bench-hub'), custody_entries: journal('bench-hub'), training_sessions: sessions('bench-hub'), attendances: attendances('bench-hub') },
      privateKeyPem: key.privateKeyPem,
      now: new Date('2027-01-05T02:00:00Z'),
    }),
  );
  const ms = performance.now() - t0;
  b.report({ name: 'submission.build 50k orgs + 1M journal lines + 300k attendances (engine, streamed records)', value: ms, unit: 'ms', target: '< 20000 ms' });
  b.report({ name: 'submission.build (engine) CPU time', value: cpuMs, unit: 'ms' });
  b.report({ name: 'submission.build peak RSS', value: peakMiB, unit: 'MiB', target: '< 1024 MiB' });
  b.report({ name: 'submission.build package size', value: statSync(out).size / 1024 / 1024, unit: 'MiB' });
  const t1 = performance.now();
  const { result: v, cpuMs: verifyCpu } = await cpuOf(() => verifyPackage(out, { resolveKeys: () => [{ publicKeyPem: key.publicKeyPem }] }));
  b.report({ name: 'submission.verify the same package (stream, hash, parse every line)', value: performance.now() - t1, unit: 'ms' });
  b.report({ name: 'submission.verify CPU time', value: verifyCpu, unit: 'ms' });
  if (v.manifest.recordCounts.custody_entries !== JOURNAL || result.measures.organizations !== ORGS) throw new Error('bench package incomplete');
}

/**
 * The same sizes read from a real database: the custody bench's 1,000,000-line ledger (when it is in the bench
 * folder) copied, topped up to 50,000 organizations and 300,000 attendances, then built by the real path
 * (read-only snapshot → package).
 */
async function bigFromDatabase(b: Bench): Promise<void> {
  const source = join(b.workDir('custody-1m', 'sqlite'), 'incubase.db');
  if (!existsSync(join(b.workDir('custody-1m', 'sqlite'), 'ready'))) {
    process.stderr.write('# submission: custody-1m ledger not in the bench folder (run `npm run bench -- custody` first); database figure skipped\n');
    return;
  }
  const dir = b.workDir('submission-db', 'sqlite');
  const marker = join(dir, 'ready');
  if (!existsSync(marker)) {
    rmSync(join(dir, 'incubase.db'), { force: true });
    copyFileSync(source, join(dir, 'incubase.db'));
    const core = await Core.open({ dataDir: dir, seed: 'empty', autoBackup: false });
    if (core.recovery) {
      await core.close();
      process.stderr.write(`# submission: the custody-1m ledger is not usable by this version (${core.recovery.reason}); rerun \`npm run bench -- custody\`; database figures skipped\n`);
      return;
    }
    const db = core.sqlite;
    const now = new Date().toISOString();
    const have = (db.prepare('SELECT count(*) AS n FROM organizations').get() as { n: number }).n;
    const insOrg = db.prepare(`INSERT INTO organizations (id, name, mgmt_class, area_type, field_code, created_at, updated_at) VALUES (?, ?, ?, ?, 'F01', ?, ?)`);
    const insSession = db.prepare(`INSERT INTO training_sessions (id, title, category, format, date, minutes, trainer, status, created_at, updated_at) VALUES (?, ?, ?, 'M01', ?, 120, '讲师', 'planned', ?, ?)`);
    const insTrainee = db.prepare(`INSERT INTO training_trainees (id, name, name_key, role, readings, created_at, updated_at) VALUES (?, ?, ?, ?, '[]', ?, ?)`);
    const insAtt = db.prepare(`INSERT INTO training_attendance (session_id, trainee_id, status, source, session_date, category, format, role, attended, updated_at)
      VALUES (?, ?, 'present', 'import', ?, ?, 'M01', ?, 1, ?)`);
    db.transaction(() => {
      for (let i = have; i < ORGS; i++) insOrg.run(`bench-sub-org-${i}`, `基准组织${i}号服务队`, (['registered', 'filed', 'guided'] as const)[i % 3], i % 4 ? 'urban' : 'rural', now, now);
      for (let s = 0; s < 3000; s++) insSession.run(`bench-ts-${s}`, `培训${s}`, `C0${(s % 6) + 1}`, `2026-${String((s % 12) + 1).padStart(2, '0')}-15`, now, now);
      for (let t = 0; t < 3000; t++) insTrainee.run(`bench-tr-${t}`, `学员${t}`, `xy${t}`, `R0${(t % 6) + 1}`, now, now);
      for (let a = 0; a < ATTENDANCES; a++) {
        const s = a % 3000;
        const t = Math.floor(a / 3000) * 30 + (a % 30); // 100 trainees per session, distinct pairs
        insAtt.run(`bench-ts-${s}`, `bench-tr-${(t + s) % 3000}`, `2026-${String((s % 12) + 1).padStart(2, '0')}-15`, `C0${(s % 6) + 1}`, `R0${(t % 6) + 1}`, now);
      }
    })();
    await core.close();
    writeFileSync(marker, 'ok');
  }
  const probe = await Core.open({ dataDir: dir, seed: 'empty', autoBackup: false });
  const recovery = probe.recovery;
  await probe.close();
  if (recovery) {
    // The cached copy was made by an older schema (the custody ledger's folder too, perhaps): drop it so the
    // next run copies again, and say why this figure is missing.
    rmSync(marker, { force: true });
    process.stderr.write(`# submission: cached bench database not usable (${recovery.reason}); removed, rerun after \`npm run bench -- custody\`\n`);
    return;
  }
  // On PostgreSQL the same hub, copied into a database of its own.
  const core = await Core.open({ ...(await hubOnEngine(b, 'submission-db', dir)), seed: 'empty', autoBackup: false });
  const raw = await rawDb(core);
  try {
    await dashboardFigures(b, core);
    const hub = (await raw.get<{ hub_id: string }>('SELECT hub_id FROM hub'))!;
    const counts = (await raw.get<{ o: number; j: number; a: number }>(`SELECT (SELECT count(*) FROM organizations) AS o, (SELECT count(*) FROM custody_journal) AS j, (SELECT count(*) FROM training_attendance) AS a`))!;
    const key = generateHubKeyPair();
    const out = join(dir, 'db.incubase');
    rmSync(out, { force: true });
    const period = requirePeriod('2026');
    const t0 = performance.now();
    const { result, peakMiB, cpuMs } = await peakRss(async () => {
      const snap = await openCoreSnapshot(core, hub.hub_id, period);
      try {
        return await buildSubmissionPackage({
          outPath: out,
          hub: { hubId: hub.hub_id, hubName: '基准孵化基地', regionCode: '510107000000', level: 'county' },
          period: period.text,
          sources: snap.sources,
          privateKeyPem: key.privateKeyPem,
          now: new Date('2027-01-05T02:00:00Z'),
        });
      } finally {
        snap.close();
      }
    });
    const ms = performance.now() - t0;
    b.report({
      name: `submission.build from the database (${counts.o} orgs, ${counts.j} journal lines of which ${result.manifest.recordCounts.custody_entries} custody lines, ${counts.a} attendances)`,
      value: ms,
      unit: 'ms',
      target: '< 20000 ms',
    });
    b.report({ name: 'submission.build from the database peak RSS (process)', value: peakMiB, unit: 'MiB', target: '< 1024 MiB' });
    b.report({ name: 'submission.build from the database CPU time', value: cpuMs, unit: 'ms' });

    // What the director's button does: the pre-build check list, then `submission.build` (checks again,
    // snapshot, every record checked against its schema, signed, recorded and audited, file returned).
    rmSync(join(dir, 'submissions'), { recursive: true, force: true });
    const t1 = performance.now();
    const checks = await cpuOf(() => core.invokeAs(CLI_USER, 'submission.checks', { period: period.text }));
    const checksMs = performance.now() - t1;
    if (!checks.result.ok) throw new Error(checks.result.error?.message);
    const confirm = (checks.result.data as { items: { code: string }[] }).items.map((i) => i.code);
    const t2 = performance.now();
    const call = await peakRss(() => core.invokeAs(CLI_USER, 'submission.build', { period: period.text, confirm }));
    const callMs = performance.now() - t2;
    if (!call.result.ok) throw new Error(call.result.error?.message);
    b.report({ name: 'submission.checks (pre-build list) over the same database', value: checksMs, unit: 'ms' });
    b.report({ name: 'submission.checks CPU time', value: checks.cpuMs, unit: 'ms' });
    b.report({ name: 'submission.build call (checks, snapshot, schema check of every record, sign, record, return file)', value: callMs, unit: 'ms', target: '< 20000 ms' });
    b.report({ name: 'submission.build call CPU time', value: call.cpuMs, unit: 'ms' });
    b.report({ name: 'submission.build call peak RSS (process)', value: call.peakMiB, unit: 'MiB', target: '< 1024 MiB' });
  } finally {
    await raw.close();
    await core.close();
  }
}

/**
 * The 工作台 over the same database (1,000,000 journal lines): its custody-by-source tile, read from the liability
 * lines' index (0016), beside the former whole-ledger query in plain better-sqlite3; then the whole
 * `dashboard.summary` call. Wall time (median of 5) and this process's CPU time (median of 5).
 */
export async function dashboardFigures(b: Bench, core: Core): Promise<void> {
  const db = await rawDb(core);
  try {
    await dashboardOn(b, core, db);
  } finally {
    await db.close();
  }
}

async function dashboardOn(b: Bench, core: Core, db: Awaited<ReturnType<typeof rawDb>>): Promise<void> {
  const lines = (await db.get<{ n: number }>('SELECT count(*) AS n FROM custody_journal'))!.n;
  const tileSql = `SELECT s.kind AS k, -sum(t.total) AS s
    FROM (SELECT j.source_id, sum(j.amount_fen) AS total FROM custody_journal j
          WHERE substr(j.account_code, 1, 4) IN ('2601', '2209') GROUP BY j.source_id) t
    LEFT JOIN custody_sources s ON s.id = t.source_id GROUP BY s.kind ORDER BY s.kind`;
  // NOT INDEXED (SQLite): the former query as it ran before the index existed (it would now use the index too).
  // PostgreSQL has no such hint: the same query, planned as it likes.
  const wholeLedgerSql = `SELECT s.kind AS k, -sum(j.amount_fen) AS s FROM custody_journal j ${db.engine === 'sqlite' ? 'NOT INDEXED ' : ''}LEFT JOIN custody_sources s ON s.id = j.source_id
    WHERE substr(j.account_code, 1, 4) IN ('2601', '2209') GROUP BY s.kind ORDER BY s.kind`;
  const tile = { all: () => db.all(tileSql) };
  const wholeLedger = { all: () => db.all(wholeLedgerSql) };
  if (JSON.stringify(await tile.all()) !== JSON.stringify(await wholeLedger.all())) throw new Error('custody-by-source tile differs from the whole-ledger sums');
  const cpuMedian = async (fn: () => unknown) => {
    const ts: number[] = [];
    for (let i = 0; i < 5; i++) ts.push((await cpuOf(async () => await fn())).cpuMs);
    return ts.sort((x, y) => x - y)[2];
  };
  b.report({ name: `submission.dashboard custody-by-source tile (${lines} journal lines; baseline: the former whole-ledger query)`, value: await b.timeMedian(5, () => tile.all()), unit: 'ms', baseline: await b.timeMedian(5, () => wholeLedger.all()), target: 'tens of ms' });
  b.report({ name: 'submission.dashboard custody-by-source tile CPU time', value: await cpuMedian(() => tile.all()), unit: 'ms', baseline: await cpuMedian(() => wholeLedger.all()) });
  const call = async () => {
    const r = await core.invokeAs(CLI_USER, 'dashboard.summary', {});
    if (!r.ok) throw new Error(r.error?.message);
  };
  b.report({ name: 'submission.dashboard.summary call (every tile) over the same database', value: await b.timeMedian(5, call), unit: 'ms' });
  b.report({ name: 'submission.dashboard.summary call CPU time', value: await cpuMedian(call), unit: 'ms' });
}

/** 200 hubs of 2,000 organizations: build their packages once (cached), then verify + import + merge at a federation. */
async function manyPackages(b: Bench): Promise<void> {
  const dir = b.workDir('submission-200', 'sqlite');
  const pkgDir = join(dir, 'packages');
  const keysFile = join(dir, 'keys.json');
  const period = requirePeriod('2026-Q3');
  if (!existsSync(join(dir, 'ready'))) {
    rmSync(pkgDir, { recursive: true, force: true });
    mkdirSync(pkgDir, { recursive: true });
    const keys: { hubId: string; name: string; regionCode: string; publicKeyPem: string; fingerprint: string }[] = [];
    const rng = new SeededRandom(7);
    for (let i = 0; i < 200; i++) {
      const key = generateHubKeyPair();
      const hubId = `bench-hub-${String(i).padStart(3, '0')}`;
      const town = String(Math.floor(i / 20) + 1).padStart(3, '0');
      const village = String((i % 20) + 1).padStart(3, '0');
      const regionCode = `510107${town}${village}`;
      const name = `基准村${i}社区服务站`;
      // 10 organizations of each hub are also listed by its neighbour (same credit code): merged once.
      const shared = Array.from({ length: 10 }, (_, k) => ({ name: `共建组织${Math.floor(i / 2)}-${k}`, creditCode: `SHARED-${Math.floor(i / 2)}-${k}` }));
      const data = demoHubData(rng, hubId, { code: regionCode.slice(0, 9), rural: i % 2 === 0 }, period, 1990, []);
      data.organizations.push(...shared.map((s, k) => ({ ...data.organizations[0], gid: `${hubId}:sh-${k}`, name: s.name, creditCode: s.creditCode })));
      await buildSubmissionPackage({
        outPath: join(pkgDir, `${hubId}.incubase`),
        hub: { hubId, hubName: name, regionCode, level: 'village' },
        period: period.text,
        sources: data,
        privateKeyPem: key.privateKeyPem,
        now: new Date('2026-10-08T02:00:00Z'),
      });
      keys.push({ hubId, name, regionCode, publicKeyPem: key.publicKeyPem, fingerprint: key.fingerprint });
    }
    writeFileSync(keysFile, JSON.stringify(keys));
    writeFileSync(join(dir, 'ready'), 'ok');
  }
  const keys = JSON.parse(readFileSync(keysFile, 'utf8')) as { hubId: string; name: string; regionCode: string; publicKeyPem: string; fingerprint: string }[];
  const files = readdirSync(pkgDir).filter((f) => f.endsWith('.incubase')).sort();

  // Pure engine: verify all 200 and merge in memory (no database: the SQLite pass only).
  const byHub = new Map(keys.map((k) => [k.hubId, k]));
  let t0 = performance.now();
  const cpu0 = process.cpuUsage();
  if (b.engine === 'sqlite') {
    const origins: OriginData[] = [];
    for (const f of files) {
      const v = await verifyPackage(join(pkgDir, f), { resolveKeys: (h) => (byHub.has(h) ? [{ publicKeyPem: byHub.get(h)!.publicKeyPem }] : undefined), collect: true });
      const data = Object.fromEntries([...v.records.entries()]) as unknown as PackageData;
      origins.push({ origin: v.manifest.origins[0], carrierPackageId: v.manifest.packageId, carrierHubName: v.manifest.hubName, own: false, data });
    }
    const merged = consolidateOrigins(period, origins);
    const engineMs = performance.now() - t0;
    const engineCpu = process.cpuUsage(cpu0);
    b.report({ name: `submission.verify + merge ${files.length} packages × 2,000 orgs (in memory)`, value: engineMs, unit: 'ms', target: '< 60000 ms' });
    b.report({ name: 'submission.verify + merge CPU time', value: (engineCpu.user + engineCpu.system) / 1000, unit: 'ms' });
    b.report({ name: 'submission.merge distinct organizations of 400,000 listed (neighbours share 10 each; equal credit codes merge)', value: merged.mergedOrgs.length, unit: 'orgs' });
  }

  // The real path: a federation core registers the 200 hubs, imports every file (verify → one transaction each), builds the view.
  const fedDir = join(b.workDir('submission-200'), 'federation');
  rmSync(fedDir, { recursive: true, force: true });
  const core = await Core.open({ dataDir: fedDir, database: await b.database('submission-federation'), seed: 'empty', autoBackup: false });
  try {
    await core.invoke('system.setup', { hubName: '武侯区联合会(基准)', regionCode: '510107', level: 'county', adminUsername: 'boss', adminDisplayName: '主任', adminPassword: 'Bench@2026' });
    const now = new Date().toISOString();
    const raw = await rawDb(core);
    await raw.tx(async () => {
      for (const [i, k] of keys.entries()) {
        await raw.run(`INSERT INTO sub_member_hubs (id, hub_id, name, region_code, level, public_key_pem, fingerprint, registered_at, updated_at) VALUES (?, ?, ?, ?, 'village', ?, ?, ?, ?)`, `m${i}`, k.hubId, k.name, k.regionCode, k.publicKeyPem, k.fingerprint, now, now);
      }
    });
    await raw.close();
    t0 = performance.now();
    const cpu1 = process.cpuUsage();
    for (const f of files) {
      const r = await core.invokeAs(CLI_USER, 'submission.packages.import', { files: [{ name: f, base64: readFileSync(join(pkgDir, f)).toString('base64') }] });
      if (!r.ok || (r.data as { status: string }[])[0].status !== 'imported') throw new Error(`import failed: ${JSON.stringify(r.error ?? r.data)}`);
    }
    const importMs = performance.now() - t0;
    const t1 = performance.now();
    const view = await core.invokeAs(CLI_USER, 'submission.consolidated', { period: period.text, includeOwn: false });
    if (!view.ok) throw new Error(view.error?.message);
    const viewMs = performance.now() - t1;
    const realCpu = process.cpuUsage(cpu1);
    b.report({ name: `submission.import ${files.length} packages into a federation (verify + one transaction each)`, value: importMs, unit: 'ms' });
    b.report({ name: 'submission.consolidated view after import (load 400k records, merge, roll up, tables)', value: viewMs, unit: 'ms' });
    b.report({ name: 'submission.import + consolidated view total', value: importMs + viewMs, unit: 'ms', target: '< 60000 ms' });
    b.report({ name: 'submission.import + consolidated view CPU time', value: (realCpu.user + realCpu.system) / 1000, unit: 'ms' });
  } finally {
    await core.close();
  }
}

/**
 * Issue 16: build and verify of N packages (default 200 hubs × 2,000 organizations, the data of `manyPackages`) with
 * SM2 + SM3 beside the former Ed25519 + SHA-256 (the baseline). SM3 runs twice: hash-wasm's WebAssembly (what the
 * Electron app runs: BoringSSL has no SM3) and OpenSSL's (plain Node: CLI, office server). Each package's data is generated
 * before its build is timed, so the figures are the package engine's alone. INCUBASE_BENCH_PACKAGES=N scales it.
 */
async function algorithms(b: Bench): Promise<void> {
  const n = Number(process.env.INCUBASE_BENCH_PACKAGES ?? 200);
  const period = requirePeriod('2026-Q3');
  const dir = b.workDir('submission-algorithms');
  await sm3Ready();
  const variants: { label: string; key: ReturnType<typeof generateHubKeyPair>; sm3: 'wasm' | 'js' | 'native' | 'auto' }[] = [
    { label: 'Ed25519 + SHA-256 (former)', key: generateHubKeyPair('Ed25519'), sm3: 'auto' },
    { label: 'SM2 + SM3 WebAssembly (Electron)', key: generateHubKeyPair('SM2'), sm3: 'wasm' },
    { label: 'SM2 + SM3 OpenSSL (Node)', key: generateHubKeyPair('SM2'), sm3: 'native' },
  ];
  type Built = { label: string; variant: (typeof variants)[number]; out: string; keys: Map<string, ReturnType<typeof generateHubKeyPair>>; build: number; buildCpu: number; bytes: number };
  const buildSet = async (v: (typeof variants)[number], count: number, ownKeys = false): Promise<Built> => {
    // ownKeys: every package signed by its own hub's key (a county receiving its villages: no key seen twice).
    const keys = new Map<string, ReturnType<typeof generateHubKeyPair>>();
    setSm3Implementation(v.sm3);
    const out = join(dir, `${v.label.replace(/[^A-Za-z0-9]+/g, '-')}${ownKeys ? '-own' : ''}`);
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    let build = 0;
    let buildCpu = 0;
    let bytes = 0;
    for (let i = 0; i < count; i++) {
      const hubId = `bench-hub-${String(i).padStart(3, '0')}`;
      const regionCode = `510107${String(Math.floor(i / 20) + 1).padStart(3, '0')}${String((i % 20) + 1).padStart(3, '0')}`;
      const data = demoHubData(new SeededRandom(1000 + i), hubId, { code: regionCode.slice(0, 9), rural: i % 2 === 0 }, period, 1990, []);
      const file = join(out, `${hubId}.incubase`);
      const key = ownKeys ? generateHubKeyPair(v.key.algorithm) : v.key;
      keys.set(hubId, key);
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      await buildSubmissionPackage({ outPath: file, hub: { hubId, hubName: `基准村${i}`, regionCode, level: 'village' }, period: period.text, sources: data, privateKeyPem: key.privateKeyPem, now: new Date('2026-10-08T02:00:00Z') });
      const c = process.cpuUsage(c0);
      build += performance.now() - t0;
      buildCpu += (c.user + c.system) / 1000;
      bytes += statSync(file).size;
    }
    return { label: v.label, variant: v, out, keys, build, buildCpu, bytes };
  };
  /** Verifies every file of a set once (keys from their PEM, as an import reads them); CPU and wall. */
  const verifySet = async (set: Built) => {
    setSm3Implementation(set.variant.sm3);
    const files = readdirSync(set.out).sort();
    const t1 = performance.now();
    const c1 = process.cpuUsage();
    for (const f of files) await verifyPackage(join(set.out, f), { resolveKeys: (hubId) => [{ publicKeyPem: set.keys.get(hubId)!.publicKeyPem }], collect: true });
    const c = process.cpuUsage(c1);
    return { verify: performance.now() - t1, verifyCpu: (c.user + c.system) / 1000 };
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  /**
   * Verify rounds interleaved over the variants (baseline, WebAssembly, OpenSSL, baseline, …) so that a change of the
   * machine's load falls on every side alike; median per variant. `firstSight`: every SM2 key's table and Z_A are
   * forgotten before each round, so each package is verified as under a key never seen (the process-wide table of
   * G stays, as in the app).
   */
  const verifyRounds = async (sets: Built[], rounds: number, firstSight: boolean) => {
    const got = sets.map(() => ({ verify: [] as number[], verifyCpu: [] as number[] }));
    for (let r = 0; r < rounds; r++) {
      for (const [i, set] of sets.entries()) {
        if (firstSight) forgetSm2Verifiers();
        const v = await verifySet(set);
        got[i].verify.push(v.verify);
        got[i].verifyCpu.push(v.verifyCpu);
      }
    }
    return got.map((g) => ({ verify: median(g.verify), verifyCpu: median(g.verifyCpu) }));
  };
  const rounds = Number(process.env.INCUBASE_BENCH_ROUNDS ?? 3);
  // Warm-up: every variant builds and verifies a few packages first, so the first one measured (the baseline)
  // is not the one paying for the JIT.
  for (const v of variants) {
    const warm = await buildSet(v, 3, true);
    await verifySet(warm);
    rmSync(warm.out, { recursive: true, force: true });
  }
  const sets: Built[] = [];
  for (const v of variants) sets.push(await buildSet(v, n));
  const verified = await verifyRounds(sets, rounds, false);
  const results = sets.map((s, i) => ({ ...s, ...verified[i] }));
  setSm3Implementation('auto');
  const [base, ...gm] = results;
  for (const r of gm) {
    b.report({ name: `submission.build ${n} packages × 2,000 orgs, ${r.label} (baseline: Ed25519 + SHA-256)`, value: r.build, unit: 'ms', baseline: base.build, ratio: r.build / base.build, target: '≤ 1.5 × baseline' });
    b.report({ name: `submission.build ${n} packages CPU time, ${r.label}`, value: r.buildCpu, unit: 'ms', baseline: base.buildCpu, ratio: r.buildCpu / base.buildCpu, target: '≤ 1.5 × baseline' });
    b.report({ name: `submission.verify ${n} packages (stream, digest, parse, signature; one key, median of ${rounds} interleaved rounds), ${r.label} (baseline: Ed25519 + SHA-256)`, value: r.verify, unit: 'ms', baseline: base.verify, ratio: r.verify / base.verify, target: '≤ 1.5 × baseline' });
    b.report({ name: `submission.verify ${n} packages CPU time, ${r.label}`, value: r.verifyCpu, unit: 'ms', baseline: base.verifyCpu, ratio: r.verifyCpu / base.verifyCpu, target: '≤ 1.5 × baseline' });
  }
  for (const s of sets) rmSync(s.out, { recursive: true, force: true });
  // Each package under its own new key (no table reuse): the first-sight cost of SM2 verification. Same work on
  // both sides: the same generated data and files per package, one new key per package, the key parsed from its
  // PEM by the verifier as an import does.
  const own = Math.min(n, 50);
  const ownSets: Built[] = [];
  for (const v of variants) ownSets.push(await buildSet(v, own, true));
  const ownVerified = await verifyRounds(ownSets, rounds, true);
  const [ownBase, ...ownGm] = ownVerified;
  for (const [i, r] of ownGm.entries()) {
    const label = ownSets[i + 1].label;
    b.report({ name: `submission.verify ${own} packages each under its own new key (median of ${rounds} interleaved rounds), CPU time, ${label}`, value: r.verifyCpu, unit: 'ms', baseline: ownBase.verifyCpu, ratio: r.verifyCpu / ownBase.verifyCpu, target: '≤ 1.5 × baseline' });
    b.report({ name: `submission.verify ${own} packages each under its own new key (median of ${rounds} interleaved rounds), wall time, ${label}`, value: r.verify, unit: 'ms', baseline: ownBase.verify, ratio: r.verify / ownBase.verify, target: '≤ 1.5 × baseline' });
  }
  for (const s of ownSets) rmSync(s.out, { recursive: true, force: true });
  setSm3Implementation('auto');
  b.report({ name: `submission packages total size (${n} packages)`, value: base.bytes / 1024 / 1024, unit: 'MiB' });
}

/**
 * Runs on both engines (`npm run bench -- submission --database pg`). The PostgreSQL pass measures what reads or
 * writes the database (build from the database, 工作台, checks, the federation import); the package engine and the
 * algorithms read no database, so they run on the SQLite pass only.
 */
export const engines = ['sqlite', 'postgres'];

export default async function submissionBench(b: Bench): Promise<void> {
  if (b.engine === 'postgres') {
    process.stderr.write('# submission on postgres: the database figures (the package engine and the algorithms read no database: SQLite pass)\n');
    // INCUBASE_BENCH_SUBMISSION=database: the figures over the big database only; =federation: the federation import only.
    if (process.env.INCUBASE_BENCH_SUBMISSION !== 'federation') await bigFromDatabase(b);
    if (process.env.INCUBASE_BENCH_SUBMISSION !== 'database') await manyPackages(b);
    return;
  }
  // INCUBASE_BENCH_SUBMISSION=algorithms runs only the SM2/Ed25519 comparison (shared machines).
  if (process.env.INCUBASE_BENCH_SUBMISSION === 'algorithms') return algorithms(b);
  await bigPackage(b);
  await bigFromDatabase(b);
  await manyPackages(b);
  await algorithms(b);
}
