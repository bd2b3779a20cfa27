/**
 * The training area's dictionaries (培训对象角色, 培训类别, 培训形式) are hub-editable lists kept by the
 * admin area; these are their defaults. Records store codes (R01, C01, M01…), never labels.
 */
import { DEFAULT_DICTIONARIES } from '../admin/dictionaries';

export interface DictEntry {
  code: string;
  label: string;
}

export const DEFAULT_TRAINEE_ROLES: readonly DictEntry[] = DEFAULT_DICTIONARIES.training_role;
export const DEFAULT_SESSION_CATEGORIES: readonly DictEntry[] = DEFAULT_DICTIONARIES.training_category;
export const DEFAULT_SESSION_FORMATS: readonly DictEntry[] = DEFAULT_DICTIONARIES.training_format;

/** Looks a label or a code up in a dictionary, as an imported sheet may hold either. */
export function resolveDictValue(entries: readonly DictEntry[], raw: string): DictEntry | null {
  const s = raw.normalize('NFKC').trim();
  if (s === '') return null;
  const fold = (x: string) => x.normalize('NFKC').replace(/[()（）\s]/g, '').toLowerCase();
  return entries.find((e) => e.code === s) ?? entries.find((e) => fold(e.label) === fold(s)) ?? entries.find((e) => fold(e.code) === fold(s)) ?? null;
}

export function dictLabel(entries: readonly DictEntry[], code: string): string {
  return entries.find((e) => e.code === code)?.label ?? code;
}
