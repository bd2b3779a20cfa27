import { toHalfWidth } from '../text/normalize';

/**
 * The key two organization names share when a person would call them the same name (issue 18): full-width and
 * half-width forms (ＡＢＣ/ABC, （）/()), any blank or invisible character, the bracket variants 【】〔〕［］｛｝
 * and letter case do not count. Equal keys are a warning (maybe registered twice), never a refusal.
 */
export function orgNameKey(name: string): string {
  return toHalfWidth(name)
    .normalize('NFKC')
    .replace(/[\s\u00a0\u2000-\u200d\u2060\u3000\ufeff\u00ad]+/g, '')
    .replace(/[(（〔【［[{｛「『〈《]/g, '(')
    .replace(/[)）〕】］\]}｝」』〉》]/g, ')')
    .toLowerCase();
}

/** The warning for a name that matches existing organizations. */
export function duplicateNameWarning(name: string, existing: readonly string[]): string {
  const shown = existing.slice(0, 3).map((n) => `「${n}」`).join('、');
  const more = existing.length > 3 ? `等 ${existing.length} 个` : '';
  const same = existing.every((n) => n === name);
  return same
    ? `已有同名组织${shown}${more}，请核对是否重复登记(仍可保存)`
    : `名称与已有组织${shown}${more}仅全角半角、空格或括号写法不同，请核对是否为同一组织(仍可保存)`;
}
