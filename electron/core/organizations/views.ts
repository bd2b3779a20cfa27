/**
 * Saved views of the organization list, kept per user in the foundation's `saved_views` table (screen
 * `organizations.list`), so a view follows the user to any machine that opens the same data folder or host.
 * Saving under an existing name replaces that view.
 */
import { randomUUID } from 'node:crypto';
import { fail } from '@shared/errors';
import { zOrgViewState, type OrgView, type OrgViewState } from '@shared/contract/organizations';
import type { CallContext } from '../api/context';

export const ORG_VIEW_SCREEN = 'organizations.list';
/** A user keeps at most this many views of the list. */
export const MAX_ORG_VIEWS = 50;

export async function listViews(ctx: CallContext): Promise<OrgView[]> {
  const user = ctx.requireUser();
  const rows = await ctx.db
    .selectFrom('saved_views')
    .selectAll()
    .where('user_id', '=', user.id)
    .where('screen', '=', ORG_VIEW_SCREEN)
    .orderBy('name')
    .execute();
  const out: OrgView[] = [];
  for (const r of rows) {
    // a view saved by an older version whose filters no longer parse is left out rather than breaking the list
    let raw: unknown;
    try {
      raw = JSON.parse(r.state_json);
    } catch {
      continue;
    }
    const state = zOrgViewState.safeParse(raw);
    if (state.success) out.push({ id: r.id, name: r.name, state: state.data, createdAt: r.created_at });
  }
  return out;
}

export async function saveView(ctx: CallContext, name: string, state: OrgViewState): Promise<{ id: string; replaced: boolean }> {
  const user = ctx.requireUser();
  const nowIso = ctx.now().toISOString();
  return ctx.write(async (trx) => {
    const mine = trx.selectFrom('saved_views').where('user_id', '=', user.id).where('screen', '=', ORG_VIEW_SCREEN);
    const same = await mine.select('id').where('name', '=', name).executeTakeFirst();
    if (same) {
      await trx.updateTable('saved_views').set({ state_json: JSON.stringify(state), created_at: nowIso }).where('id', '=', same.id).execute();
    } else {
      const n = Number((await mine.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      if (n >= MAX_ORG_VIEWS) throw fail.rule(`每人最多保存 ${MAX_ORG_VIEWS} 个视图,请先删除不用的视图`);
    }
    const id = same?.id ?? randomUUID();
    if (!same) {
      await trx
        .insertInto('saved_views')
        .values({ id, user_id: user.id, screen: ORG_VIEW_SCREEN, name, state_json: JSON.stringify(state), created_at: nowIso })
        .execute();
    }
    await ctx.audit(trx, { entity: 'saved_view', entityId: id, summary: `${same ? '更新' : '保存'}组织台账视图「${name}」`, after: state });
    return { id, replaced: !!same };
  });
}

export async function deleteView(ctx: CallContext, id: string): Promise<void> {
  const user = ctx.requireUser();
  await ctx.write(async (trx) => {
    const row = await trx.selectFrom('saved_views').selectAll().where('id', '=', id).where('screen', '=', ORG_VIEW_SCREEN).executeTakeFirst();
    // another user's view is as good as missing: views are private
    if (!row || row.user_id !== user.id) throw fail.notFound('视图');
    await trx.deleteFrom('saved_views').where('id', '=', id).execute();
    await ctx.audit(trx, { entity: 'saved_view', entityId: id, summary: `删除组织台账视图「${row.name}」`, before: { name: row.name } });
  });
}
