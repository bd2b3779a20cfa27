import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, type CallName } from '@shared/contract';
import { ROLES, type Role } from '@shared/roles';
import { caller, loginAs, openDemoCore, refusal } from '../../helpers/core';

type T = Awaited<ReturnType<typeof openDemoCore>>;

/** Calls that change only the caller's own account: every logged-in role may make them. */
const SELF_SERVICE_WRITES = new Set(['auth.changePassword']);

describe('every contract entry is guarded', () => {
  let t: T;
  const tokens = {} as Record<Role, string>;
  beforeAll(async () => {
    t = await openDemoCore('admin');
    for (const role of ROLES) {
      const username = `only_${role}`;
      await t.call('users.create', { username, displayName: `仅${role}`, roles: [role], password: 'Only@2026x' });
      tokens[role] = await loginAs(t.core, username, 'Only@2026x');
    }
  }, 60_000);
  afterAll(async () => t?.cleanup());

  const entries = Object.entries(contract) as [CallName, (typeof contract)[CallName]][];

  it('has a Chinese title and schemas for each call', () => {
    for (const [name, def] of entries) {
      expect(def.title, name).toMatch(/[\u4e00-\u9fa5]/);
      expect(def.input, name).toBeDefined();
      expect(def.output, name).toBeDefined();
    }
  });

  it('never lets the viewer role write', () => {
    for (const [name, def] of entries) {
      if (!def.write || SELF_SERVICE_WRITES.has(name) || def.access === 'public') continue;
      expect(def.access === 'authenticated' ? 'authenticated' : def.access, `${name} is a write open to viewers`).not.toContain('viewer');
      expect(def.access, `${name} is a write open to every logged-in user`).not.toBe('authenticated');
    }
  });

  it('refuses every non-public call without a session', async () => {
    for (const [name, def] of entries) {
      if (def.access === 'public') continue;
      const err = await refusal(t.core, name, {}, null);
      expect(err.code, name).toBe('UNAUTHENTICATED');
    }
  });

  it('refuses every role-restricted call to each role outside its list, before reading the input', async () => {
    let checked = 0;
    for (const [name, def] of entries) {
      if (!Array.isArray(def.access)) continue;
      for (const role of ROLES) {
        if ((def.access as readonly Role[]).includes(role)) continue;
        const err = await refusal(t.core, name, {}, tokens[role]);
        expect(err.code, `${name} as ${role}`).toBe('FORBIDDEN');
        expect(err.message).toContain(def.title);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('answers an unknown call with a typed error', async () => {
    const err = await refusal(t.core, 'no.such.call', {}, t.token);
    expect(err.code).toBe('UNKNOWN_CALL');
  });

  it('validates input at the boundary with a Chinese message naming the field', async () => {
    const err = await refusal(t.core, 'users.create', { username: 'ab', displayName: '甲', roles: ['admin'], password: 123 }, t.token);
    expect(err.code).toBe('VALIDATION');
    // the field by its Chinese label, never its internal name (issue 18)
    expect(err.message).toContain('「密码」');
    expect(err.message).not.toContain('password');
    expect(err.issues?.[0]).toMatchObject({ path: 'password', label: '密码' });
    const call = caller(t.core, t.token);
    expect((await call('users.list', {})).some((u) => u.username === 'ab')).toBe(false);
  });
});
