import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { SessionUser, UserRow } from '@shared/contract/admin';
import { AppError, fail } from '@shared/errors';
import type { Role } from '@shared/roles';
import type { Database, UserTable } from '../db/schema';
import type { CallContext, Trx } from '../api/context';
import { checkVersion, nextVersion } from '../api/versions';
import { dummyHash, hashPassword, verifyPassword } from './passwords';

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MS = 5 * 60 * 1000;

export const toSessionUser = (u: UserTable): SessionUser => ({
  id: u.id,
  username: u.username,
  displayName: u.display_name,
  roles: JSON.parse(u.roles) as Role[],
});

const toUserRow = (u: UserTable): UserRow => ({
  ...toSessionUser(u),
  disabled: u.disabled === 1,
  lockedUntil: u.locked_until,
  lastLoginAt: u.last_login_at,
  createdAt: u.created_at,
  version: u.version,
});

/** The session's user as of now (a disabled user's sessions stop working at once). */
export async function loadSessionUser(db: Kysely<Database>, id: string): Promise<SessionUser | null> {
  const u = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  if (!u || u.disabled) return null;
  return toSessionUser(u);
}

export async function insertUser(
  trx: Trx,
  input: { username: string; displayName: string; roles: Role[]; password: string; passwordHash?: string },
  now: Date,
): Promise<UserTable> {
  const exists = await trx
    .selectFrom('users')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['username']), '=', input.username.toLowerCase()))
    .executeTakeFirst();
  if (exists) throw fail.conflict(`用户名「${input.username}」已被使用`);
  const row: UserTable = {
    id: randomUUID(),
    username: input.username,
    display_name: input.displayName,
    roles: JSON.stringify([...new Set(input.roles)]),
    password_hash: input.passwordHash ?? (await hashPassword(input.password)),
    disabled: 0,
    failed_attempts: 0,
    locked_until: null,
    last_login_at: null,
    version: 1,
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
  };
  await trx.insertInto('users').values(row).execute();
  return row;
}

/** Audit snapshots never carry the password hash. */
const auditable = (u: UserTable) => ({ ...toUserRow(u) });

interface AttemptState {
  failed: number;
  lockedUntil: string | null;
}

interface CountedAttempt {
  attempts: number;
  /** This attempt reached the limit: the account is locked from now on unless the password turns out right. */
  locks: boolean;
}

/** The lockout rule on one username's count: refuses while locked; an expired lock starts a fresh count. */
function nextAttempt(state: AttemptState, now: Date): AttemptState & CountedAttempt {
  if (state.lockedUntil && new Date(state.lockedUntil) > now) {
    const minutes = Math.ceil((new Date(state.lockedUntil).getTime() - now.getTime()) / 60_000);
    throw new AppError('ACCOUNT_LOCKED', `密码错误次数过多，账户已锁定，请 ${minutes} 分钟后再试`);
  }
  const attempts = (state.lockedUntil ? 0 : state.failed) + 1;
  const locks = attempts >= MAX_FAILED_LOGINS;
  return { failed: attempts, lockedUntil: locks ? new Date(now.getTime() + LOCKOUT_MS).toISOString() : null, attempts, locks };
}

/**
 * Step 1 of a login, before the slow hash: the attempt is counted in one write transaction (BEGIN IMMEDIATE, so
 * parallel attempts queue), and the attempt that reaches the limit locks at once. Forty simultaneous guesses
 * therefore get at most five hash checks. Unknown usernames are counted the same way in `login_attempts`.
 * When the data folder cannot be written (read-only, disk full) the count is kept in memory instead.
 */
