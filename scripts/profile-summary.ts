/**
 * `npx tsx scripts/profile-summary.ts FILE.cpuprofile [N]`: the N (default 40) functions with the most self time
 * in a V8 CPU profile (node --cpu-prof, or the server bench's INCUBASE_SERVER_BENCH_PROFILE), and the same summed
 * per file/package — where a process spends its CPU, without opening DevTools.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, n = '40'] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: tsx scripts/profile-summary.ts FILE.cpuprofile [N]\n');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map<number, number>();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...self.values()].reduce((s, v) => s + v, 0);

const short = (url: string) => url.replace(/^file:\/\//, '').replace(/^.*node_modules\//, '~/').replace(/^.*?\/(electron|shared|tests|renderer)\//, '$1/');
const place = (url: string) => {
  const s = short(url);
  if (s.startsWith('~/')) return s.split('/').slice(0, s.startsWith('~/@') ? 3 : 2).join('/');
  return s || '(native / V8)';
};
const fn = new Map<string, number>();
const files = new Map<string, number>();
for (const [id, t] of self) {
  const f = byId.get(id)!.callFrame;
  const key = `${f.functionName || '(anonymous)'}  ${short(f.url)}:${f.lineNumber + 1}`;
  fn.set(key, (fn.get(key) ?? 0) + t);
  files.set(place(f.url), (files.get(place(f.url)) ?? 0) + t);
}
const show = (title: string, m: Map<string, number>) => {
  process.stdout.write(`\n${title} (total ${(total / 1000).toFixed(0)} ms)\n`);
  for (const [k, t] of [...m].sort((a, b) => b[1] - a[1]).slice(0, Number(n))) process.stdout.write(`${((100 * t) / total).toFixed(1).padStart(5)}%  ${(t / 1000).toFixed(0).padStart(6)} ms  ${k}\n`);
};
// Inclusive time: a node's self time plus its subtree's, summed per function (a recursive function counts once per stack).
const inclusive = new Map<string, number>();
const keyOf = (node: ProfileNode) => `${node.callFrame.functionName || '(anonymous)'}  ${short(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;
const walk = (node: ProfileNode, onStack: Set<string>): number => {
  const key = keyOf(node);
  let t = self.get(node.id) ?? 0;
  const inner = new Set(onStack).add(key);
  for (const c of node.children ?? []) t += walk(byId.get(c)!, inner);
  if (!onStack.has(key)) inclusive.set(key, (inclusive.get(key) ?? 0) + t);
  return t;
};
walk(profile.nodes[0], new Set());
show('self time by function', fn);
show('total (inclusive) time by function', inclusive);
show('self time by file / package', files);
