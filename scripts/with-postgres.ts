/**
 * Runs a command against a private, throw-away PostgreSQL server:
 *
 *   tsx scripts/with-postgres.ts -- <command> [args…]
 *
 * initdb into a fresh temp folder (as the `postgres` system user when run as root: initdb refuses root), start the
 * server on a random 127.0.0.1 port with its socket in that folder (fsync off: test data only), create the
 * database `incubase_test`, run the command with INCUBASE_TEST_DATABASE=postgres://…/incubase_test in its
 * environment, then stop the server and delete the folder — also when the command fails or on Ctrl-C.
 * The exit code is the command's. Binaries: $PG_BIN, else Debian's /usr/lib/postgresql/<newest>/bin, else PATH.
 */
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { pgToolPath } from '../electron/core/db/pgTools';

const DB_NAME = 'incubase_test';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const runAs = asRoot ? 'postgres' : userInfo().username;

function tool(name: string): string {
  return pgToolPath(name);
}

/** Runs a PostgreSQL tool, as the `postgres` user when we are root. */
function pgTool(name: string, args: string[], opts: SpawnSyncOptions = {}): void {
  const [cmd, argv] = asRoot ? ['runuser', ['-u', runAs, '--', tool(name), ...args]] : [tool(name), args];
  const r = spawnSync(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...opts });
  if (r.status !== 0) {
    throw new Error(`${name} ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.error?.message ?? ''}${r.stderr ?? ''}${r.stdout ?? ''}`);
  }
}

export interface PrivatePostgres {
  /** postgres://postgres@127.0.0.1:<port>/incubase_test */
  url: string;
  /** The cluster's folder (data/, server.log, the socket). */
  root: string;
  /** Stops the server and deletes its folder (idempotent). */
  stop(): void;
}

/**
 * A private, throw-away PostgreSQL server (see the top of this file), for scripts that need one in-process: the
 * test runner below and the bench runner (`npm run bench -- --database pg`). Stopped on SIGINT/SIGTERM too.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const root = mkdtempSync(join(tmpdir(), 'incubase-pg-'));
  const data = join(root, 'data');
  let started = false;
  const stop = () => {
    if (started) {
      try {
        pgTool('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // already gone
      }
      started = false;
    }
    rmSync(root, { recursive: true, force: true });
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  const onSignal = () => {
    stop();
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    if (asRoot) chownSync(root, Number(spawnSync('id', ['-u', runAs], { encoding: 'utf8' }).stdout.trim()), Number(spawnSync('id', ['-g', runAs], { encoding: 'utf8' }).stdout.trim()));
    pgTool('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-instructions']);
    let port = 0;
    for (let attempt = 0; ; attempt++) {
      port = await freePort();
      const opts = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
      try {
        pgTool('pg_ctl', ['-D', data, '-l', join(root, 'server.log'), '-o', opts, '-w', '-t', '60', 'start']);
        started = true;
        break;
      } catch (e) {
        if (attempt >= 4) throw e; // the port was taken between the probe and the start: try another
      }
    }
    pgTool('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', DB_NAME]);
    const url = `postgres://postgres@127.0.0.1:${port}/${DB_NAME}`;
    writeFileSync(join(root, 'url'), url);
    return { url, root, stop };
  } catch (e) {
    stop();
    throw e;
  }
}

async function main(): Promise<number> {
  const sep = process.argv.indexOf('--');
  const command = sep >= 0 ? process.argv.slice(sep + 1) : process.argv.slice(2);
  if (!command.length) {
    process.stderr.write('usage: tsx scripts/with-postgres.ts -- <command> [args…]\n');
    return 2;
  }
  let server: PrivatePostgres | null = null;
  let child: ReturnType<typeof spawn> | null = null;
  const forward = (signal: NodeJS.Signals) => child?.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  try {
    server = await startPrivatePostgres();
    const url = server.url;
    process.stderr.write(`with-postgres: PostgreSQL on ${new URL(url).host} (${join(server.root, 'data')}), INCUBASE_TEST_DATABASE=${url}\n`);
    return await new Promise<number>((resolve) => {
      child = spawn(command[0], command.slice(1), {
        stdio: 'inherit',
        env: { ...process.env, INCUBASE_TEST_DATABASE: url },
      });
      child.once('error', (e) => {
        process.stderr.write(`with-postgres: ${e.message}\n`);
        resolve(127);
      });
      child.once('exit', (c, signal) => resolve(c ?? (signal ? 128 : 1)));
    });
  } catch (e) {
    process.stderr.write(`with-postgres: ${(e as Error).message}\n`);
    return 1;
  } finally {
    server?.stop();
  }
}

// Run as a script (not when imported by the bench runner).
if (process.argv[1] && /with-postgres\.[cm]?[jt]s$/.test(process.argv[1])) main().then((code) => process.exit(code));
