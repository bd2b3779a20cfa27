// `npm run package [-- --win|--linux|--mac]`: installers with electron-builder. better-sqlite3 is rebuilt for
// Electron here (never in postinstall), then put back for Node so the tests keep working.
import { execSync } from 'node:child_process';

const targets = process.argv.slice(2);
const run = (cmd) => execSync(cmd, { stdio: 'inherit' });
run('npx electron-vite build');
try {
  run(`npx electron-builder ${targets.length ? targets.join(' ') : '--win nsis'} --config electron-builder.yml`);
} finally {
  run('node scripts/ensure-native.mjs');
}
