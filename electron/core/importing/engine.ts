/**
 * The import engine every table importer but the organization ledger's own (which predates it) is built on:
 * read the file through the intake layer, map its columns to the importer's fields (the user's mapping, the one
 * remembered for files with the same titles, or by title and alias), let the importer plan each row, and either
 * return the plan (the preview: the real import run dry) or run it again inside one write transaction and apply
 * it — all-or-nothing, or the valid rows only — with one audit entry. An importer says only what is its own:
 * its fields, how a row is checked against the database (`plan`) and how a planned row is written (`apply`).
 * Re-importing the same file plans every row as `unchanged`, so it changes nothing.
 */
import { fail } from '@shared/errors';
import { headerVariants } from '@shared/importing/limits';
import type { TableImportCommitInput, TableImportInput, TableImportResult, TableImportRow } from '@shared/importing/contract';
import { normalizeHeader } from '@shared/text/normalize';
import type { CallContext, Trx } from '../api/context';
import type { Db } from '../db/connection';
import { readTable, type CellValue, type Table } from './readTable';

export interface ImportField<K extends string> {
  key: K;
  title: string;
  aliases?: readonly string[];
  required?: boolean;
}

/** One data row as the importer sees it: its cells by field key (missing keys = column not in the file). */
export interface SourceRow<K extends string> {
  rowNumber: number;
  values: Partial<Record<K, CellValue>>;
}

export interface PlannedRow<P> extends TableImportRow {
  /** What `apply` needs to write the row (absent for errors and unchanged rows). */
  payload?: P;
}

export interface PlanContext<K extends string> {
  db: Db;
  today: string;
  /** The column title a field came from (for issues), or the field's own title. */
  column(key: K): string;
  /** Which fields the file has. */
  has(key: K): boolean;
  table: Table;
}

export interface Importer<K extends string, P> {
  /** Key under which mappings are remembered (`import_mappings.importer`). */
  name: string;
  /** Chinese name of what is imported, for the audit entry (`导入${title}「file」`). */
  title: string;
  entity: string;
  fields: readonly ImportField<K>[];
  /** How many titles must match for a row to be the header (default 2). */
  minHeaderMatches?: number;
  /** Plans every row: action, issues by column, warnings, changes and the payload for `apply`. */
  plan(ctx: CallContext, rows: SourceRow<K>[], p: PlanContext<K>): Promise<PlannedRow<P>[]>;
  /** Writes the rows planned `create` or `update` inside the transaction. */
  apply(ctx: CallContext, trx: Trx, rows: PlannedRow<P>[], p: PlanContext<K>): Promise<void>;
}

export function autoMap<K extends string>(headers: readonly string[], fields: readonly ImportField<K>[]): (K | null)[] {
  const byTitle = new Map<string, K>();
  const byAlias = new Map<string, K>();
  for (const f of fields) {
    byTitle.set(normalizeHeader(f.title), f.key);
    for (const a of f.aliases ?? []) if (!byAlias.has(normalizeHeader(a))) byAlias.set(normalizeHeader(a), f.key);
  }
  const used = new Set<K>();
  const mapping: (K | null)[] = headers.map(() => null);
  const pass = (lookup: (h: string) => K | undefined) =>
    headers.forEach((h, i) => {
      if (mapping[i]) return;
      const key = lookup(normalizeHeader(h));
      if (key && !used.has(key)) {
        mapping[i] = key;
        used.add(key);
      }
    });
  pass((h) => byTitle.get(h));
  pass((h) => byAlias.get(h));
  pass((h) => {
    if (!h.includes('·')) return undefined;
    for (const v of headerVariants(h).slice(1)) {
      const k = byTitle.get(v) ?? byAlias.get(v);
      if (k && !used.has(k)) return k;
    }
    return undefined;
  });
  return mapping;
}

