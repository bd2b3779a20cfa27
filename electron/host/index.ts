import { resolve } from 'node:path';
import { Core } from '../core/core';
import { DEMO_PASSWORD, DEMO_USERS } from '../core/seed';
import { parseStartArgs } from '../node/dataDir';
import { startHost } from './server';

/** `npm run web`: the real app in a browser, on 127.0.0.1 only. */
async function main() {
  const args = parseStartArgs(process.argv.slice(2), process.env, { host: 'web' });
  const core = await Core.open({ dataDir: args.dataDir, seed: args.seed });
  core.startMaintenance();
  const { url, app } = await startHost({ core, port: args.port, rendererDir: resolve(__dirname, '../../out/renderer') });
  const status = await core.invoke('system.status', {});
  const s = status.data as { initialized: boolean; demo: boolean; recovery: unknown };
  process.stdout.write(`Incubase 已启动：${url}\n数据目录：${args.dataDir}\n`);
  if (s.recovery) process.stdout.write('数据库检查未通过：请在浏览器中选择一个备份进行恢复。\n');
  else if (!s.initialized) process.stdout.write('首次运行：请在浏览器中完成基地设置。\n');
  else if (s.demo)
    process.stdout.write(`演示数据库，账户：${DEMO_USERS.map((u) => u.username).join(' / ')}，密码 ${DEMO_PASSWORD}\n`);
  const stop = async () => {
    await app.close();
    await core.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  process.stderr.write(`启动失败：${(e as Error).message}\n`);
  process.exit(1);
});
