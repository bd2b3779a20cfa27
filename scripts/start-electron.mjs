// `npm start`: the desktop app. Electron's binary is fetched on first run; where it cannot be (no internet),
// this says so and points to `npm run web`, which serves the same app to a browser.
import { execSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let electronPath = null;
try {
  electronPath = require('electron'); // the path of the binary, when it is installed
} catch {
  electronPath = null;
}
if (typeof electronPath !== 'string' || !existsSync(electronPath)) {
  process.stdout.write(
    [
      '无法启动桌面版：本机没有 Electron 程序文件(需要联网下载)。',
      'The Electron binary is not available on this machine (it is downloaded on first run).',
      '',
      '请改用浏览器版：npm run web   然后打开它打印的地址(默认 http://127.0.0.1:5178)。',
      '',
    ].join('\n'),
  );
  process.exit(1);
}
// Native module for Electron's ABI (needs Electron's headers: a download). Tests switch it back for Node.
execSync('npx electron-builder install-app-deps', { stdio: 'inherit' });
execSync('npx electron-vite build', { stdio: 'inherit' });
const r = spawnSync('npx', ['electron-vite', 'preview', '--', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 0);
