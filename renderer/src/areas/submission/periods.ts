import { periodLabel } from '@shared/submission/period';

/** Period choices around a suggested one: the last eight quarters and the last three years, newest first. */
export function periodOptions(suggested: string, extra: readonly string[] = []): { value: string; label: string }[] {
  const year = Number(suggested.slice(0, 4));
  const q = suggested.includes('-Q') ? Number(suggested.slice(-1)) : 4;
  const list: string[] = [];
  let y = year;
  let qq = q + 1;
  if (qq > 4) {
    qq = 1;
    y += 1;
  }
  for (let i = 0; i < 9; i++) {
    list.push(`${y}-Q${qq}`);
    qq -= 1;
    if (qq === 0) {
      qq = 4;
      y -= 1;
    }
  }
  for (let i = 0; i < 3; i++) list.push(String(year - i));
  const all = [...new Set([...list, ...extra])].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
  return all.map((p) => ({ value: p, label: `${periodLabel(p)}${p === suggested ? '(建议)' : ''}` }));
}
