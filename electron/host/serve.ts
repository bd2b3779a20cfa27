import { resolve } from 'node:path';
import { Core } from '../core/core';
import { parseStartArgs } from '../node/dataDir';
import { DEFAULT_SERVER_PORT, startBanner, startOfficeServer } from './office';

/**
 * `npm run server -- --data-dir DIR [--port N]`: the headless office server (also `npm run cli -- server`).
 * Runs until SIGINT/SIGTERM (a systemd unit or a Windows service wraps it; see README).
 */
export async function runOfficeServer(argv: string[], out: (text: string) => void = (t) => process.stdout.write(t + '\n')): Promise<never> {
  const args = parseStartArgs(argv, { ...process.env, INCUBASE_PORT: process.env.INCUBASE_PORT ?? String(DEFAULT_SERVER_PORT) }, { host: 'cli' });
  // A server holds real data: a new folder starts at the first-run setup (in the browser), the demo only with --demo.
  const core = await Core.open({ dataDir: args.dataDir, database: args.database, seed: argv.includes('--demo') ? 'demo' : 'empty' });
  core.startMaintenance();
  const server = await startOfficeServer({ core, port: args.port, host: process.env.INCUBASE_LISTEN ?? '0.0.0.0', rendererDir: resolve(__dirname, '../../out/renderer') });
  out(startBanner(server, args.dataDir));
  if (core.recovery) out('数据库检查未通过：请在服务器本机的浏览器(https://127.0.0.1:端口)中选择一个备份进行恢复。');
  else if (!(await core.isInitialized())) out('首次运行：请在浏览器中完成基地设置。');
  return new Promise<never>(() => {
    const stop = async () => {
      await server.close();
      await core.close();
      process.exit(0);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

if (require.main === module) {
  runOfficeServer(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`启动失败：${(e as Error).message}\n`);
    process.exit(1);
  });
}
