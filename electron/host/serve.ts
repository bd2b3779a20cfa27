import { resolve } from 'node:path';
import type { Core } from '../core/core';
import { parseStartArgs } from '../node/dataDir';
import { DEFAULT_SERVER_PORT, startBanner, startOfficeServer } from './office';
import { openCoreInBackground } from './startup';

/**
 * `npm run server -- --data-dir DIR [--port N]`: the headless office server (also `npm run cli -- server`).
 * Runs until SIGINT/SIGTERM (a systemd unit or a Windows service wraps it; see README). It listens over HTTPS at
 * once, as `npm run web` does: the login page and 正在启动 (with the step) while the core checks, upgrades and backs
 * up the database, then the hub (or the recovery screen when the database failed the check).
 */
export async function runOfficeServer(argv: string[], out: (text: string) => void = (t) => process.stdout.write(t + '\n')): Promise<never> {
  const args = parseStartArgs(argv, { ...process.env, INCUBASE_PORT: process.env.INCUBASE_PORT ?? String(DEFAULT_SERVER_PORT) }, { host: 'cli' });
  // A server holds real data: a new folder starts at the first-run setup (in the browser), the demo only with --demo.
  const startup = openCoreInBackground({ dataDir: args.dataDir, database: args.database, seed: argv.includes('--demo') ? 'demo' : 'empty' });
  const server = await startOfficeServer({ core: startup, port: args.port, host: process.env.INCUBASE_LISTEN ?? '0.0.0.0', rendererDir: resolve(__dirname, '../../out/renderer') });
  out(startBanner(server, args.dataDir));
  out('正在检查数据库，页面已可打开…');
  const stop = async () => {
    await server.close();
    await startup.ready.then((c) => c.close(), () => undefined);
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  let core: Core | null = null;
  try {
    core = await startup.ready;
  } catch (e) {
    out(startup.failure ?? `数据库无法打开：${(e as Error).message}`);
  }
  if (core) {
    core.startMaintenance();
    out('数据库检查完成。');
    if (core.recovery) out('数据库检查未通过：请在服务器本机的浏览器(https://127.0.0.1:端口)中选择一个备份进行恢复。');
    else if (!(await core.isInitialized())) out('首次运行：请在浏览器中完成基地设置。');
  }
  return new Promise<never>(() => undefined);
}

if (require.main === module) {
  runOfficeServer(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`启动失败：${(e as Error).message}\n`);
    process.exit(1);
  });
}
