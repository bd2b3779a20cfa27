import { afterEach, describe, expect, it } from 'vitest';
import { caller, loginAs, openDemoCore, refusal } from '../helpers/core';
import { DEMO_PASSWORD } from '../../electron/core/seed';
import { fault, tracePoints } from './faults';

describe('login under attack', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => cleanup?.());

  it('40 simultaneous wrong passwords lock the account (each attempt is counted before the hash is checked)', async () => {
    const t = await openDemoCore('admin');
    cleanup = t.cleanup;
    await fault('40 parallel wrong passwords for one account', async () => {
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) => t.core.invoke('auth.login', { username: 'zhangli', password: `wrong-${i}` })),
      );
      expect(results.every((r) => !r.ok)).toBe(true);
      expect(results.filter((r) => r.error!.code === 'ACCOUNT_LOCKED').length).toBeGreaterThanOrEqual(35);
      // Locked: even the right password is refused now.
      expect((await refusal(t.core, 'auth.login', { username: 'zhangli', password: DEMO_PASSWORD })).code).toBe('ACCOUNT_LOCKED');
      const users = await t.call('users.list', {});
      expect(users.find((u) => u.username === 'zhangli')!.lockedUntil).not.toBeNull();
      // At most the allowed number of guesses had their hash checked.
      const audit = await t.call('audit.list', { startRow: 0, endRow: 100, filter: { action: 'auth.loginFailed' } });
      expect(audit.rows.length).toBeLessThanOrEqual(5);
    });
  });

  it('an unknown username costs a password hash like a known one (no early answer that tells which names exist)', async () => {
    const t = await openDemoCore('admin');
    cleanup = t.cleanup;
    const trace = tracePoints();
    const unknown = await refusal(t.core, 'auth.login', { username: 'nobody-here', password: 'Whatever@1' });
    const unknownHashes = trace.points.filter((p) => p === 'auth.verifyHash').length;
    trace.points.length = 0;
    const known = await refusal(t.core, 'auth.login', { username: 'zhangli', password: 'Whatever@1' });
    const knownHashes = trace.points.filter((p) => p === 'auth.verifyHash').length;
    expect(unknown).toMatchObject({ code: 'UNAUTHENTICATED', message: '用户名或密码错误' });
    expect(known).toMatchObject({ code: 'UNAUTHENTICATED', message: '用户名或密码错误' });
    expect(unknownHashes).toBe(1);
    expect(knownHashes).toBe(1);
  });

  it('a right password after wrong ones resets the count; parallel right logins below the limit all succeed', async () => {
    const t = await openDemoCore('admin');
    cleanup = t.cleanup;
    for (let i = 0; i < 3; i++) await refusal(t.core, 'auth.login', { username: 'zhangli', password: 'nope-nope' });
    await loginAs(t.core, 'zhangli');
    const ok = await Promise.all(Array.from({ length: 4 }, () => t.core.invoke('auth.login', { username: 'zhangli', password: DEMO_PASSWORD })));
    expect(ok.every((r) => r.ok)).toBe(true);
    for (let i = 0; i < 4; i++) expect((await refusal(t.core, 'auth.login', { username: 'zhangli', password: 'nope-nope' })).code).toBe('UNAUTHENTICATED');
    await loginAs(t.core, 'zhangli');
  });

  it('an unknown username is locked after the same number of guesses, with the same answer', async () => {
    const t = await openDemoCore('admin');
    cleanup = t.cleanup;
    const codes = [];
    for (let i = 0; i < 6; i++) codes.push((await refusal(t.core, 'auth.login', { username: 'ghost', password: 'nope-nope' })).code);
    expect(codes).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'ACCOUNT_LOCKED', 'ACCOUNT_LOCKED']);
  });

  it('changing a password ends the user’s other sessions and keeps the current one', async () => {
    const t = await openDemoCore('admin');
    cleanup = t.cleanup;
    const here = await loginAs(t.core, 'zhangli');
    const other = await loginAs(t.core, 'zhangli');
    const admin = t.token;
    await caller(t.core, here)('auth.changePassword', { oldPassword: DEMO_PASSWORD, newPassword: 'Newer@2026x' });
    expect((await caller(t.core, here)('auth.me', {})).user.username).toBe('zhangli');
    expect((await refusal(t.core, 'auth.me', {}, other)).code).toBe('UNAUTHENTICATED');
    expect((await caller(t.core, admin)('auth.me', {})).user.username).toBe('admin');
  });
});
