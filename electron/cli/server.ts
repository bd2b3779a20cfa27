import { runOfficeServer } from '../host/serve';
import type { CliCommand } from './context';

export const serverCommands: Record<string, CliCommand> = {
  server: {
    summary: '启动办公室服务器(HTTPS，局域网内其他电脑连接)',
    usage: 'server --data-dir DIR [--port N] [--demo]',
    async run(ctx) {
      await runOfficeServer(ctx.argv.slice(1), ctx.out);
    },
  },
};
