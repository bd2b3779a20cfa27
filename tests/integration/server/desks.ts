import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');

export interface DeskReply {
  ok: boolean;
  code?: string;
  message?: string;
  details?: Record<string, unknown>;
}

/**
 * A desk in its own process (callWorker.ts) on the hub of `on` (a test core: its data folder, and its PostgreSQL
 * database when it is on one), logged in as `username`.
 */
export function startDesk(on: { dataDir: string; database?: string }, username: string, now?: Date) {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, 'callWorker.ts')], {
    cwd: ROOT,
    env: { ...process.env, WORKER_DATA_DIR: on.dataDir, WORKER_DATABASE: on.database ?? '', WORKER_USER: username, WORKER_NOW: now?.toISOString() ?? '' },
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  const lines: string[] = [];
  const waiters: ((l: string) => void)[] = [];
  createInterface({ input: child.stdout }).on('line', (l) => {
    const w = waiters.shift();
    if (w) w(l);
    else lines.push(l);
  });
  const next = () =>
    new Promise<string>((res, rej) => {
      const l = lines.shift();
      if (l !== undefined) return res(l);
      waiters.push(res);
      child.once('exit', (code) => rej(new Error(`desk ${username} exited ${code}: ${stderr}`)));
    });
  return {
    ready: async () => {
      const l = await next();
      if (l !== 'ready') throw new Error(`desk ${username}: ${l} ${stderr}`);
    },
    /** Sends the call without waiting; `reply()` reads its answer. */
    send: (name: string, input: unknown) => child.stdin.write(`${name} ${JSON.stringify(input)}\n`),
    reply: async (): Promise<DeskReply> => JSON.parse(await next()),
    /** SIGKILL, as a crash would; resolves when the process is gone. */
    kill: () =>
      new Promise<void>((res) => {
        if (child.exitCode !== null || child.signalCode !== null) return res();
        child.once('exit', () => res());
        child.kill('SIGKILL');
      }),
    stop: () => {
      child.stdin.write('quit\n');
      child.kill();
    },
  };
}
