import { adminCommands } from './admin';
import { organizationsCommands } from './organizations';
import { submissionCommands } from './submission';
import { serverCommands } from './server';
import { importingCommands } from './importing';
import { custodyCommands } from './custody';
import { postgresCommands } from './postgres';
import { CliError, makeCliContext, type CliCommand } from './context';

/** Every command: the admin ones, then one spread per area (`...organizationsCommands`). */
const commands: Record<string, CliCommand> = {
  ...adminCommands,
  ...organizationsCommands,
  ...submissionCommands,
  ...serverCommands,
  ...importingCommands,
  ...custodyCommands,
  ...postgresCommands,
};

function help(): void {
  process.stdout.write('用法：npm run cli -- <命令> [参数]\n\n');
  for (const [name, c] of Object.entries(commands)) process.stdout.write(`  ${c.usage.padEnd(48)} ${c.summary}\n`);
  process.stdout.write('\n通用参数：--data-dir DIR(或环境变量 INCUBASE_DATA_DIR)；--database postgres://…(或环境变量 INCUBASE_DATABASE)：基地数据在 PostgreSQL 服务器上\n退出码：0 成功，1 内部错误，2 输入或规则错误，3 数据库问题\n');
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const name = argv[0];
  if (!name || name === 'help' || name === '--help') {
    help();
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`未知命令：${name}\n`);
    help();
    return 2;
  }
  const code = await command.run(makeCliContext(argv));
  return typeof code === 'number' ? code : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    if (e instanceof CliError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(e.exitCode);
    }
    process.stderr.write(`内部错误：${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
