import { performance } from 'node:perf_hooks';
import { ServerClient } from '../../electron/node/serverClient';
import { DEMO_PASSWORD } from '../../electron/core/seed';
import { addDays, todayInChina } from '@shared/dates/parse';

/**
 * The simulated office users of `npm run bench -- server`, run in their OWN process (forked by server.bench.ts):
 * in an office they are other PCs, so their TLS handshakes, JSON parsing and timers must not share the server's
 * event loop or be counted in its memory. The parent sends one {@link ClientsJob} over IPC and gets one
 * {@link ClientsResult} back; latencies are measured here, from request sent to answer parsed.
 *
 * Each user does screen actions (one action = the calls a screen makes when it opens, e.g. a list page and its
 * saved views), chosen by a seeded random draw among the actions of the user's role. `pace: 'think'` waits a
 * seeded random think time after each action (see THINK_MS); `pace: 'saturation'` fires the next action at once
 * (capacity: every user keeps one call in flight all the time). The same seeds give the office server and the
 * raw baseline the same sequence of actions and pauses.
 */

/** A person at a screen: reads what the screen shows, types, decides; 0.3–3 s (uniform) between two actions. */
export const THINK_MS = { min: 300, max: 3000 } as const;

export interface ClientsJob {
  address: string;
  fingerprint: string;
  durationMs: number;
  pace: 'think' | 'saturation';
  seed: number;
}

export interface ClientsResult {
  times: Record<string, number[]>;
  actions: number;
  errors: number;
  expected: number;
  errorSamples: string[];
  durationMs: number;
}

