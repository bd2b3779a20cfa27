import { fail } from '@shared/errors';
import type { CallContext } from '../api/context';

/** 系统管理 → 在线用户: every open session, with the address and program it came from. */
export async function listSessions(ctx: CallContext) {
  const sessions = ctx.core.sessions.list();
  const ids = [...new Set(sessions.map((s) => s.userId))];
  const users = ids.length ? await ctx.db.selectFrom('users').select(['id', 'username', 'display_name']).where('id', 'in', ids).execute() : [];
  const byId = new Map(users.map((u) => [u.id, u]));
  const mine = ctx.core.sessions.peek(ctx.token)?.id;
  return sessions
    .map((s) => ({
      id: s.id,
      username: byId.get(s.userId)?.username ?? '(已删除)',
      displayName: byId.get(s.userId)?.display_name ?? '(已删除)',
      address: s.address,
      program: s.program,
      since: new Date(s.createdAt).toISOString(),
      lastActivity: new Date(s.lastActivity).toISOString(),
      locked: s.locked,
      current: s.id === mine,
    }))
    .sort((a, b) => a.since.localeCompare(b.since));
}

/** The admin ends a session: that user's screens go back to the login page at their next call or event. */
export async function endSession(ctx: CallContext, id: string) {
  const target = ctx.core.sessions.list().find((s) => s.id === id);
  if (!target) throw fail.notFound('该会话');
  const user = await ctx.db.selectFrom('users').select(['username', 'display_name']).where('id', '=', target.userId).executeTakeFirst();
  await ctx.write(async (trx) => {
    await ctx.audit(trx, {
      entity: 'session',
      entityId: target.userId,
      summary: `结束了 ${user?.display_name ?? '?'}(${user?.username ?? '?'})在 ${target.address}(${target.program})的会话`,
    });
  });
  ctx.core.sessions.endById(id);
  return { ok: true as const };
}