async function countAttempt(ctx: CallContext, key: string, userId: string | null): Promise<CountedAttempt> {
  const now = ctx.now();
  const inMemory = (): CountedAttempt => {
    const next = nextAttempt(ctx.core.memoryLoginAttempts.get(key) ?? { failed: 0, lockedUntil: null }, now);
    ctx.core.memoryLoginAttempts.set(key, { failed: next.failed, lockedUntil: next.lockedUntil });
    return next;
  };
  if (ctx.core.readOnly) return inMemory();
  try {
    return await ctx.write(async (trx) => {
      if (userId) {
        const row = await trx.selectFrom('users').select(['failed_attempts', 'locked_until']).where('id', '=', userId).executeTakeFirstOrThrow();
        const next = nextAttempt({ failed: row.failed_attempts, lockedUntil: row.locked_until }, now);
        await trx.updateTable('users').set({ failed_attempts: next.failed, locked_until: next.lockedUntil }).where('id', '=', userId).execute();
        return next;
      }
      const row = await trx.selectFrom('login_attempts').select(['failed_attempts', 'locked_until']).where('username_key', '=', key).executeTakeFirst();
      const next = nextAttempt({ failed: row?.failed_attempts ?? 0, lockedUntil: row?.locked_until ?? null }, now);
      const at = now.toISOString();
      await trx
        .insertInto('login_attempts')
        .values({ username_key: key, failed_attempts: next.failed, locked_until: next.lockedUntil, updated_at: at })
        .onConflict((oc) => oc.column('username_key').doUpdateSet({ failed_attempts: next.failed, locked_until: next.lockedUntil, updated_at: at }))
        .execute();
      // Guessed names are forgotten after a day.
      await trx.deleteFrom('login_attempts').where('updated_at', '<', new Date(now.getTime() - 24 * 3600_000).toISOString()).execute();
      return next;
    });
  } catch (e) {
    if (ctx.core.storageFailed(e)) return inMemory();
    throw e;
  }
}

/** Runs a login's bookkeeping write; a folder that cannot be written skips it (the login itself needs no write). */
async function bookkeeping(ctx: CallContext, fn: (trx: Trx) => Promise<void>): Promise<void> {
  if (ctx.core.readOnly) return;
  try {
    await ctx.write(fn);
  } catch (e) {
    if (!ctx.core.storageFailed(e)) throw e;
  }
}

/**
 * Known and unknown usernames take the same path: one counting write, one scrypt check (against a dummy hash
 * for an unknown name), one audit write, the same answers; so neither time nor message tells which names exist.
 */
export async function login(ctx: CallContext, username: string, password: string): Promise<SessionUser> {
  const key = username.toLowerCase();
  const u = await ctx.db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['username']), '=', key))
    .executeTakeFirst();
  if (u?.disabled) throw new AppError('UNAUTHENTICATED', '该账户已停用，请联系管理员');
  const attempt = await countAttempt(ctx, key, u?.id ?? null);
  const ok = await verifyPassword(password, u ? u.password_hash : await dummyHash());
  const now = ctx.now();
  if (u && ok) {
    ctx.core.memoryLoginAttempts.delete(key);
    await bookkeeping(ctx, async (trx) => {
      await trx
        .updateTable('users')
        .set({ failed_attempts: 0, locked_until: null, last_login_at: now.toISOString() })
        .where('id', '=', u.id)
        .execute();
      await ctx.audit(trx, { action: 'auth.login', entity: 'user', entityId: u.id, actor: { id: u.id, username: u.username }, summary: `用户「${u.username}」登录` });
    });
    return toSessionUser(u);
  }
  const name = u ? `用户「${u.username}」` : `未知用户名「${username.slice(0, 64)}」`;
  const summary = attempt.locks
    ? `${name}连续 ${MAX_FAILED_LOGINS} 次密码错误，账户锁定 5 分钟`
    : `${name}密码错误(第 ${attempt.attempts} 次)`;
  await bookkeeping(ctx, (trx) =>
    ctx.audit(trx, {
      action: u ? 'auth.loginFailed' : 'auth.loginUnknown',
      entity: 'user',
      entityId: u?.id ?? null,
      actor: u ? { id: u.id, username: u.username } : undefined,
      summary,
    }),
  );
  if (ctx.core.readOnly) ctx.core.log('warn', `登录失败(数据目录不可写，未记入审计)：${summary}`);
  if (attempt.locks) throw new AppError('ACCOUNT_LOCKED', '密码错误次数过多，账户已锁定 5 分钟');
  throw new AppError('UNAUTHENTICATED', '用户名或密码错误');
}