/** mulberry32: a small seeded generator, the same numbers on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Answer = { ok: boolean; error?: { code: string; message: string } };

const USERS = ['admin', 'zhangli', 'wangfang', 'liming', 'chenjing', 'admin', 'zhangli', 'wangfang', 'liming', 'chenjing'];
const STAFF = new Set(['admin', 'zhangli', 'liming']); // books venues
const FINANCE = new Set(['admin', 'wangfang', 'chenjing']); // records vouchers
const TERMS = ['社区', '协会', '志愿', '服务', 'llsw', '1380'];

export async function runClients(job: ClientsJob, onReady?: () => void): Promise<ClientsResult> {
  const clients = await Promise.all(
    USERS.map(async (u) => {
      const c = new ServerClient({ address: job.address, fingerprint: job.fingerprint });
      await c.connect();
      await c.login(u, DEMO_PASSWORD);
      return { c, u };
    }),
  );
  const admin = clients[0].c;
  const allVenues = (await admin.call('venues.list', { onlyBookable: false })).rows;
  const venues = (await admin.call('venues.list', { onlyBookable: true })).rows;
  const orgIds = (await admin.call('custody.accounts.list', {})).map((a) => a.orgId);
  const bank = (await admin.call('custody.overview', {})).bankAccounts[0];
  const orgPage = (await admin.call('organizations.list', { startRow: 0, endRow: 500 })).rows.map((r) => r.id);
  const today = todayInChina();

  const times: Record<string, number[]> = {};
  let errors = 0;
  let expected = 0;
  let actions = 0;
  const errorSamples: string[] = [];
  const timed = async (kind: string, fn: () => Promise<Answer>, expectedCodes: string[] = []) => {
    const t0 = performance.now();
    const r = await fn();
    (times[kind] ??= []).push(performance.now() - t0);
    if (!r.ok) {
      if (expectedCodes.includes(r.error!.code)) expected++;
      else {
        errors++;
        if (errorSamples.length < 5) errorSamples.push(`${kind}: ${r.error!.code} ${r.error!.message}`);
      }
    }
  };

  onReady?.();
  const t0 = performance.now();
  const end = t0 + job.durationMs;
  await Promise.all(
    clients.map(async ({ c, u }, n) => {
      const rnd = random(job.seed * 1000 + n);
      const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
      const call = (name: string, input: unknown) => () => c.invoke(name, input) as Promise<Answer>;
      /** The screens this user opens, each with its weight (how often a person of that role opens it). */
      const screens: [number, () => Promise<void>][] = [
        [3, async () => {
          // 组织台账: a page of the grid with its count, and the saved views beside it.
          const page = Math.floor(rnd() * 5);
          await timed('read: organizations.list page', call('organizations.list', { startRow: page * 100, endRow: page * 100 + 100, withCount: true }));
          await timed('read: organizations.views.list', call('organizations.views.list', {}));
        }],
        [2, () => timed('read: organizations search', call('organizations.list', { startRow: 0, endRow: 100, withCount: true, search: pick(TERMS) }))],
        [2, () => timed('read: organizations.get', call('organizations.get', { id: pick(orgPage) }))],
        [1, () => timed('read: dashboard.summary', call('dashboard.summary', {}))],
        [2, async () => {
          // 凭证: the list and the accounts of its filter.
          await timed('read: custody.vouchers.list', call('custody.vouchers.list', { startRow: 0, endRow: 100, sort: [], filter: {} }));
          await timed('read: custody.accounts.list', call('custody.accounts.list', {}));
        }],
        [2, async () => {
          // 场地日历 as CalendarPage loads it: the venues, then one venue's week or the day of the first 8 venues.
          await timed('read: venues.list', call('venues.list', { onlyBookable: false }));
          const from = addDays(today, Math.floor(rnd() * 30));
          const week = rnd() < 0.6;
          await timed('read: venues.bookings.calendar', call('venues.bookings.calendar', week ? { venueIds: [pick(allVenues).id], from, to: addDays(from, 6), includeCancelled: false } : { venueIds: allVenues.slice(0, 8).map((v) => v.id), from, to: from, includeCancelled: false }));
        }],
      ];
      if (STAFF.has(u) && venues.length)
        screens.push([1, async () => {
          const v = pick(venues);
          const date = addDays(today, 3 + Math.floor(rnd() * 60));
          const hour = 9 + Math.floor(rnd() * 8);
          const hh = (h: number) => String(h).padStart(2, '0');
          // A booking that collides with another user's is refused (CONFLICT/RULE): expected in an office.
          await timed('write: venues.bookings.create', call('venues.bookings.create', {
            venueId: v.id, organizationId: pick(orgIds), start: `${date}T${hh(hour)}:00`, end: `${date}T${hh(hour + 1)}:00`, purpose: '基准测试活动', expectedAttendance: 5,
          }), ['CONFLICT', 'RULE']);
        }]);
      if (FINANCE.has(u) && bank)
        screens.push([1, () => timed('write: custody.vouchers.create', call('custody.vouchers.create', {
          kind: 'receipt', date: today, amountFen: 10_000 + Math.floor(rnd() * 100_000), orgId: pick(orgIds), toOrgId: null, bankAccountId: bank.id,
          sourceId: null, projectId: null, budgetLineId: null, counterparty: '基准测试单位', purpose: `基准测试收款 ${n}`,
        }))]);
      const totalWeight = screens.reduce((s, [w]) => s + w, 0);
      while (performance.now() < end) {
        let r = rnd() * totalWeight;
        const screen = screens.find(([w]) => (r -= w) < 0)?.[1] ?? screens[0][1];
        await screen();
        actions++;
        if (job.pace === 'think') {
          const pause = THINK_MS.min + rnd() * (THINK_MS.max - THINK_MS.min);
          await new Promise((res) => setTimeout(res, Math.min(pause, Math.max(0, end - performance.now()))));
        }
      }
    }),
  );
  const durationMs = performance.now() - t0;
  for (const { c } of clients) c.close();
  return { times, actions, errors, expected, errorSamples, durationMs };
}

// Forked by server.bench.ts: one job in, one result out.
if (process.send && process.env.INCUBASE_BENCH_CLIENTS === '1') {
  process.once('message', (job: ClientsJob) => {
    runClients(job, () => process.send!({ ready: true })).then(
      (result) => process.send!({ result }, () => process.exit(0)),
      (e: Error) => process.send!({ error: e.stack ?? e.message }, () => process.exit(1)),
    );
  });
}
