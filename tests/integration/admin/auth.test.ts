import { afterEach, describe, expect, it } from 'vitest';
import { caller, loginAs, openDemoCore, openTestCore, refusal } from '../../helpers/core';
import { rawAll, rawGet } from '../../helpers/engine';

/** A clock the test moves by hand. */
function manualClock(start = '2026-03-05T02:00:00Z') {
  let t = new Date(start).getTime();
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
}

describe('first-run setup', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => cleanup?.());

  it('sets up the hub and its administrator once, validating the region code for the level', async () => {
    const t = await openTestCore();
    cleanup = t.cleanup;
    const call = caller(t.core);
    expect((await call('system.status', {})).initialized).toBe(false);
    const bad = await refusal(t.core, 'system.setup', {
      hubName: '桂溪街道孵化基地', regionCode: '510107', level: 'township', adminUsername: 'boss', adminDisplayName: '刘主任', adminPassword: 'Guixi@2026',
    });
    expect(bad.code).toBe('VALIDATION');
    expect(bad.message).toContain('9 位');
    expect((await call('system.status', {})).initialized).toBe(false);
    await call('system.setup', {
      hubName: '桂溪街道孵化基地', regionCode: '510107007', level: 'township', adminUsername: 'boss', adminDisplayName: '刘主任', adminPassword: 'Guixi@2026',
    });
    const status = await call('system.status', {});
    expect(status.hub).toMatchObject({ name: '桂溪街道孵化基地', regionCode: '510107007', level: 'township' });
    const again = await refusal(t.core, 'system.setup', {
      hubName: '另一个', regionCode: '510107007', level: 'township', adminUsername: 'x2', adminDisplayName: '某', adminPassword: 'Other@2026',
    });
    expect(again.code).toBe('RULE');
    const token = await loginAs(t.core, 'boss', 'Guixi@2026');
    expect((await caller(t.core, token)('auth.me', {})).user.roles).toEqual(['admin']);
    // setup leaves a first backup behind
    expect(t.core.backups.list().map((b) => b.reason)).toContain('setup');
  });
});

describe('login, lockout and idle lock', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => cleanup?.());

  it('locks an account for 5 minutes after 5 wrong passwords, and audits each failure', async () => {
    const clock = manualClock();
    const t = await openTestCore({ seed: 'demo', now: clock.now });
    cleanup = t.cleanup;
    for (let i = 1; i <= 4; i++) {
      const e = await refusal(t.core, 'auth.login', { username: 'zhangli', password: 'nope' });
      expect(e.code).toBe('UNAUTHENTICATED');
      expect(e.message).toBe('用户名或密码错误');
    }
    const fifth = await refusal(t.core, 'auth.login', { username: 'zhangli', password: 'nope' });
    expect(fifth.code).toBe('ACCOUNT_LOCKED');
    const during = await refusal(t.core, 'auth.login', { username: 'zhangli', password: 'Demo@2026' });
    expect(during.code).toBe('ACCOUNT_LOCKED');
    expect(during.message).toMatch(/5 分钟/);
    clock.advance(4 * 60_000);
    expect((await refusal(t.core, 'auth.login', { username: 'zhangli', password: 'Demo@2026' })).code).toBe('ACCOUNT_LOCKED');
    clock.advance(61_000);
    const token = await loginAs(t.core, 'zhangli');
    expect(token).toBeTruthy();
    // an unknown user gets the same message as a wrong password
    expect((await refusal(t.core, 'auth.login', { username: 'ghost', password: 'x' })).message).toBe('用户名或密码错误');
    const admin = caller(t.core, await loginAs(t.core, 'admin'));
    const audit = await admin('audit.list', { startRow: 0, endRow: 50, filter: { action: 'auth.loginFailed' } });
    expect(audit.total).toBe(5);
    expect(audit.rows[0].summary).toContain('锁定');
  });

  it('locks an idle session; the password unlocks it, other calls are refused meanwhile', async () => {
    const clock = manualClock();
    const t = await openTestCore({ seed: 'demo', now: clock.now });
    cleanup = t.cleanup;
    const token = await loginAs(t.core, 'zhangli');
    const call = caller(t.core, token);
    await call('auth.me', {});
    clock.advance(14 * 60_000);
    await call('auth.me', {}); // activity resets the idle clock
    clock.advance(16 * 60_000);
    expect((await refusal(t.core, 'auth.me', {}, token)).code).toBe('SESSION_LOCKED');
    expect((await refusal(t.core, 'auth.unlock', { password: 'wrong' }, token)).code).toBe('VALIDATION');
    expect((await refusal(t.core, 'dict.list', {}, token)).code).toBe('SESSION_LOCKED');
    await call('auth.unlock', { password: 'Demo@2026' });
    expect((await call('auth.me', {})).user.username).toBe('zhangli');
  });

  it('ends the sessions of a disabled user at once and keeps one administrator', async () => {
    const t = await openDemoCore('admin');
    cleanup = t.cleanup;
    const staffToken = await loginAs(t.core, 'zhangli');
    const users = await t.call('users.list', {});
    const zhang = users.find((u) => u.username === 'zhangli')!;
    await t.call('users.update', { id: zhang.id, version: zhang.version, displayName: zhang.displayName, roles: zhang.roles, disabled: true });
    expect((await refusal(t.core, 'auth.me', {}, staffToken)).code).toBe('UNAUTHENTICATED');
    expect((await refusal(t.core, 'auth.login', { username: 'zhangli', password: 'Demo@2026' })).message).toContain('停用');
    const admin = users.find((u) => u.username === 'admin')!;
    expect((await refusal(t.core, 'users.update', { id: admin.id, version: admin.version, displayName: 'x', roles: ['staff'], disabled: false }, t.token)).message).toContain('至少需要保留一个');
    expect((await refusal(t.core, 'users.update', { id: admin.id, version: admin.version, displayName: 'x', roles: ['admin'], disabled: true }, t.token)).code).toBe('RULE');
  });

  it('creates users with hashed passwords, refuses duplicates case-insensitively, resets passwords', async () => {
    const t = await openDemoCore('admin');
    cleanup = t.cleanup;
    const { id } = await t.call('users.create', { username: 'Wang.Li', displayName: '王丽', roles: ['staff', 'approver'], password: 'Start@2026' });
    const dup = await refusal(t.core, 'users.create', { username: 'wang.li', displayName: '另一个', roles: ['staff'], password: 'Start@2026' }, t.token);
    expect(dup.code).toBe('CONFLICT');
    const stored = (await rawGet<{ password_hash: string }>(t.core, 'SELECT password_hash FROM users WHERE id = ?', id))!;
    expect(stored.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(stored.password_hash).not.toContain('Start@2026');
    const userToken = await loginAs(t.core, 'wang.li', 'Start@2026');
    await t.call('users.resetPassword', { id, newPassword: 'Reset@2026' });
    expect((await refusal(t.core, 'auth.me', {}, userToken)).code).toBe('UNAUTHENTICATED');
    expect((await refusal(t.core, 'auth.login', { username: 'wang.li', password: 'Start@2026' })).code).toBe('UNAUTHENTICATED');
    await loginAs(t.core, 'wang.li', 'Reset@2026');
    // the audit trail never carries a password or its hash
    const rows = await rawAll<Record<string, string | null>>(t.core, "SELECT before_json, after_json FROM audit_log WHERE entity = 'user'");
    for (const r of rows) expect(`${r.before_json}${r.after_json}`).not.toMatch(/scrypt|Start@2026|Reset@2026/);
  });
});
