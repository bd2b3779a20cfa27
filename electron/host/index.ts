import { resolve } from 'node:path';
import type { Core } from '../core/core';
import { DEMO_PASSWORD, DEMO_USERS } from '../core/seed';
import { parseStartArgs } from '../node/dataDir';
import { startHost } from './server';
import { openCoreInBackground } from './startup';

/**
 * `npm run web`: the real app in a browser, on 127.0.0.1 only. The host listens at once and serves the page while
 * the core runs its start-up check (检查数据库 / 升级 / 备份): calls are answered 正在启动 until it is done, so the
 * login screen shows with the progress instead of the browser waiting on a big database.
 */
async function main() {
  const args = parseStartArgs(process.argv.slice(2), process.env, { host: 'web' });
  const startup = openCoreInBackground({ dataDir: args.dataDir, seed: args.seed });
  const { url, app } = await startHost({ core: startup, port: args.port, rendererDir: resolve(__dirname, '../../out/renderer') });
  process.stdout.write(`Incubase 已启动：${url}\n数据目录：${args.dataDir}\n正在检查数据库，页面已可打开…\n`);
  const stop = async () => {
    await app.close();
    await startup.ready.then((core) => core.close(), () => undefined);
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  let core: Core;
  try {
    core = await startup.ready;
  } catch (e) {
    process.stderr.write(`${startup.failure ?? (e as Error).message}\n`);
    return;
  }
  core.startMaintenance();
  const status = await core.invoke('system.status', {});
  const s = status.data as { initialized: boolean; demo: boolean; recovery: unknown };
  process.stdout.write('数据库检查完成。\n');
  if (s.recovery) process.stdout.write('数据库检查未通过：请在浏览器中选择一个备份进行恢复。\n');
  else if (!s.initialized) process.stdout.write('首次运行：请在浏览器中完成基地设置。\n');
  else if (s.demo)
    process.stdout.write(`演示数据库，账户：${DEMO_USERS.map((u) => u.username).join(' / ')}，密码 ${DEMO_PASSWORD}\n`);
}

main().catch((e) => {
  process.stderr.write(`启动失败：${(e as Error).message}\n`);
  process.exit(1);
});