function mappingIssues<K extends string>(mapping: readonly (K | null)[], headers: readonly string[], fields: readonly ImportField<K>[]): string[] {
  const issues: string[] = [];
  const seen = new Map<K, number>();
  const byKey = new Map(fields.map((f) => [f.key, f]));
  mapping.forEach((k, i) => {
    if (!k) return;
    if (!byKey.has(k)) issues.push(`第 ${i + 1} 列对应的字段无效`);
    else if (seen.has(k)) issues.push(`"${byKey.get(k)!.title}"同时对应了第 ${seen.get(k)! + 1} 列(${headers[seen.get(k)!] || '无标题'})和第 ${i + 1} 列(${headers[i] || '无标题'})`);
    else seen.set(k, i);
  });
  for (const f of fields) if (f.required && !seen.has(f.key)) issues.push(`必须有一列对应"${f.title}"`);
  return issues;
}

const signatureOf = (headers: readonly string[]) => headers.map((h) => normalizeHeader(h)).join('|');

async function remembered(db: Db, importer: string, signature: string): Promise<(string | null)[] | null> {
  const row = await db.selectFrom('import_mappings').select('mapping_json').where('importer', '=', importer).where('source_key', '=', signature).executeTakeFirst();
  if (!row) return null;
  try {
    return JSON.parse(row.mapping_json) as (string | null)[];
  } catch {
    return null;
  }
}

async function analyze<K extends string, P>(ctx: CallContext, db: Db, importer: Importer<K, P>, req: TableImportInput, today: string) {
  const buffer = Buffer.from(req.file.base64, 'base64');
  const expected = importer.fields.flatMap((f) => [f.title, ...(f.aliases ?? [])]);
  let table: Table;
  try {
    table = await readTable({ buffer, fileName: req.file.name }, { sheetName: req.sheetName, expectedHeaders: expected, minHeaderMatches: importer.minHeaderMatches ?? 2 });
  } catch (e) {
    if (!(e instanceof Error && e.message.includes('没有找到表头行')) || !req.mapping) throw e;
    table = await readTable({ buffer, fileName: req.file.name }, { sheetName: req.sheetName });
  }
  const signature = signatureOf(table.headers);
  let mapping: (K | null)[];
  let fromMemory = false;
  const keys = new Set<string>(importer.fields.map((f) => f.key));
  if (req.mapping) mapping = table.headers.map((_, i) => ((req.mapping![i] ?? null) as K | null));
  else {
    const saved = await remembered(db, importer.name, signature);
    if (saved && saved.length === table.headers.length && saved.every((k) => k === null || keys.has(k))) {
      mapping = saved as (K | null)[];
      fromMemory = true;
    } else mapping = autoMap(table.headers, importer.fields);
  }
  const issues = mappingIssues(mapping, table.headers, importer.fields);
  const titles = new Map(importer.fields.map((f) => [f.key, f.title]));
  const columnOf = new Map<K, string>();
  mapping.forEach((k, i) => k && columnOf.set(k, table.headers[i] || titles.get(k)!));
  const p: PlanContext<K> = { db, today, table, column: (k) => columnOf.get(k) ?? titles.get(k) ?? k, has: (k) => columnOf.has(k) };
  let planned: PlannedRow<P>[] = [];
  if (issues.length === 0) {
    const rows: SourceRow<K>[] = table.rows.map((r) => {
      const values: Partial<Record<K, CellValue>> = {};
      mapping.forEach((k, i) => {
        if (k) values[k] = r.cells[i] ?? null;
      });
      return { rowNumber: r.rowNumber, values };
    });
    planned = await importer.plan(ctx, rows, p);
  }
  const result: TableImportResult = {
    format: table.format,
    encoding: table.encoding ?? null,
    sheetName: table.sheetName ?? null,
    headerRowNumber: table.headerRowNumber,
    headers: table.headers,
    mapping,
    fields: importer.fields.map((f) => ({ key: f.key, title: f.title, required: !!f.required })),
    mappingRemembered: fromMemory,
    mappingIssues: issues,
    footerRows: table.footerRows,
    rows: [],
    counts: { create: 0, update: 0, unchanged: 0, error: 0 },
    committed: false,
  };
  return { result, planned, p, signature };
}

