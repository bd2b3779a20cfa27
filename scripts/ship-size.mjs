// `node scripts/ship-size.mjs`: what the installer packs — out/ plus the production node_modules
// (`npm ls --omit=dev --all --parseable`), in MB. electron-builder copies exactly the production tree.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function du(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  let n = 0;
  for (const e of readdirSync(path)) if (e !== 'node_modules') n += du(join(path, e));
  return n;
}
const paths = execSync('npm ls --omit=dev --all --parseable', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
  .split('\n')
  .filter((p) => p.includes('node_modules'));
const unique = [...new Set(paths)];
const modules = unique.reduce((n, p) => n + du(p), 0);
const out = du('out');
const mb = (b) => (b / 1024 / 1024).toFixed(1);
process.stdout.write(JSON.stringify({ packages: unique.length, productionNodeModulesMB: +mb(modules), outMB: +mb(out), totalMB: +mb(modules + out) }) + '\n');
