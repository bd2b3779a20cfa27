/**
 * Export → import is the identity, for any exporter that has an importer (issue 13): random records are put into a
 * fresh hub, exported as the app writes the file, and
 *   1. the import's dry run on the same hub shows every row 未变 (nothing to create, update or refuse), and
 *   2. the import into another fresh hub creates every row, and that hub then holds the same records.
 * An area supplies what is its own (how records are created, exported, imported, and compared) as an
 * `IdentityCase`; the property, the hubs and the checks are shared:
 *
 *   await checkExportImportIdentity({ name: '场地', records: fc.array(…), create, exportFile, preview, commit, snapshot });
 *
 * Used by tests/integration/importing/identity.test.ts (organizations); venues, activities and vouchers call it the
 * same way.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { CallInput, CallName, CallOutput } from '@shared/contract';
import { caller, loginAs, openTestCore } from './core';

export interface IdentityHub {
  core: Awaited<ReturnType<typeof openTestCore>>['core'];
  /** Calls as the hub's admin. */
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>>;
  cleanup(): Promise<void>;
}

type Counts = { create: number; update: number; unchanged: number; error: number };
type Upload = { name: string; base64: string };

/** A hub as a new office starts it (first-run setup, no demo data), logged in as its admin. */
export async function emptyHub(): Promise<IdentityHub> {
  const t = await openTestCore();
  await caller(t.core)('system.setup', {
    hubName: '往返测试基地',
    regionCode: '510107007',
    level: 'township',
    adminUsername: 'roundtrip',
    adminDisplayName: '往返测试',
    adminPassword: 'Roundtrip@2026',
  });
  const token = await loginAs(t.core, 'roundtrip', 'Roundtrip@2026');
  return { core: t.core, call: caller(t.core, token), cleanup: t.cleanup };
}

export interface IdentityCase<R> {
  /** What is exported (for failure messages). */
  name: string;
  /** Random records (each array one run); keep names unique inside an array when the importer matches by name. */
  records: fc.Arbitrary<R[]>;
  /** Anything the records refer to (organizations of trainees, accounts of vouchers…), in both hubs. */
  prepare?(hub: IdentityHub, records: R[]): Promise<void>;
  /** Puts the records into the hub through its calls. */
  create(hub: IdentityHub, records: R[]): Promise<void>;
  /** The file as the app exports it. */
  exportFile(hub: IdentityHub): Promise<{ fileName: string; base64: string }>;
  preview(hub: IdentityHub, file: Upload): Promise<{ counts: Counts }>;
  commit(hub: IdentityHub, file: Upload): Promise<{ counts: Counts }>;
  /** The hub's records, comparable across hubs (no ids or timestamps), in a stable order. */
  snapshot(hub: IdentityHub): Promise<unknown>;
  /** How many rows the file has for these records (default: one per record). */
  rowsOf?(records: R[]): number;
}

export async function checkExportImportIdentity<R>(c: IdentityCase<R>, opts: { numRuns?: number; seed?: number } = {}): Promise<void> {
  await fc.assert(
    fc.asyncProperty(c.records, async (records) => {
      const rows = c.rowsOf ? c.rowsOf(records) : records.length;
      const a = await emptyHub();
      try {
        await c.prepare?.(a, records);
        await c.create(a, records);
        const exported = await c.exportFile(a);
        const file = { name: exported.fileName, base64: exported.base64 };
        const dry = await c.preview(a, file);
        const moved = (dry as { rows?: { rowNumber: number; action: string; changes?: string[]; issues?: unknown[] }[] }).rows?.filter((r) => r.action !== 'unchanged').slice(0, 3);
        expect(dry.counts, `${c.name}:导出后在同一基地预览导入,应全部未变 ${JSON.stringify(moved ?? [])}`).toEqual({ create: 0, update: 0, unchanged: rows, error: 0 });
        const b = await emptyHub();
        try {
          await c.prepare?.(b, records);
          const done = await c.commit(b, file);
          expect(done.counts, `${c.name}:导入到空基地,应全部新增`).toEqual({ create: rows, update: 0, unchanged: 0, error: 0 });
          expect(await c.snapshot(b), `${c.name}:导入后的记录应与导出的相同`).toEqual(await c.snapshot(a));
          const again = await c.preview(b, file);
          expect(again.counts, `${c.name}:再次导入同一文件不应改变任何记录`).toEqual({ create: 0, update: 0, unchanged: rows, error: 0 });
        } finally {
          await b.cleanup();
        }
      } finally {
        await a.cleanup();
      }
    }),
    { numRuns: opts.numRuns ?? 5, seed: opts.seed, endOnFailure: true },
  );
}
