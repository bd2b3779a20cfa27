import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Core, type CoreOptions } from '../../electron/core/core';
import type { CallInput, CallName, CallOutput } from '@shared/contract';
import type { ApiErrorShape } from '@shared/errors';
import { DEMO_PASSWORD } from '../../electron/core/seed';
import { freshPgDatabase, type FreshPg } from './pg';

export function tempDir(prefix = 'incubase-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A core on a fresh temporary data folder, with a helper to call it as a logged-in user. */
export async function openTestCore(opts: Partial<CoreOptions> = {}) {
  const dataDir = opts.dataDir ?? tempDir();
  // Under `npm run test:pg` every core of a fresh folder gets its own fresh PostgreSQL database; a folder opened
  // again (a restart, a second desk on the same hub) gets that folder's database again, as the server would.
  const known = pgOfFolder.get(dataDir);
  const pg = process.env.INCUBASE_TEST_DATABASE && opts.database === undefined && !known && !opts.dataDir ? await freshPgDatabase('core') : null;
  if (pg) pgOfFolder.set(dataDir, pg);
  const database = opts.database ?? (pg ?? known)?.url;
  const core = await Core.open({ dataDir, seed: 'empty', autoBackup: false, ...opts, ...(database ? { database } : {}) });
  if (database) urlOfFolder.set(resolve(dataDir), database);
  return {
    core,
    dataDir,
    /** The PostgreSQL database the core is on (under `npm run test:pg`), for a second process on the same hub. */
    database: pg?.url ?? opts.database,
    async cleanup() {
      await core.close();
      if (pg) {
        await pg.drop();
        pgOfFolder.delete(dataDir);
      }
      urlOfFolder.delete(resolve(dataDir));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The PostgreSQL database each test folder's hub lives in (under `npm run test:pg`). */
const pgOfFolder = new Map<string, FreshPg>();
/** The PostgreSQL URL of every open test folder whose hub is on PostgreSQL (fresh or given), by absolute path. */
const urlOfFolder = new Map<string, string>();

/**
 * The PostgreSQL URL of the hub in test folder `dir`, or undefined when it is a SQLite hub (or not a test core's):
 * what a second process on that folder (a CLI child, tests/helpers/cli.ts) must be given as `--database`.
 */
export function databaseOfFolder(dir: string): string | undefined {
  return urlOfFolder.get(resolve(dir));
}

export class CallError extends Error {
  constructor(readonly error: ApiErrorShape) {
    super(`${error.code}: ${error.message}`);
  }
}

/** Typed caller bound to one session token. Throws CallError on refusal. */
export function caller(core: Core, token: string | null = null) {
  return async function call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
    const r = await core.invoke(name, input, token);
    if (!r.ok) throw new CallError(r.error!);
    return r.data as CallOutput<N>;
  };
}

/** The refusal of a call that must fail. */
export async function refusal(core: Core, name: string, input: unknown, token: string | null = null): Promise<ApiErrorShape> {
  const r = await core.invoke(name, input, token);
  if (r.ok) throw new Error(`expected ${name} to be refused, it succeeded`);
  return r.error!;
}

export async function loginAs(core: Core, username: string, password = DEMO_PASSWORD): Promise<string> {
  const r = await core.invoke('auth.login', { username, password });
  if (!r.ok || !r.sessionToken) throw new Error(`login ${username} failed: ${r.error?.message}`);
  return r.sessionToken;
}

/** A demo-seeded core, logged in as `username`. */
export async function openDemoCore(username = 'admin', opts: Partial<CoreOptions> = {}) {
  const t = await openTestCore({ seed: 'demo', ...opts });
  const token = await loginAs(t.core, username);
  return { ...t, token, call: caller(t.core, token) };
}

/**
 * The form input of a demo organization that needs no credit code (备案 / 社区指导), to copy as a new record
 * under another name: the demo list's first row may be a registered one, whose code a copy could not keep.
 */
export async function unregisteredOrganizationInput(call: ReturnType<typeof caller>): Promise<CallOutput<'organizations.get'>['input']> {
  for (const row of (await call('organizations.list', { startRow: 0, endRow: 50 })).rows) {
    const d = await call('organizations.get', { id: row.id });
    if (d.input.mgmtClass !== 'registered') return d.input;
  }
  throw new Error('演示数据的前 50 个组织都是依法登记的');
}
