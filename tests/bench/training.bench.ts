import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Core } from '../../electron/core/core';
import { DEMO_PASSWORD } from '../../electron/core/seed';
import { SeededRandom } from '../../electron/core/seed/random';
import { generateTraining } from '../../electron/core/training/seed';
import { decodeReadings, lookupKeyPrefixes, parseLookupQuery } from '@shared/training/signinMatch';
import { percentile, type Bench } from './bench';
import { hubOnEngine, rawDb } from './benchEngine';

const TRAINEES = 100_000;
const SESSIONS = 5_000;
/** Average people per session; with the generator's capacities this gives about 300,000 attendance rows. */
const PER_SESSION = 81;
/** Every bench session falls in one year, so the statistics of that year read all 300,000 rows (worst case). */
const YEAR = 2025;

/**
 * 100,000 trainees (with their sign-in keys), 5,000 sessions and about 300,000 attendances written by the
 * same generator (and so the same shared rules: keys, credited hours, serials) as the demo data, on top of
 * the demo hub. Cached in the bench work folder.
 */
async function bigTraining(b: Bench): Promise<string> {
  const dir = b.workDir('training-100k', 'sqlite');
  const marker = join(dir, 'ready');
  if (existsSync(marker)) return dir;
  rmSync(dir, { recursive: true, force: true });
  const core = await Core.open({ dataDir: dir, seed: 'demo', demoScale: 0, autoBackup: false });
  const db = core.sqlite;
  const orgs = (db.prepare(`SELECT id FROM organizations ORDER BY id`).all() as { id: string }[]).map((r) => r.id);
  const user = (db.prepare(`SELECT id FROM users WHERE username = 'zhangli'`).get() as { id: string }).id;
  const existing = (db.prepare(`SELECT count(*) n FROM training_trainees`).get() as { n: number }).n;
  db.transaction(() =>
    generateTraining(db, new SeededRandom(4242), {
      trainees: TRAINEES - existing,
      sessions: SESSIONS,
      perSession: PER_SESSION,
      from: `${YEAR}-01-01`,
      to: `${YEAR}-12-31`,
      asOf: `${YEAR + 1}-01-10T00:00:00+08:00`,
      organizationIds: orgs,
      certificates: false,
      userId: user,
      nowIso: new Date().toISOString(),
    }),
  )();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('ANALYZE');
  await core.close();
  writeFileSync(marker, 'ok');
  return dir;
}

/** Runs on both engines (`npm run bench -- training --database pg`): every figure beside its raw baseline on the same engine. */
export const engines = ['sqlite', 'postgres'];

