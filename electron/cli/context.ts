import type { SessionUser } from '@shared/contract/admin';
import type { CallInput, CallName, CallOutput } from '@shared/contract';
import { Core } from '../core/core';
import { parseStartArgs } from '../node/dataDir';

/** The CLI acts for the operator at the machine; its writes are audited under this name. */
export const CLI_USER: SessionUser = { id: 'cli', username: 'cli', displayName: '命令行', roles: ['admin'] };

/** A refusal the CLI prints as is (Chinese) with a non-zero exit code. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

export interface CliContext {
  argv: string[];
  /** Value of `--flag value` or `--flag=value`. */
  option(flag: string): string | undefined;
  flag(flag: string): boolean;
  /** Positional arguments after the command name (flags and their values removed). */
  positionals: string[];
  openCore(opts?: { seed?: 'demo' | 'empty'; autoBackup?: boolean }): Promise<Core>;
  /** Calls the core as the CLI user; throws CliError with the core's Chinese message on refusal. */
  call<N extends CallName>(core: Core, name: N, input: CallInput<N>): Promise<CallOutput<N>>;
  out(line: string): void;
}

export interface CliCommand {
  summary: string;
  usage: string;
  run(ctx: CliContext): Promise<number | void>;
}

const VALUE_FLAGS = new Set(['--data-dir', '--database', '--from', '--to', '--port', '--scale', '--out', '--period', '--sheet', '--mapping', '--map', '--format', '--search', '--approver', '--account']);

export function makeCliContext(argv: string[]): CliContext {
  const option = (flag: string) => {
    const i = argv.findIndex((a) => a === flag || a.startsWith(`${flag}=`));
    if (i < 0) return undefined;
    return argv[i].includes('=') ? argv[i].slice(flag.length + 1) : argv[i + 1];
  };
  const positionals: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      if (VALUE_FLAGS.has(a)) i++;
      continue;
    }
    positionals.push(a);
  }
  return {
    argv,
    option,
    flag: (f) => argv.includes(f),
    positionals,
    async openCore(opts = {}) {
      const start = parseStartArgs(argv);
      const core = await Core.open({ dataDir: start.dataDir, database: start.database, seed: opts.seed ?? 'empty', autoBackup: opts.autoBackup ?? false });
      if (core.recovery) throw new CliError(`数据库检查未通过：${core.recovery.reason}\n可用 restore 命令从备份恢复。`, 3);
      return core;
    },
    async call(core, name, input) {
      const r = await core.invokeAs(CLI_USER, name, input);
      if (!r.ok) throw new CliError(r.error!.message + formatIssues(r.error!.issues), 2);
      return r.data as CallOutput<typeof name>;
    },
    out: (line) => process.stdout.write(line + '\n'),
  };
}

function formatIssues(issues?: { path?: string; row?: number; message: string }[]): string {
  if (!issues?.length) return '';
  return (
    '\n' +
    issues
      .slice(0, 50)
      .map((i) => `  ${i.row ? `第 ${i.row} 行 ` : ''}${i.path ? `「${i.path}」` : ''}${i.message}`)
      .join('\n') +
    (issues.length > 50 ? `\n  …另有 ${issues.length - 50} 处` : '')
  );
}
