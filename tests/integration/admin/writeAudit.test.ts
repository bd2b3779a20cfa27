import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { z } from 'zod';
import { contract, type CallName } from '@shared/contract';
import type { CallDef } from '@shared/contract/define';
import { ROLES } from '@shared/roles';
import { handlers } from '../../../electron/core/handlers';
import type { CallContext } from '../../../electron/core/api/context';
import { loginAs, openDemoCore } from '../../helpers/core';

/**
 * Issue 15: every writing call is declared `write` and audited. The core refuses to COMMIT a write call's
 * transaction that changed rows but carries no audit row (electron/core/core.ts, `write`), so no write call can commit without one;
 * this walks every entry declared `write: true` and checks that rule on each, then runs real handlers.
 *
 * The declared exceptions (`unaudited` in the contract), each with its reason:
 */
const UNAUDITED: Record<string, RegExp> = {
  // The attempt is counted in its own transaction before the password is checked; the outcome is audited after.
  'auth.login': /尝试/,
};

type T = Awaited<ReturnType<typeof openDemoCore>>;
type AnyHandler = (ctx: CallContext, input: unknown) => unknown;
const table = handlers as unknown as Record<string, AnyHandler>;
const defs = contract as unknown as Record<string, CallDef>;
const writes = (Object.keys(contract) as CallName[]).filter((n) => defs[n].write);

/** Runs `name` once with `probe` in place of its handler and any input accepted, then puts both back. */
async function withProbe(t: T, token: string, name: CallName, probe: AnyHandler) {
  const handler = table[name];
  const input = defs[name].input;
  const output = defs[name].output;
  table[name] = probe;
  defs[name].input = z.unknown();
  defs[name].output = z.unknown();
  try {
    return await t.core.invoke(name, {}, defs[name].access === 'public' ? null : token);
  } finally {
    table[name] = handler;
    defs[name].input = input;
    defs[name].output = output;
  }
}

const probeKey = (name: string, kind: string) => `probe.${kind}.${name}`;

