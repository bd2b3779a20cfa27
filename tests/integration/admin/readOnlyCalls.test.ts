import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { z } from 'zod';
import { contract, type CallName } from '@shared/contract';
import type { CallDef } from '@shared/contract/define';
import { ROLES } from '@shared/roles';
import { handlers } from '../../../electron/core/handlers';
import type { CallContext } from '../../../electron/core/api/context';
import { loginAs, openDemoCore, refusal } from '../../helpers/core';

type T = Awaited<ReturnType<typeof openDemoCore>>;
type AnyHandler = (ctx: CallContext, input: unknown) => unknown;
const table = handlers as unknown as Record<string, AnyHandler>;
const defs = contract as unknown as Record<string, CallDef>;

/** Runs `name` once with `probe` in place of its handler and any input accepted, then puts both back. */
async function withProbe(t: T, token: string, name: CallName, probe: AnyHandler) {
  const handler = table[name];
  const input = defs[name].input;
  table[name] = probe;
  defs[name].input = z.unknown();
  try {
    return await t.core.invoke(name, {}, defs[name].access === 'public' ? null : token);
  } finally {
    table[name] = handler;
    defs[name].input = input;
  }
}

describe('the write flag is enforced: calls declared write: false cannot write', () => {
  let t: T;
  let everyRole: string;
  beforeAll(async () => {
    t = await openDemoCore('admin');
    await t.call('users.create', { username: 'all_roles', displayName: '全角色', roles: [...ROLES], password: 'AllRoles@2026' });
    everyRole = await loginAs(t.core, 'all_roles', 'AllRoles@2026');
  }, 60_000);
  afterAll(async () => t?.cleanup());

  it('a read call that writes through the open connection fails and changes nothing', async () => {
    const before = await t.call('users.list', {});
    const r = await withProbe(t, everyRole, 'users.list', async (ctx) => {
      await sql`UPDATE users SET display_name = 'changed' WHERE username = 'admin'`.execute(ctx.db);
      return [];
    });
    expect(r.ok).toBe(false);
    expect(r.error?.code).toBe('INTERNAL');
    expect(await t.call('users.list', {})).toEqual(before);
  });

  it('a read call that opens ctx.write fails before writing', async () => {
    const r = await withProbe(t, everyRole, 'auth.me', async (ctx) =>
      ctx.write(async (trx) => {
        await ctx.audit(trx, { entity: 'probe', summary: '不应写入' });
        return {};
      }),
    );
    expect(r.ok).toBe(false);
    const audit = await t.core.readDb.selectFrom('audit_log').select('id').where('entity', '=', 'probe').execute();
    expect(audit).toEqual([]);
  });

  it('walks every contract entry: each read call gets the read-only connection and no ctx.write', async () => {
    const reads = (Object.keys(contract) as CallName[]).filter((n) => !defs[n].write);
    expect(reads.length).toBeGreaterThan(20);
    const leaks: string[] = [];
    for (const name of reads) {
      const seen: string[] = [];
      await withProbe(t, everyRole, name, async (ctx) => {
        try {
          await ctx.write(async () => 1);
          seen.push('ctx.write allowed');
        } catch {
          // refused, as it must be
        }
        try {
          await sql`INSERT INTO settings (key, value) VALUES ('probe.readonly', '1')`.execute(ctx.db);
          seen.push('INSERT allowed');
        } catch (e) {
          if (!/readonly|read-only/i.test((e as Error).message)) seen.push(`unexpected: ${(e as Error).message}`);
        }
        return null;
      });
      if (seen.length) leaks.push(`${name}: ${seen.join(', ')}`);
    }
    expect(leaks).toEqual([]);
  });

  it('writing calls still write (declared write: true), login included: it counts failures and audits', async () => {
    expect(defs['auth.login'].write).toBe(true);
    const err = await refusal(t.core, 'auth.login', { username: 'zhangli', password: 'wrong-password' });
    expect(err.code).not.toBe('INTERNAL');
    const rows = await t.core.readDb.selectFrom('audit_log').select(['action', 'summary']).where('action', '=', 'auth.login').execute();
    expect(rows.length).toBeGreaterThan(0);
  });
});
