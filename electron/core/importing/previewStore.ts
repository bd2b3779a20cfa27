/**
 * Where an import preview's rows wait while the user looks through them. A preview (the import run dry) answers
 * with its counts, its errors and the first page of rows; the rest stay here, in the core, keyed by a preview id,
 * and the dialog pages through them (`importing.previewRows`, `custody.statements.previewLines`) instead of the
 * whole file's rows crossing the contract's output check, the IPC/HTTP transport and the renderer at once (a
 * 100,000-line bank statement was half a gigabyte that way). The import itself never uses what is kept here: it
 * reads the same bytes again and plans every row again inside its write transaction, so the preview stays the real
 * import run dry.
 *
 * Entries are the preview's own arrays (no copies), kept per core, for the user who made the preview only, for
 * `PREVIEW_TTL_MS` at most, `PREVIEW_MAX_ENTRIES` at most (the oldest go first), and released as soon as the import
 * (or a new preview of the same dialog) names them.
 */
import { randomUUID } from 'node:crypto';
import { fail } from '@shared/errors';

/** Rows a preview answers with before any paging (the first page the dialog shows, and then some). */
export const PREVIEW_FIRST_ROWS = 200;
/** Error rows a preview or an import answers with at most, besides the first page (the rest are paged). */
export const PREVIEW_MAX_ERROR_ROWS = 1000;
export const PREVIEW_TTL_MS = 30 * 60_000;
export const PREVIEW_MAX_ENTRIES = 8;

interface Entry {
  kind: string;
  userId: string | null;
  at: number;
  rows: readonly unknown[];
  /** Row indexes of the rows a filter keeps, built on first use per filter. */
  filtered: Map<string, Uint32Array>;
  test: (row: unknown, filter: string) => boolean;
  view: (row: unknown) => unknown;
}

const stores = new WeakMap<object, Map<string, Entry>>();

function storeOf(owner: object): Map<string, Entry> {
  let s = stores.get(owner);
  if (!s) stores.set(owner, (s = new Map()));
  return s;
}

function sweep(store: Map<string, Entry>, now: number): void {
  for (const [id, e] of store) if (now - e.at > PREVIEW_TTL_MS) store.delete(id);
  while (store.size > PREVIEW_MAX_ENTRIES) store.delete(store.keys().next().value as string);
}

/**
 * Keeps a preview's rows for paging and returns its id. `test(row, filter)` says whether a row passes a filter the
 * page call names (e.g. 'error'; '' is every row); `view(row)` is how a row goes out (default: as it is).
 */
export function keepPreview<R>(
  owner: object,
  kind: string,
  userId: string | null,
  rows: readonly R[],
  how: { test?: (row: R, filter: string) => boolean; view?: (row: R) => unknown } = {},
  now = Date.now(),
): string {
  const store = storeOf(owner);
  const id = randomUUID();
  store.set(id, { kind, userId, at: now, rows, filtered: new Map(), test: (how.test ?? (() => true)) as Entry['test'], view: (how.view ?? ((r: R) => r)) as Entry['view'] });
  sweep(store, now);
  return id;
}

/** Lets a preview's rows go (the import names its preview; a dialog that closes or previews again names the old one). */
export function releasePreview(owner: object, id: string | null | undefined): void {
  if (id) stores.get(owner)?.delete(id);
}

/** Previews kept (for tests: the import releases its preview's rows). */
export function keptPreviews(owner: object): number {
  return stores.get(owner)?.size ?? 0;
}

/** One page of a kept preview's rows (after an optional filter, each as its `view`) and how many there are in all. */
export function previewPage<V>(owner: object, kind: string, userId: string | null, id: string, offset: number, limit: number, filter = '', now = Date.now()): { rows: V[]; total: number } {
  const store = storeOf(owner);
  sweep(store, now);
  const e = store.get(id);
  if (!e || e.kind !== kind || e.userId !== userId) throw fail.notFound('预览已过期(超过 30 分钟或已导入),请重新选择文件预览');
  e.at = now;
  if (!filter) return { rows: e.rows.slice(offset, offset + limit).map(e.view) as V[], total: e.rows.length };
  let idx = e.filtered.get(filter);
  if (!idx) {
    const picked: number[] = [];
    for (let i = 0; i < e.rows.length; i++) if (e.test(e.rows[i], filter)) picked.push(i);
    idx = Uint32Array.from(picked);
    e.filtered.set(filter, idx);
  }
  const out: V[] = [];
  for (let i = offset; i < Math.min(idx.length, offset + limit); i++) out.push(e.view(e.rows[idx[i]]) as V);
  return { rows: out, total: idx.length };
}

/**
 * What a preview answers with of its rows: every row when they are few, else the first page and then the error
 * rows after it (up to `PREVIEW_MAX_ERROR_ROWS`), in row order.
 */
export function firstRows<R>(rows: readonly R[], isError: (row: R) => boolean): { rows: R[]; complete: boolean } {
  if (rows.length <= PREVIEW_FIRST_ROWS) return { rows: rows.slice(), complete: true };
  const out = rows.slice(0, PREVIEW_FIRST_ROWS);
  let errors = 0;
  for (let i = PREVIEW_FIRST_ROWS; i < rows.length && errors < PREVIEW_MAX_ERROR_ROWS; i++) {
    if (isError(rows[i])) {
      out.push(rows[i]);
      errors++;
    }
  }
  return { rows: out, complete: false };
}
