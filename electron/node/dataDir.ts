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

export interface StartOptions {
  dataDir: string;
  seed: 'demo' | 'empty';
  port: number;
}

/** `--data-dir DIR` (or INCUBASE_DATA_DIR), `--empty`, `--port N` — shared by the host, the CLI and Electron. */
export function parseStartArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): StartOptions {
  const value = (flag: string) => {
    const i = argv.findIndex((a) => a === flag || a.startsWith(`${flag}=`));
    if (i < 0) return undefined;
    return argv[i].includes('=') ? argv[i].slice(flag.length + 1) : argv[i + 1];
  };
  const dataDir = value('--data-dir') ?? env.INCUBASE_DATA_DIR ?? defaultUserDataDir();
  const port = Number(value('--port') ?? env.INCUBASE_PORT ?? 5178);
  return { dataDir: resolve(dataDir), seed: argv.includes('--empty') ? 'empty' : 'demo', port };
}
