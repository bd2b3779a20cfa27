import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Core } from '../../electron/core/core';
import { DEMO_PASSWORD } from '../../electron/core/seed';
import { SeededRandom } from '../../electron/core/seed/random';
import { generateTraining } from '../../electron/core/training/seed';
import { decodeReadings, lookupKeyPrefixes, parseLookupQuery } from '@shared/training/signinMatch';
import { percentile, type Bench } from './bench';

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
  const dir = b.workDir('training-100k');
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

export default async function trainingBench(b: Bench): Promise<void> {
  const dir = await bigTraining(b);
  const core = await Core.open({ dataDir: dir, seed: 'demo', demoScale: 0, autoBackup: false });
  const db = core.sqlite;
  const token = (await core.invoke('auth.login', { username: 'zhangli', password: DEMO_PASSWORD })).sessionToken!;
  const invoke = async (name: string, input: unknown) => {
    const r = await core.invoke(name, input, token);
    if (!r.ok) throw new Error(`${name}: ${r.error!.message}`);
    return r.data;
  };
  const counts = db.prepare(`SELECT (SELECT count(*) FROM training_trainees) t, (SELECT count(*) FROM training_sessions) s, (SELECT count(*) FROM training_attendance) a`).get() as { t: number; s: number; a: number };
  b.report({ name: 'training.trainees', value: counts.t, unit: 'rows' });
  b.report({ name: 'training.sessions', value: counts.s, unit: 'rows' });
  b.report({ name: 'training.attendances', value: counts.a, unit: 'rows' });

  // The statistics page: what it calls (statistics of the year and the plan), through the API with its checks,
  // labels and plan comparison. Baseline: the same kept cells read in plain better-sqlite3. For scale, the
  // GROUP BYs over every attendance of the year that the kept cells replace (what the page cost before).
  const from = `${YEAR}-01-01`;
  const to = `${YEAR}-12-31`;
  const page = await b.timeMedian(7, () => Promise.all([invoke('training.stats', { year: YEAR }), invoke('training.plan.get', { year: YEAR })]));
  const cellsRaw = db.prepare(`SELECT dim, key, person_times, persons, minutes FROM training_stat_cells WHERE year = ?`);
  const sessionsRaw = db.prepare(`SELECT COUNT(*) FROM training_sessions WHERE status <> 'cancelled' AND date BETWEEN ? AND ?`);
  const planRaw = db.prepare(`SELECT * FROM training_plans p LEFT JOIN training_plan_targets t ON t.plan_id = p.id WHERE p.year = ?`);
  const pageRaw = await b.timeMedian(7, () => {
    cellsRaw.all(YEAR);
    sessionsRaw.get(from, to);
    planRaw.all(YEAR);
  });
  const attended = (db.prepare(`SELECT count(*) n FROM training_attendance WHERE attended = 1 AND session_date BETWEEN ? AND ?`).get(from, to) as { n: number }).n;
  b.report({ name: `training.statistics_page (year ${YEAR}, ${attended} person-times of ${counts.a} attendances)`, value: page, unit: 'ms', baseline: pageRaw, target: '< 300 ms' });
  const dims = ['role', 'category', 'format', 'substr(session_date, 1, 7)', "coalesce(organization_id, '')"].map((col) =>
    db.prepare(`SELECT ${col} AS key, COUNT(*), COUNT(DISTINCT trainee_id), SUM(credited_minutes) FROM training_attendance
      WHERE attended = 1 AND session_date BETWEEN ? AND ? GROUP BY 1 ORDER BY 1`),
  );
  const totalRaw = db.prepare(`SELECT COUNT(*), COUNT(DISTINCT trainee_id), SUM(credited_minutes) FROM training_attendance WHERE attended = 1 AND session_date BETWEEN ? AND ?`);
  const groupByRaw = await b.timeMedian(3, () => {
    totalRaw.get(from, to);
    for (const d of dims) d.all(from, to);
  });
  b.report({ name: 'training.statistics_raw_group_by_every_attendance (what the kept cells replace)', value: groupByRaw, unit: 'ms' });

  // One keyboard sign-in lookup at the door of a session with its registrants: what staff type (initials, full
  // pinyin, Chinese characters, a phone tail of 4 or 6 digits) for people picked across the 100,000.
  const session = db.prepare(`SELECT session_id id FROM training_registrations GROUP BY session_id ORDER BY count(*) DESC LIMIT 1`).get() as { id: string };
  const people = db.prepare(`SELECT name, readings, phone_digits FROM training_trainees ORDER BY id LIMIT 40 OFFSET ?`).all(Math.floor(counts.t / 3)) as { name: string; readings: string; phone_digits: string }[];
  const queries: string[] = [];
  for (const p of people) {
    const syl = decodeReadings(p.readings)[0];
    queries.push(syl.map((s) => s[0]).join(''), syl.join(''), p.name, p.phone_digits.slice(-4), p.phone_digits.slice(-6));
  }
  const lookup = await b.timeP95(queries.length, (i) => invoke('training.signin.lookup', { sessionId: session.id, query: queries[Math.max(0, i)] }));
  // Raw: the same key-prefix range scans, the trainees they find and the session's registrants and sign-ins.
  const scan = db.prepare(`SELECT trainee_id FROM training_trainee_keys WHERE key >= ? AND key < ? LIMIT 200`);
  const regs = db.prepare(`SELECT t.id, t.name, t.readings, t.phone_digits FROM training_registrations r JOIN training_trainees t ON t.id = r.trainee_id WHERE r.session_id = ?`);
  const signed = db.prepare(`SELECT trainee_id FROM training_attendance WHERE session_id = ? AND attended = 1`);
  const one = db.prepare(`SELECT id, name, readings, phone_digits FROM training_trainees WHERE id = ?`);
  const lookupRaw = await b.timeP95(queries.length, (i) => {
    regs.all(session.id);
    signed.all(session.id);
    const ids = new Set<string>();
    for (const p of lookupKeyPrefixes(parseLookupQuery(queries[Math.max(0, i)]))) for (const r of scan.all(p, p + '\uffff') as { trainee_id: string }[]) ids.add(r.trainee_id);
    for (const id of ids) one.get(id);
  });
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
  b.report({ name: 'training.signin_lookup_cpu_median', value: percentile(cpu, 50), unit: 'ms' });
  b.report({ name: `training.signin_lookup_p95 (${queries.length} queries: initials, pinyin, characters, phone tails)`, value: lookup, unit: 'ms', baseline: lookupRaw, target: '< 20 ms' });
  await core.close();
}