export default async function trainingBench(b: Bench): Promise<void> {
  const hub = await hubOnEngine(b, 'training-100k', await bigTraining(b));
  const core = await Core.open({ ...hub, seed: 'demo', demoScale: 0, autoBackup: false });
  const db = await rawDb(core);
  const token = (await core.invoke('auth.login', { username: 'zhangli', password: DEMO_PASSWORD })).sessionToken!;
  const invoke = async (name: string, input: unknown) => {
    const r = await core.invoke(name, input, token);
    if (!r.ok) throw new Error(`${name}: ${r.error!.message}`);
    return r.data;
  };
  const counts = (await db.get<{ t: number; s: number; a: number }>(`SELECT (SELECT count(*) FROM training_trainees) AS t, (SELECT count(*) FROM training_sessions) AS s, (SELECT count(*) FROM training_attendance) AS a`))!;
  b.report({ name: 'training.load_average_1min', value: loadavg()[0], unit: 'runnable' });
  b.report({ name: 'training.trainees', value: counts.t, unit: 'rows' });
  b.report({ name: 'training.sessions', value: counts.s, unit: 'rows' });
  b.report({ name: 'training.attendances', value: counts.a, unit: 'rows' });

  // The statistics page: what it calls (statistics of the year and the plan), through the API with its checks,
  // labels and plan comparison. Baseline: the same kept cells read in plain better-sqlite3. For scale, the
  // GROUP BYs over every attendance of the year that the kept cells replace (what the page cost before).
  const from = `${YEAR}-01-01`;
  const to = `${YEAR}-12-31`;
  const page = await b.timeMedian(7, () => Promise.all([invoke('training.stats', { year: YEAR }), invoke('training.plan.get', { year: YEAR })]));
  const cellsRaw = `SELECT dim, key, person_times, persons, minutes FROM training_stat_cells WHERE year = ?`;
  const sessionsRaw = `SELECT COUNT(*) AS n FROM training_sessions WHERE status <> 'cancelled' AND date BETWEEN ? AND ?`;
  const planRaw = `SELECT * FROM training_plans p LEFT JOIN training_plan_targets t ON t.plan_id = p.id WHERE p.year = ?`;
  const pageRaw = await b.timeMedian(7, async () => {
    await db.all(cellsRaw, YEAR);
    await db.get(sessionsRaw, from, to);
    await db.all(planRaw, YEAR);
  });
  const attended = (await db.get<{ n: number }>(`SELECT count(*) AS n FROM training_attendance WHERE attended = 1 AND session_date BETWEEN ? AND ?`, from, to))!.n;
  b.report({ name: `training.statistics_page (year ${YEAR}, ${attended} person-times of ${counts.a} attendances)`, value: page, unit: 'ms', baseline: pageRaw, target: '< 300 ms' });
  const dims = ['role', 'category', 'format', 'substr(session_date, 1, 7)', "coalesce(organization_id, '')"].map(
    (col) => `SELECT ${col} AS key, COUNT(*) AS n, COUNT(DISTINCT trainee_id) AS p, SUM(credited_minutes) AS m FROM training_attendance
      WHERE attended = 1 AND session_date BETWEEN ? AND ? GROUP BY 1 ORDER BY 1`,
  );
  const totalRaw = `SELECT COUNT(*) AS n, COUNT(DISTINCT trainee_id) AS p, SUM(credited_minutes) AS m FROM training_attendance WHERE attended = 1 AND session_date BETWEEN ? AND ?`;
  const groupByRaw = await b.timeMedian(3, async () => {
    await db.get(totalRaw, from, to);
    for (const d of dims) await db.all(d, from, to);
  });
  b.report({ name: 'training.statistics_raw_group_by_every_attendance (what the kept cells replace)', value: groupByRaw, unit: 'ms' });

  // One keyboard sign-in lookup at the door of a session with its registrants: what staff type (initials, full
  // pinyin, Chinese characters, a phone tail of 4 or 6 digits) for people picked across the 100,000.
  const session = (await db.get<{ id: string }>(`SELECT session_id AS id FROM training_registrations GROUP BY session_id ORDER BY count(*) DESC, session_id LIMIT 1`))!;
  const people = await db.all<{ name: string; readings: string; phone_digits: string }>(`SELECT name, readings, phone_digits FROM training_trainees ORDER BY id LIMIT 40 OFFSET ?`, Math.floor(counts.t / 3));
  const queries: string[] = [];
  for (const p of people) {
    const syl = decodeReadings(p.readings)[0];
    queries.push(syl.map((s) => s[0]).join(''), syl.join(''), p.name, p.phone_digits.slice(-4), p.phone_digits.slice(-6));
  }
  const lookup = await b.timeP95(queries.length, (i) => invoke('training.signin.lookup', { sessionId: session.id, query: queries[Math.max(0, i)] }));
  // Raw: the same key-prefix range scans, the trainees they find and the session's registrants and sign-ins.
  const scan = `SELECT trainee_id FROM training_trainee_keys WHERE key >= ? AND key < ? LIMIT 200`;
  const regs = `SELECT t.id, t.name, t.readings, t.phone_digits FROM training_registrations r JOIN training_trainees t ON t.id = r.trainee_id WHERE r.session_id = ?`;
  const signed = `SELECT trainee_id FROM training_attendance WHERE session_id = ? AND attended = 1`;
  const one = `SELECT id, name, readings, phone_digits FROM training_trainees WHERE id = ?`;
  const lookupRawOnce = async (q: string) => {
    await db.all(regs, session.id);
    await db.all(signed, session.id);
    const ids = new Set<string>();
    for (const p of lookupKeyPrefixes(parseLookupQuery(q))) for (const r of await db.all<{ trainee_id: string }>(scan, p, p + '\uffff')) ids.add(r.trainee_id);
    // One row per trainee found: better-sqlite3 reads them one by one (no round trip); plain pg in one query.
    if (db.engine === 'postgres') await db.all(`SELECT id, name, readings, phone_digits FROM training_trainees WHERE id = ANY(?::text[])`, [...ids]);
    else for (const id of ids) await db.get(one, id);
  };
  const lookupRaw = await b.timeP95(queries.length, (i) => lookupRawOnce(queries[Math.max(0, i)]));
  // CPU time of one lookup (median), which a shared, busy machine inflates less than the wall clock.
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const cpu: number[] = [];
  for (const q of queries) {
    const c0 = cpuMs();
    await invoke('training.signin.lookup', { sessionId: session.id, query: q });
    cpu.push(cpuMs() - c0);
  }
  const rawCpu: number[] = [];
  for (const q of queries) {
    const c0 = cpuMs();
    await lookupRawOnce(q);
    rawCpu.push(cpuMs() - c0);
  }
  b.report({ name: 'training.signin_lookup_cpu_median', value: percentile(cpu, 50), unit: 'ms', baseline: percentile(rawCpu, 50) });
  b.report({ name: `training.signin_lookup_p95 (${queries.length} queries: initials, pinyin, characters, phone tails)`, value: lookup, unit: 'ms', baseline: lookupRaw, target: '< 20 ms' });
  b.report({ name: 'training.load_average_1min_end', value: loadavg()[0], unit: 'runnable' });
  await db.close();
  await core.close();
}
