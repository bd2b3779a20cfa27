import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The OS user-data folder Electron would use for the app (so the web host and the desktop app share data):
 * %APPDATA%\Incubase, ~/Library/Application Support/Incubase, $XDG_CONFIG_HOME/Incubase.
 */
export function defaultUserDataDir(appName = 'Incubase'): string {
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), appName);
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', appName);
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), appName);
}

/** The demo hub's own folder beside the real data (inside it, under `demo/`): never the real database. */
export function demoDataDir(realDataDir: string): string {
  return join(resolve(realDataDir), 'demo');
}

/** Who is starting: the desktop app (`npm start`, the installed app), the web host (`npm run web`) or the CLI. */
export type StartHost = 'desktop' | 'web' | 'cli';

export interface StartOptions {
  dataDir: string;
  /** What a brand-new database gets: the demo hub or nothing (the first-run setup). */
  seed: 'demo' | 'empty';
  /** This start opens the demo hub in its own folder (marked 演示 in the title bar and the UI). */
  demo: boolean;
  port: number;
  /** `--database postgres://…` (or INCUBASE_DATABASE): the hub's data on a PostgreSQL server instead of the SQLite file. */
  database?: string;
}

export interface StartContext {
  /** Default 'cli' (the behaviour the CLI always had: an explicit folder, the demo only when asked by `seed`). */
  host?: StartHost;
  /** The OS user-data folder (Electron's app.getPath('userData')); default {@link defaultUserDataDir}. */
  userDataDir?: string;
}

/**
 * `--data-dir DIR` (or INCUBASE_DATA_DIR), `--demo`, `--empty`, `--port N` — shared by the host, the CLI and Electron.
 *
 * - desktop: a new database starts EMPTY (the first-run setup); `--demo` opens the demo hub in its own folder
 *   ({@link demoDataDir} of the real one), never in the real folder.
 * - web (`npm run web`): the demo hub, in the demo folder unless `--data-dir` names one; `--empty` starts at the
 *   first-run setup in the real folder.
 * - cli: the folder as given; a new database gets the demo only with `--demo`.
 */
export function parseStartArgs(argv: string[], env: NodeJS.ProcessEnv = process.env, context: StartContext = {}): StartOptions {
  const host = context.host ?? 'cli';
  const value = (flag: string) => {
    const i = argv.findIndex((a) => a === flag || a.startsWith(`${flag}=`));
    if (i < 0) return undefined;
    return argv[i].includes('=') ? argv[i].slice(flag.length + 1) : argv[i + 1];
  };
  const explicitDir = value('--data-dir') ?? (env.INCUBASE_DATA_DIR || undefined);
  const baseDir = resolve(explicitDir ?? context.userDataDir ?? defaultUserDataDir());
  const port = Number(value('--port') ?? env.INCUBASE_PORT ?? 5178);
  const database = value('--database') ?? (env.INCUBASE_DATABASE || undefined);
  const withDb = <T extends object>(o: T): T & { database?: string } => (database ? { ...o, database } : o);
  const wantsDemo = argv.includes('--demo');
  const wantsEmpty = argv.includes('--empty');
  if (wantsDemo) return withDb({ dataDir: demoDataDir(baseDir), seed: 'demo' as const, demo: true, port });
  if (host === 'web' && !wantsEmpty) {
    // The browser version opens the demo (README's first line); without an explicit folder it is the demo folder.
    return withDb(explicitDir ? { dataDir: baseDir, seed: 'demo' as const, demo: true, port } : { dataDir: demoDataDir(baseDir), seed: 'demo' as const, demo: true, port });
  }
  return withDb({ dataDir: baseDir, seed: host === 'cli' && !wantsEmpty ? ('demo' as const) : ('empty' as const), demo: false, port });
}

/** The command line for restarting the desktop app on the demo hub or back on the real data (先看看演示 / 退出演示). */
export function switchHubArgs(argv: string[], to: 'demo' | 'real'): string[] {
  const rest = argv.filter((a) => a !== '--demo' && a !== '--empty');
  return to === 'demo' ? [...rest, '--demo'] : rest;
}

/** The window title: the demo hub says so in the title bar. */
export function windowTitle(demo: boolean): string {
  return demo ? '孵化基地管理系统 — 演示数据' : '孵化基地管理系统';
}
