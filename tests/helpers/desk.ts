import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

export interface DeskReply {
  ok: boolean;
  data?: unknown;
  code?: string;
  message?: string;
  details?: Record<string, unknown>;
}

/** Where a desk's hub lives: a test core's data folder, and its PostgreSQL database when it is on one. */
export interface DeskHub {
  dataDir: string;
  database?: string | null;
}

/**
 * THE two-process helper: a desk (a second server process, a second PC) in its own process with its own Core on
 * the same hub as the test (tests/helpers/deskWorker.ts), logged in as `username`. Race and consistency tests
 * start two of them and send each a call at the same moment; every wait is bounded by the test's timeout, and a
 * desk that dies rejects the pending wait with its stderr.
 *
 *   const d1 = startDesk(t, 'liming'); const d2 = startDesk(t, 'admin');
 *   await Promise.all([d1.ready(), d2.ready()]);
 *   const [x, y] = await Promise.all([d1.call('venues.bookings.approve', { id: a }), d2.call(..., { id: b })]);
 *   …  finally { d1.stop(); d2.stop(); }
 *
 * `now` fixes the desk's clock. `dataDir` gives the desk its own data folder (on PostgreSQL the hub is the
 * database; its logs then stay apart from the test core's).
 */
export function startDesk(on: DeskHub, username: string, opts: { now?: Date; dataDir?: string } = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, 'deskWorker.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      DESK_DATA_DIR: opts.dataDir ?? on.dataDir,
      DESK_DATABASE: on.database ?? '',
      DESK_USER: username,
      DESK_NOW: opts.now?.toISOString() ?? '',
    },
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  const lines: string[] = [];
  const waiters: { res: (l: string) => void; rej: (e: Error) => void }[] = [];
  let exited: Error | null = null;
  createInterface({ input: child.stdout }).on('line', (l) => {
    const w = waiters.shift();
    if (w) w.res(l);
    else lines.push(l);
  });
  child.once('exit', (code, signal) => {
    exited = new Error(`desk ${username} exited ${code ?? signal}: ${stderr}`);
    for (const w of waiters.splice(0)) w.rej(exited);
  });
  const next = () =>
    new Promise<string>((res, rej) => {
      const l = lines.shift();
      if (l !== undefined) return res(l);
      if (exited) return rej(exited);
      waiters.push({ res, rej });
    });
  const send = (name: string, input: unknown) => child.stdin.write(`${name} ${JSON.stringify(input)}\n`);
  const reply = async (): Promise<DeskReply> => JSON.parse(await next()) as DeskReply;
  return {
    /** Resolves when the desk has opened the hub and logged in. */
    ready: async () => {
      const l = await next();
      if (l !== 'ready') throw new Error(`desk ${username}: ${l} ${stderr}`);
    },
    /** Makes the call and waits for its answer. */
    call: async (name: string, input: unknown): Promise<DeskReply> => {
      send(name, input);
      return reply();
    },
    /**
     * Sends the call without waiting; `reply()` reads its answer (answers come in the order sent). `send('hold',
     * {callName, label, excludes, period})` starts an office-wide operation that never ends (see deskWorker.ts).
     */
    send,
    reply,
    /** SIGKILL, as a crash would; resolves when the process is gone. */
    kill: () =>
      new Promise<void>((res) => {
        if (child.exitCode !== null || child.signalCode !== null) return res();
        child.once('exit', () => res());
        child.kill('SIGKILL');
      }),
    /** Ends the desk (quit, then a kill for one still busy). */
    stop: () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin.write('quit\n');
      child.kill();
    },
  };
}

export type Desk = ReturnType<typeof startDesk>;