export async function checkOwnPassword(ctx: CallContext, password: string): Promise<void> {
  const me = ctx.requireUser();
  const u = await ctx.db.selectFrom('users').select('password_hash').where('id', '=', me.id).executeTakeFirstOrThrow();
  if (!(await verifyPassword(password, u.password_hash))) throw new AppError('VALIDATION', '密码错误');
}

export async function listUsers(ctx: CallContext): Promise<UserRow[]> {
  const rows = await ctx.db.selectFrom('users').selectAll().orderBy('created_at').execute();
  return rows.map(toUserRow);
}

export async function createUser(
  ctx: CallContext,
  input: { username: string; displayName: string; roles: Role[]; password: string },
): Promise<{ id: string }> {
  return ctx.write(async (trx) => {
    const row = await insertUser(trx, input, ctx.now());
    await ctx.audit(trx, { entity: 'user', entityId: row.id, summary: `新建用户「${row.username}」`, after: auditable(row) });
    return { id: row.id };
  });
}

async function getUser(trx: Trx, id: string): Promise<UserTable> {
  const u = await trx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  if (!u) throw fail.notFound('用户');
  return u;
}

/** At least one enabled administrator must remain, or nobody could manage users again. */
async function assertAdminRemains(trx: Trx, changedId: string): Promise<void> {
  const admins = await trx.selectFrom('users').select(['id', 'roles']).where('disabled', '=', 0).execute();
  const remaining = admins.filter((a) => a.id !== changedId && (JSON.parse(a.roles) as Role[]).includes('admin'));
  if (remaining.length === 0) throw fail.rule('至少需要保留一个启用的系统管理员账户');
}

export async function updateUser(
  ctx: CallContext,
  input: { id: string; version?: number; displayName: string; roles: Role[]; disabled: boolean },
): Promise<void> {
  await ctx.write(async (trx) => {
    const before = await getUser(trx, input.id);
    await checkVersion(trx, 'users', input.id, input.version);
    if (input.disabled || !input.roles.includes('admin')) await assertAdminRemains(trx, input.id);
    await trx
      .updateTable('users')
      .set({
        display_name: input.displayName,
        roles: JSON.stringify([...new Set(input.roles)]),
        disabled: input.disabled ? 1 : 0,
        updated_at: ctx.now().toISOString(),
        version: nextVersion(),
      })
      .where('id', '=', input.id)
      .execute();
    const after = await getUser(trx, input.id);
    await ctx.audit(trx, {
      entity: 'user',
      entityId: input.id,
      summary: `${input.disabled && !before.disabled ? '停用' : '修改'}用户「${before.username}」`,
      before: auditable(before),
      after: auditable(after),
    });
  });
  if (input.disabled) ctx.core.sessions.endAllOf(input.id);
}

export async function resetPassword(ctx: CallContext, id: string, newPassword: string): Promise<void> {
  const hash = await hashPassword(newPassword);
  await ctx.write(async (trx) => {
    const u = await getUser(trx, id);
    await trx
      .updateTable('users')
      .set({ password_hash: hash, failed_attempts: 0, locked_until: null, updated_at: ctx.now().toISOString() })
      .where('id', '=', id)
      .execute();
    await ctx.audit(trx, { entity: 'user', entityId: id, summary: `重置用户「${u.username}」的密码` });
  });
  ctx.core.sessions.endAllOf(id);
}

export async function changeOwnPassword(ctx: CallContext, oldPassword: string, newPassword: string): Promise<void> {
  await checkOwnPassword(ctx, oldPassword);
  const me = ctx.requireUser();
  const hash = await hashPassword(newPassword);
  await ctx.write(async (trx) => {
    await trx.updateTable('users').set({ password_hash: hash, updated_at: ctx.now().toISOString() }).where('id', '=', me.id).execute();
    await ctx.audit(trx, { entity: 'user', entityId: me.id, summary: `用户「${me.username}」修改了自己的密码` });
  });
  // Whoever else was logged in with the old password is logged out; this window stays.
  ctx.core.sessions.endAllOf(me.id, ctx.token);
}