function finish(result: TableImportResult, planned: PlannedRow<unknown>[], committed: boolean): TableImportResult {
  const counts = { create: 0, update: 0, unchanged: 0, error: 0 };
  const rows: TableImportRow[] = planned.map((r) => {
    counts[r.action]++;
    return { rowNumber: r.rowNumber, label: r.label, action: r.action, issues: r.issues, warnings: r.warnings, changes: r.changes };
  });
  return { ...result, rows, counts, committed };
}

/** The preview: the import planned without writing. */
export async function previewTableImport<K extends string, P>(ctx: CallContext, importer: Importer<K, P>, req: TableImportInput, today: string): Promise<TableImportResult> {
  const { result, planned } = await analyze(ctx, ctx.db, importer, req, today);
  return finish(result, planned, false);
}

/** The import: planned again inside the write transaction (so it sees what it changes), then applied. */
export async function commitTableImport<K extends string, P>(ctx: CallContext, importer: Importer<K, P>, req: TableImportCommitInput, today: string): Promise<TableImportResult> {
  return ctx.write(async (trx) => {
    const { result, planned, p, signature } = await analyze(ctx, trx, importer, req, today);
    if (result.mappingIssues.length) throw fail.validation(`列对应关系有误:${result.mappingIssues.join(';')}`);
    const bad = planned.filter((r) => r.action === 'error');
    if (req.mode === 'all' && bad.length) {
      const issues = bad.flatMap((r) => r.issues.map((i) => ({ row: r.rowNumber, path: i.column, message: i.message }))).slice(0, 500);
      throw fail.validation(`共有 ${bad.length} 行有错误,未导入任何数据。请修正后重新导入,或选择"只导入无误的行"`, issues);
    }
    const writes = planned.filter((r) => r.action === 'create' || r.action === 'update');
    await importer.apply(ctx, trx, writes, { ...p, db: trx });
    const nowIso = ctx.now().toISOString();
    const json = JSON.stringify(result.mapping);
    await trx
      .insertInto('import_mappings')
      .values({ importer: importer.name, source_key: signature, mapping_json: json, updated_at: nowIso })
      .onConflict((oc) => oc.columns(['importer', 'source_key']).doUpdateSet({ mapping_json: json, updated_at: nowIso }))
      .execute();
    const done = finish(result, planned, true);
    const c = done.counts;
    await ctx.audit(trx, {
      entity: importer.entity,
      entityId: null,
      summary: `导入${importer.title}「${req.file.name}」:新增 ${c.create}、更新 ${c.update}、未变 ${c.unchanged}${c.error ? `、跳过有错误的 ${c.error} 行` : ''}`,
      after: {
        file: req.file.name,
        mode: req.mode,
        created: planned.filter((r) => r.action === 'create').map((r) => ({ row: r.rowNumber, label: r.label })),
        updated: planned.filter((r) => r.action === 'update').map((r) => ({ row: r.rowNumber, label: r.label, changes: r.changes })),
        skipped: bad.map((r) => ({ row: r.rowNumber, label: r.label })),
      },
    });
    return done;
  });
}

/** A template workbook for an importer: its titles on one row, an example row under them. */
export async function importTemplate(fields: readonly ImportField<string>[], example: readonly (string | number | null)[], sheetName: string, fileName: string) {
  const { loadSheetJs } = await import('./readTable');
  const XLSX = await loadSheetJs();
  const wb = XLSX.utils.book_new();
  const ws = XLSX.utils.aoa_to_sheet([fields.map((f) => (f.required ? `*${f.title}` : f.title)), [...example]]);
  ws['!cols'] = fields.map((f) => ({ wch: Math.max(10, f.title.length * 2 + 2) }));
  XLSX.utils.book_append_sheet(wb, ws, sheetName);
  const buf = XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer;
  return { fileName, mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', base64: buf.toString('base64') };
}
