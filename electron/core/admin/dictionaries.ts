import type { DictEntry } from '@shared/contract/admin';
import { DICTIONARY_KINDS, type DictionaryKind } from '@shared/admin/dictionaries';
import { fail } from '@shared/errors';
import type { CallContext } from '../api/context';
import type { Db } from '../db/connection';

export async function listDictionary(db: Db, kind?: DictionaryKind): Promise<DictEntry[]> {
  let q = db.selectFrom('dictionary_entries').selectAll();
  if (kind) q = q.where('kind', '=', kind);
  const rows = await q.orderBy('kind').orderBy('sort_order').orderBy('code').execute();
  return rows.map((r) => ({ kind: r.kind as DictionaryKind, code: r.code, label: r.label, sortOrder: r.sort_order, active: r.active === 1 }));
}

/** Label of a code, for exports and messages; unknown codes are shown as they are. */
export async function dictionaryLabels(db: Db, kind: DictionaryKind): Promise<Map<string, string>> {
  return new Map((await listDictionary(db, kind)).map((e) => [e.code, e.label]));
}

/**
 * Creates or relabels an entry. Codes never change (records store them); entries are deactivated, never
 * deleted, so old records keep their meaning.
 */
export async function saveDictionaryEntry(
  ctx: CallContext,
  input: { kind: DictionaryKind; code?: string; label: string; sortOrder: number; active: boolean },
): Promise<DictEntry> {
  return ctx.write(async (trx) => {
    const existing = await listDictionary(trx, input.kind);
    const clash = existing.find((e) => e.label === input.label && e.code !== input.code);
    if (clash) throw fail.conflict(`${DICTIONARY_KINDS[input.kind]}中已有「${input.label}」(代码 ${clash.code})`);
    let code = input.code;
    const before = code ? existing.find((e) => e.code === code) : undefined;
    if (code && !before) throw fail.notFound(`字典项 ${code}`);
    if (!code) {
      const prefix = existing[0]?.code.replace(/\d+$/, '') ?? 'X';
      const max = Math.max(0, ...existing.map((e) => Number(e.code.replace(/^\D+/, '')) || 0));
      code = `${prefix}${String(max + 1).padStart(2, '0')}`;
      await trx
        .insertInto('dictionary_entries')
        .values({ kind: input.kind, code, label: input.label, sort_order: input.sortOrder, active: input.active ? 1 : 0 })
        .execute();
    } else {
      await trx
        .updateTable('dictionary_entries')
        .set({ label: input.label, sort_order: input.sortOrder, active: input.active ? 1 : 0 })
        .where('kind', '=', input.kind)
        .where('code', '=', code)
        .execute();
    }
    const after: DictEntry = { kind: input.kind, code, label: input.label, sortOrder: input.sortOrder, active: input.active };
    await ctx.audit(trx, {
      entity: 'dictionary',
      entityId: `${input.kind}:${code}`,
      summary: `${before ? '修改' : '新增'}${DICTIONARY_KINDS[input.kind]}「${input.label}」`,
      before,
      after,
    });
    return after;
  });
}
