import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Core, type CoreOptions, type StartupStep } from '../core/core';

/** The start-up steps as the window, the login page and `npm run server` show them. */
export const STARTUP_LABELS: Record<StartupStep, string> = {
  check: '正在检查数据库…',
  upgrade: '正在升级数据库…',
  backup: '正在备份…',
};

/** What the host answers while the core is not open yet (the `STARTING` error's details). */
export interface StartupState {
  step: StartupStep | null;
  /** 正在检查数据库… / 正在升级数据库… / 正在备份… */
  label: string;
  /** The folder already holds a database: the page shows the login screen (with this progress) meanwhile. */
  existing: boolean;
}

/**
 * The core being opened behind a host that already serves: the page and every call are answered at once, calls
 * with `STARTING` (and the step running) until the start-up check, the migrations and the backup are done.
 */
export interface CoreStartup {
  /** The open core, or null while it starts (or when it could not be opened). */
  readonly core: Core | null;
  readonly ready: Promise<Core>;
  state(): StartupState;
  /** The data folder being opened (the office server keeps its certificate there). */
  readonly dataDir: string;
  /** Set when opening failed outright (not a recovery: those open, in recovery mode): a Chinese sentence. */
  readonly failure: string | null;
}

/** Starts `Core.open` without waiting for it; the host is started beside it (electron/host/index.ts). */
export function openCoreInBackground(opts: CoreOptions): CoreStartup {
  const file = join(opts.dataDir, 'incubase.db');
  const existing = existsSync(file) && statSync(file).size > 0;
  let step: StartupStep | null = null;
  const startup: { core: Core | null; failure: string | null } = { core: null, failure: null };
  const ready = Core.open({
    ...opts,
    onProgress: (s) => {
      step = s;
      opts.onProgress?.(s);
    },
  }).then(
    (core) => (startup.core = core),
    (e: Error) => {
      startup.failure = `数据库无法打开：${e.message}`;
      throw e;
    },
  );
  ready.catch(() => undefined);
  return {
    get core() {
      return startup.core;
    },
    get failure() {
      return startup.failure;
    },
    dataDir: opts.dataDir,
    ready,
    state: () => ({ step, label: step ? STARTUP_LABELS[step] : '正在打开…', existing }),
  };
}

export function isCoreStartup(x: Core | CoreStartup): x is CoreStartup {
  return typeof (x as Partial<CoreStartup>).state === 'function' && 'ready' in x;
}
