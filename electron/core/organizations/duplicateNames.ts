import { duplicateNameWarning, orgNameKey } from '@shared/organizations/duplicateName';
import { ORG_TEXT_RULES } from '@shared/organizations/model';
import type { Db } from '../db/connection';

/** Organizations whose names are the same as `name` once width, blanks and bracket forms are set aside. */
export async function similarNames(db: Db, name: string, excludeId?: string): Promise<{ similar: { id: string; name: string }[]; warning: string | null }> {
  // Compared as it would be stored: the form's text rule makes （） and (), blanks between characters, one name.
  const stored = ORG_TEXT_RULES.name(name);
  const key = orgNameKey(stored);
  if (!key) return { similar: [], warning: null };
  const rows = await db.selectFrom('organizations').select(['id', 'name']).execute();
  const similar = rows.filter((r) => r.id !== excludeId && orgNameKey(r.name) === key);
  return { similar, warning: similar.length ? duplicateNameWarning(stored, similar.map((s) => s.name)) : null };
}

/** Every organization by its name key, for an import preview (one read for the whole file). */
export async function nameKeyIndex(db: Db): Promise<Map<string, { id: string; name: string }[]>> {
  const index = new Map<string, { id: string; name: string }[]>();
  for (const r of await db.selectFrom('organizations').select(['id', 'name']).execute()) {
    const k = orgNameKey(r.name);
    const list = index.get(k);
    if (list) list.push(r);
    else index.set(k, [r]);
  }
  return index;
}
