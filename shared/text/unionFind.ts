/**
 * Disjoint sets over the indexes 0..n-1 (path halving; the smaller index stays the root), for "these rows are
 * the same thing" relations that must close transitively: a ~ b by one key and b ~ c by another ⇒ one group.
 */
export function unionFind(n: number): { find(i: number): number; union(a: number, b: number): void } {
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  const union = (a: number, b: number): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  return { find, union };
}
