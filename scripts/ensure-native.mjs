// better-sqlite3 is compiled for one ABI at a time. `npm start`/`npm run package` rebuild it for Electron;
// the tests, the CLI and the web host need it built for Node. This puts it back for Node when needed.
import { execSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
try {
  const Database = require('better-sqlite3');
  new Database(':memory:').close();
} catch (e) {
  if (!/NODE_MODULE_VERSION|was compiled against a different Node.js version|invalid ELF header|Could not locate the bindings/.test(String(e))) throw e;
  process.stdout.write('better-sqlite3 is built for another runtime (Electron?); rebuilding it for Node…\n');
  execSync('npm rebuild better-sqlite3', { stdio: 'inherit' });
}
