import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { SqliteHandle } from './connection';

/**
 * The full `PRAGMA integrity_check`, which, unlike `quick_check`, reads every index and compares it with its
 * table. On a big file it takes seconds, so it runs in a worker thread on its own read-only connection (WAL lets
 * it read a consistent snapshot while the app keeps serving calls). Returns the problems found ([] when sound).
 */
export function fullIntegrityCheck(file: string): { done: Promise<string[]>; cancel: () => void } {
  return pragmaInWorker(file, 'integrity_check(100)');
}

/**
 * `PRAGMA quick_check` of the start-up, in a worker thread: on a file of a gigabyte it takes many seconds, and run
 * on the main thread it would stop the host from serving the page (and its start-up progress) meanwhile. Resolves
 * null when sound, the first problems otherwise; rejects when the worker itself could not run (the caller then
 * checks on its own connection).
 */
export async function quickCheckInWorker(file: string): Promise<string | null> {
  const rows = await pragmaInWorker(file, 'quick_check(5)').done;
  return rows.length ? rows.join('; ') : null;
}

function pragmaInWorker(file: string, pragma: 'integrity_check(100)' | 'quick_check(5)'): { done: Promise<string[]>; cancel: () => void } {
  let worker: Worker | null = null;
  const done = new Promise<string[]>((resolve, reject) => {
    let modulePath: string;
    try {
      modulePath = createRequire(import.meta.url).resolve('better-sqlite3');
    } catch {
      modulePath = 'better-sqlite3';
    }
    // Plain JavaScript: no loader flags of the parent (tsx, vitest) are needed or wanted in the worker.
    worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, modulePath, pragma }, execArgv: [] });
    worker.once('message', (m: { rows?: string[]; error?: string }) => {
      if (m.error) reject(new Error(m.error));
      else resolve((m.rows ?? []).filter((r) => r !== 'ok'));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`integrity worker exited (${code}) without a result`)));
  });
  return {
    done,
    cancel: () => void (worker as Worker | null)?.terminate(),
  };
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
let db;
try {
  const Database = require(workerData.modulePath);
  db = new Database(workerData.file, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  const rows = db.pragma(workerData.pragma).map((r) => Object.values(r)[0]);
  parentPort.postMessage({ rows });
} catch (e) {
  parentPort.postMessage({ error: String(e && e.message || e) });
} finally {
  if (db) db.close();
}
`;

/**
 * The indexes that `problems` name, when every problem is in an index (a REINDEX rebuilds them from their
 * tables); null when any problem is in a table or the file's structure. Messages name an index
 * ("row 5 missing from index x", "wrong # of entries in index x", "non-unique entry in index x") or a b-tree by
 * its root page ("Tree 12 page 40 cell 3: ..."), which sqlite_master maps to an index or a table.
 */
export function indexOnlyDamage(sqlite: SqliteHandle, problems: string[]): string[] | null {
  const objects = sqlite.prepare('SELECT type, name, rootpage FROM sqlite_master WHERE rootpage > 0').all() as {
    type: string;
    name: string;
    rootpage: number;
  }[];
  const indexes = new Set(objects.filter((o) => o.type === 'index').map((o) => o.name));
  const byRoot = new Map(objects.map((o) => [o.rootpage, o]));
  const names = new Set<string>();
  for (const p of problems) {
    const named = /\bindex (\S+)$/.exec(p) ?? /\bindex (\S+)/.exec(p);
    if (named && indexes.has(named[1])) {
      names.add(named[1]);
      continue;
    }
    const tree = /^Tree (\d+) page/.exec(p) ?? /Tree (\d+) page/.exec(p);
    const obj = tree ? byRoot.get(Number(tree[1])) : undefined;
    if (obj?.type === 'index') {
      names.add(obj.name);
      continue;
    }
    return null;
  }
  return names.size ? [...names] : null;
}