describe('every write call commits only with an audit row in the same transaction', () => {
  let t: T;
  let everyRole: string;
  const settingRow = (key: string) => t.core.readDb.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  const auditRows = (action: string, summary: string) =>
    t.core.readDb.selectFrom('audit_log').select(['id', 'entity']).where('action', '=', action).where('summary', '=', summary).execute();

  beforeAll(async () => {
    t = await openDemoCore('admin');
    await t.call('users.create', { username: 'audit_all', displayName: '全角色', roles: [...ROLES], password: 'AllRoles@2026' });
    everyRole = await loginAs(t.core, 'audit_all', 'AllRoles@2026');
  }, 60_000);
  afterAll(async () => t?.cleanup());

  it('the exceptions are exactly the declared ones, each with a Chinese reason', () => {
    expect(writes.length).toBeGreaterThan(60);
    const declared = Object.fromEntries(writes.filter((n) => defs[n].unaudited !== undefined).map((n) => [n, defs[n].unaudited!]));
    expect(Object.keys(declared).sort()).toEqual(Object.keys(UNAUDITED).sort());
    for (const [name, reason] of Object.entries(declared)) {
      expect(reason, name).toMatch(UNAUDITED[name]);
      expect(reason.length, name).toBeGreaterThan(10);
    }
    // A read call has nothing to declare.
    expect((Object.keys(contract) as CallName[]).filter((n) => !defs[n].write && defs[n].unaudited !== undefined)).toEqual([]);
  });

  it('walks every write entry: a transaction without an audit row is refused and rolled back (exceptions commit)', async () => {
    const wrong: string[] = [];
    for (const name of writes) {
      const key = probeKey(name, 'bare');
      const r = await withProbe(t, everyRole, name, async (ctx) =>
        ctx.write(async (trx) => {
          await sql`INSERT INTO settings (key, value) VALUES (${key}, '1')`.execute(trx);
          return { ok: true };
        }),
      );
      const kept = await settingRow(key);
      if (name in UNAUDITED) {
        if (!r.ok || !kept) wrong.push(`${name}: declared unaudited, but refused (${r.error?.message})`);
      } else {
        if (r.ok) wrong.push(`${name}: committed without an audit row`);
        else if (r.error?.code !== 'INTERNAL') wrong.push(`${name}: refused for another reason: ${r.error?.code} ${r.error?.message}`);
        if (kept) wrong.push(`${name}: the unaudited change was kept`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('walks every write entry: with its audit row the change commits; a failure after the audit keeps neither', async () => {
    const wrong: string[] = [];
    for (const name of writes) {
      const key = probeKey(name, 'audited');
      const summary = `审计探针 ${name}`;
      const r = await withProbe(t, everyRole, name, async (ctx) =>
        ctx.write(async (trx) => {
          await sql`INSERT INTO settings (key, value) VALUES (${key}, '1')`.execute(trx);
          await ctx.audit(trx, { entity: 'probe', summary });
          return { ok: true };
        }),
      );
      if (!r.ok) wrong.push(`${name}: refused with its audit row: ${r.error?.code} ${r.error?.message}`);
      if (!(await settingRow(key))) wrong.push(`${name}: change not committed`);
      if ((await auditRows(name, summary)).length !== 1) wrong.push(`${name}: audit row missing`);

      // The audit row and the change are one transaction: a failure after both keeps neither.
      const failedKey = probeKey(name, 'failed');
      const failedSummary = `审计探针(失败) ${name}`;
      const failed = await withProbe(t, everyRole, name, async (ctx) =>
        ctx.write(async (trx) => {
          await sql`INSERT INTO settings (key, value) VALUES (${failedKey}, '1')`.execute(trx);
          await ctx.audit(trx, { entity: 'probe', summary: failedSummary });
          throw new Error('probe failure after the audit row');
        }),
      );
      if (failed.ok) wrong.push(`${name}: a failing handler succeeded`);
      if (await settingRow(failedKey)) wrong.push(`${name}: the failed change was kept`);
      if ((await auditRows(name, failedSummary)).length) wrong.push(`${name}: the failed transaction's audit row was kept`);
    }
    expect(wrong).toEqual([]);
  });

  it('a write call\'s transaction that changed no rows (a lookup that found its row) commits without an audit row', async () => {
    const r = await withProbe(t, everyRole, 'training.signin.addPerson', async (ctx) =>
      ctx.write(async (trx) => {
        await trx.selectFrom('training_trainees').select('id').limit(1).execute();
        await sql`UPDATE settings SET value = value WHERE 1 = 0`.execute(trx);
        return { ok: true };
      }),
    );
    expect(r.ok).toBe(true);
  });

  it('real handlers of several areas commit with their audit rows (the rule holds for their own transactions)', async () => {
    const count = async () => Number((await t.core.readDb.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const run = async <N extends CallName>(name: N, input: Parameters<typeof t.call<N>>[1]) => {
      const before = await count();
      await t.call(name, input);
      const after = await count();
      return after - before;
    };
    expect(await run('dict.save', { kind: 'activity_kind', label: '审计探针活动', sortOrder: 990, active: true })).toBeGreaterThan(0);
    expect(await run('settings.update', { hubName: '审计探针基地' })).toBeGreaterThan(0);
    expect(await run('users.create', { username: 'audit_probe', displayName: '审计探针', roles: ['staff'], password: 'Probe@2026x' })).toBeGreaterThan(0);
    expect(await run('organizations.views.save', { name: '审计探针视图', state: {} })).toBeGreaterThan(0);
    expect(await run('training.trainees.save', { name: '审计探针', phone: '13800138111', role: 'R06' })).toBeGreaterThan(0);
    expect(await run('backups.create', {})).toBeGreaterThan(0);
  });
});
