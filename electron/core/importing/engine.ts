/**
 * The import engine every table importer is built on (organization ledger, trainee roster, and the others): read
 * the file through the intake layer, map its columns to the importer's fields (the user's mapping, the one
 * remembered for files with the same titles, or by title and alias), map labels the hub's lists do not know (the
 * mapping step: 文艺 → 文体娱乐, chosen in the preview and remembered per hub for the next file), let the importer
 * plan each row, and either return the plan (the preview: the real import run dry) or run it again inside one
 * write transaction and apply it — all-or-nothing, or the valid rows only — with one audit entry. An importer says
 * only what is its own: its fields (and which of them hold labels of a list), how a row is checked against the
 * database (`plan`) and how a planned row is written (`apply`). Re-importing the same file plans every row as
 * `unchanged`, so it changes nothing.
 *
 * Memory: the file is read once (the intake layer's rows); each row's cells are handed to the importer as its
 * source row and the table's own reference is let go at once, so a 30,000-row sheet is never held twice.
 */
import { fail } from '@shared/errors';
import { headerVariants } from '@shared/importing/limits';
import type {
  ImportLabelChoice,
  ImportUnknownLabel,
  ImportVocabulary,
  TableImportCommitInput,
  TableImportInput,
  TableImportResult,
  TableImportRow,
} from '@shared/importing/contract';
import { normalizeHeader, normalizeText } from '@shared/text/normalize';
import type { CallContext, Trx } from '../api/context';
import { breathe } from '../api/breathe';
import type { Db } from '../db/connection';
import { cellText, readTable, type CellValue, type Table } from './readTable';
import { PREVIEW_FIRST_ROWS, firstRows, keepPreview, releasePreview } from './previewStore';

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
  /** The record the row is about (set by `plan` for a match, by `apply` for a new record), for the audit entry. */
  ref?: string | null;
}

export interface PlanContext<K extends string> {
  db: Db;
  today: string;
  /** The column title a field came from (for issues), or the field's own title. */
  column(key: K): string;
  /** Which fields the file has. */
  has(key: K): boolean;
  table: Omit<Table, 'rows'>;
}

/**
 * The list a field's cells are labels of (a dictionary, or a fixed list such as 登记类型). A label the list does
 * not know goes to the mapping step; the engine writes the chosen entry's label into the cell before `plan`, so
 * the importer's own parsing accepts it.
 */
export interface Vocabulary {
  /** Key under which label mappings are remembered (`import_label_mappings.vocabulary`): shared by every importer. */
  kind: string;
  /** Chinese name of the list, for the mapping step (服务领域, 人员类别…). */
  title: string;
  /** Cells hold several labels (、,;/ separated). */
  multi?: boolean;
  options: { code: string; label: string }[];
  /** Whether the importer reads this label as an entry of the list as it stands (its own aliases included). */
  knows(label: string): boolean;
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
  /** A file whose titles are all unknown is read from its first row (for the mapping step) instead of refused. */
  firstRowWhenNoHeader?: boolean;
  /** The lists some fields' cells are labels of (the mapping step). */
  vocabularies?(db: Db): Promise<Partial<Record<K, Vocabulary>>>;
  /** Plans every row: action, issues by column, warnings, changes and the payload for `apply`. The array is the importer's: it may let rows go as it plans them. */
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
  // exact titles first, so an alias elsewhere in the file never steals a column that is titled exactly
  pass((h) => byTitle.get(h));
  pass((h) => byAlias.get(h));
  // a title from a header over two rows (负责人·联系电话): by its group and sub-header, most specific first
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

/** The form a label is compared and remembered in: full-width folded, no spaces. */
export const labelKey = (label: string) => normalizeText(label).replace(/\s+/g, '');
const LABEL_SPLIT = /[、,;/|\n]+/;

async function remembered(db: Db, importer: string, signature: string): Promise<(string | null)[] | null> {
  const row = await db.selectFrom('import_mappings').select('mapping_json').where('importer', '=', importer).where('source_key', '=', signature).executeTakeFirst();
  if (!row) return null;
  try {
    return JSON.parse(row.mapping_json) as (string | null)[];
  } catch {
    return null;
  }
}

/** The label mappings remembered for these lists: vocabulary → label key → code. */
async function rememberedLabels(db: Db, kinds: string[]): Promise<Map<string, Map<string, string>>> {
  const out = new Map<string, Map<string, string>>();
  if (kinds.length === 0) return out;
  const rows = await db.selectFrom('import_label_mappings').select(['vocabulary', 'label', 'code']).where('vocabulary', 'in', kinds).execute();
  for (const r of rows) {
    let m = out.get(r.vocabulary);
    if (!m) out.set(r.vocabulary, (m = new Map()));
    m.set(r.label, r.code);
  }
  return out;
}

/** Reads the file for an importer: its titles find the header below title rows. */
export async function readForImporter<K extends string, P>(importer: Importer<K, P>, req: TableImportInput): Promise<Table> {
  const buffer = Buffer.from(req.file.base64, 'base64');
  const expected = importer.fields.flatMap((f) => [f.title, ...(f.aliases ?? [])]);
  try {
    return await readTable({ buffer, fileName: req.file.name }, { sheetName: req.sheetName, expectedHeaders: expected, minHeaderMatches: importer.minHeaderMatches ?? 2 });
  } catch (e) {
    if (!(e instanceof Error && e.message.includes('没有找到表头行')) || !(req.mapping || importer.firstRowWhenNoHeader)) throw e;
    return readTable({ buffer, fileName: req.file.name }, { sheetName: req.sheetName });
  }
}

interface LabelState {
  field: string;
  vocabulary: Vocabulary;
  /** label key → what happens to it (one entry per unknown label of this list). */
  unknown: Map<string, ImportUnknownLabel>;
}

async function analyze<K extends string, P>(ctx: CallContext, db: Db, importer: Importer<K, P>, req: TableImportInput, today: string, table: Table) {
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
  const { rows: tableRows, ...shape } = table;
  const p: PlanContext<K> = { db, today, table: shape, column: (k) => columnOf.get(k) ?? titles.get(k) ?? k, has: (k) => columnOf.has(k) };

  // The mapping step: the lists of the mapped fields, the choices made in this preview, the remembered ones.
  const labelStates = new Map<number, LabelState>();
  const vocabularies: ImportVocabulary[] = [];
  if (issues.length === 0 && importer.vocabularies) {
    const lists = await importer.vocabularies(db);
    const kinds = new Set<string>();
    mapping.forEach((k, i) => {
      const v = k ? lists[k] : undefined;
      if (!k || !v) return;
      labelStates.set(i, { field: k, vocabulary: v, unknown: new Map() });
      if (!kinds.has(v.kind)) {
        kinds.add(v.kind);
        vocabularies.push({ vocabulary: v.kind, title: v.title, options: v.options.map((o) => ({ code: o.code, label: o.label })) });
      }
    });
    const memory = await rememberedLabels(db, [...kinds]);
    const chosen = new Map<string, string | null>();
    for (const c of req.labelMap ?? []) chosen.set(`${c.vocabulary}\u0000${labelKey(c.label)}`, c.code);
    const rewrite = (state: LabelState, text: string, rowNumber: number): string | null => {
      const v = state.vocabulary;
      const parts = v.multi ? text.split(LABEL_SPLIT).map((s) => s.trim()).filter(Boolean) : [text];
      let changed = false;
      const out = parts.map((part) => {
        if (v.knows(part)) return part;
        const key = labelKey(part);
        let entry = state.unknown.get(key);
        if (!entry) {
          const choiceKey = `${v.kind}\u0000${key}`;
          const pick = chosen.has(choiceKey) ? chosen.get(choiceKey)! : (memory.get(v.kind)?.get(key) ?? null);
          const valid = pick !== null && v.options.some((o) => o.code === pick);
          entry = {
            vocabulary: v.kind,
            column: p.column(state.field as K),
            label: part,
            rowCount: 0,
            rows: [],
            code: valid ? pick : null,
            source: valid ? (chosen.has(choiceKey) ? 'chosen' : 'remembered') : 'none',
          };
          state.unknown.set(key, entry);
        }
        entry.rowCount++;
        if (entry.rows.length < 10) entry.rows.push(rowNumber);
        if (entry.code === null) return part;
        changed = true;
        return v.options.find((o) => o.code === entry!.code)!.label;
      });
      return changed ? out.join('、') : null;
    };
    if (labelStates.size) {
      for (const r of tableRows) {
        for (const [i, state] of labelStates) {
          const text = cellText(r.cells[i] ?? null);
          if (text === '') continue;
          const replaced = rewrite(state, normalizeText(text), r.rowNumber);
          if (replaced !== null) r.cells[i] = replaced;
        }
      }
    }
  }
  const labels: ImportUnknownLabel[] = [...labelStates.values()].flatMap((s) => [...s.unknown.values()]);

  let planned: PlannedRow<P>[] = [];
  if (issues.length === 0) {
    const columns = mapping.map((k, i) => [k, i] as const).filter((x): x is readonly [K, number] => x[0] !== null);
    const rows: SourceRow<K>[] = new Array(tableRows.length);
    for (let n = 0; n < tableRows.length; n++) {
      const cells = tableRows[n].cells;
      const values: Partial<Record<K, CellValue>> = {};
      for (const [k, i] of columns) values[k] = cells[i] ?? null;
      rows[n] = { rowNumber: tableRows[n].rowNumber, values };
      tableRows[n] = null as never; // the row's cells are the source row's now: the table lets them go
      if (n % 2000 === 1999) await breathe();
    }
    table.rows = [];
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
    labels,
    vocabularies,
    rows: [],
    rowCount: 0,
    previewId: null,
    counts: { create: 0, update: 0, unchanged: 0, error: 0 },
    committed: false,
  };
  return { result, planned, p, signature };
}

/** How a planned row goes out: what the preview list shows of it. */
export const rowView = (r: PlannedRow<unknown>): TableImportRow => ({ rowNumber: r.rowNumber, label: r.label, action: r.action, issues: r.issues, warnings: r.warnings, changes: r.changes });

/**
 * The rows a preview or an import answers with: every row when they are few; else the first page and the error
 * rows after it (`firstRows`), the preview keeping all of them in the core for the dialog to page through
 * (`importing.previewRows`, by `previewId`). A 30,000-row file's rows never all cross the contract's output check
 * and the transport. The views are made for the rows that go out (and, for a kept preview, once for all of them).
 */
export function outgoingRows<P, V extends { action: string }>(
  ctx: CallContext,
  planned: readonly PlannedRow<P>[],
  keep: boolean,
  view: (r: PlannedRow<P>) => V,
): { rows: V[]; rowCount: number; previewId: string | null } {
  if (planned.length <= PREVIEW_FIRST_ROWS) return { rows: planned.map(view), rowCount: planned.length, previewId: null };
  if (!keep) return { rows: firstRows(planned, (r) => r.action === 'error').rows.map(view), rowCount: planned.length, previewId: null };
  const all = planned.map(view);
  const previewId = keepPreview(ctx.core, IMPORT_PREVIEW_KIND, ctx.user?.id ?? null, all, { test: (r, filter) => r.action === filter });
  return { rows: firstRows(all, (r) => r.action === 'error').rows, rowCount: planned.length, previewId };
}

/** Kind of the engine's kept previews (`importing.previewRows` pages only these). */
export const IMPORT_PREVIEW_KIND = 'importing';

function finish(ctx: CallContext, result: TableImportResult, planned: PlannedRow<unknown>[], committed: boolean): TableImportResult {
  const counts = { create: 0, update: 0, unchanged: 0, error: 0 };
  for (let i = 0; i < planned.length; i++) counts[planned[i].action]++;
  const { rows, rowCount, previewId } = outgoingRows(ctx, planned, !committed, rowView);
  return { ...result, rows, rowCount, previewId, counts, committed };
}

export interface EngineRun<P> {
  result: TableImportResult;
  /** The planned rows (with `ref`), for importers whose own result shape adds to the engine's. */
  planned: PlannedRow<P>[];
}

/** The preview: the import planned without writing. */
export async function runTableImportPreview<K extends string, P>(ctx: CallContext, importer: Importer<K, P>, req: TableImportInput, today: string): Promise<EngineRun<P>> {
  releasePreview(ctx.core, req.previewId);
  const table = await readForImporter(importer, req);
  const { result, planned } = await analyze(ctx, ctx.db, importer, req, today, table);
  return { result: finish(ctx, result, planned, false), planned };
}

export async function previewTableImport<K extends string, P>(ctx: CallContext, importer: Importer<K, P>, req: TableImportInput, today: string): Promise<TableImportResult> {
  return (await runTableImportPreview(ctx, importer, req, today)).result;
}

/** Remembers the label choices of a committed import (a choice of "leave as error" forgets a remembered one). */
async function rememberLabels(trx: Trx, labels: readonly ImportUnknownLabel[], choices: readonly ImportLabelChoice[] | undefined, nowIso: string): Promise<void> {
  const seen = new Set(labels.map((l) => `${l.vocabulary}\u0000${labelKey(l.label)}`));
  for (const c of choices ?? []) {
    const key = labelKey(c.label);
    if (!seen.has(`${c.vocabulary}\u0000${key}`)) continue;
    if (c.code === null) {
      await trx.deleteFrom('import_label_mappings').where('vocabulary', '=', c.vocabulary).where('label', '=', key).execute();
      continue;
    }
    if (!labels.some((l) => l.vocabulary === c.vocabulary && labelKey(l.label) === key && l.code === c.code)) continue;
    await trx
      .insertInto('import_label_mappings')
      .values({ vocabulary: c.vocabulary, label: key, code: c.code, updated_at: nowIso })
      .onConflict((oc) => oc.columns(['vocabulary', 'label']).doUpdateSet({ code: c.code!, updated_at: nowIso }))
      .execute();
  }
}

/**
 * The import: the file is read before the write lock is taken (other calls keep answering meanwhile), then
 * planned again inside the write transaction (so it sees what it changes) and applied.
 */
export async function runTableImportCommit<K extends string, P>(ctx: CallContext, importer: Importer<K, P>, req: TableImportCommitInput, today: string): Promise<EngineRun<P>> {
  // the preview's kept rows are not what is imported (the file is read and planned again): they go first
  releasePreview(ctx.core, req.previewId);
  const table = await readForImporter(importer, req);
  return ctx.write(async (trx) => {
    const { result, planned, p, signature } = await analyze(ctx, trx, importer, req, today, table);
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
    await rememberLabels(trx, result.labels, req.labelMap, nowIso);
    const done = finish(ctx, result, planned, true);
    const c = done.counts;
    const item = (r: PlannedRow<P>) => (r.ref ? { row: r.rowNumber, label: r.label, id: r.ref } : { row: r.rowNumber, label: r.label });
    await ctx.audit(trx, {
      entity: importer.entity,
      entityId: null,
      summary: `导入${importer.title}「${req.file.name}」:新增 ${c.create}、更新 ${c.update}、未变 ${c.unchanged}${c.error ? `、跳过有错误的 ${c.error} 行` : ''}`,
      after: {
        file: req.file.name,
        mode: req.mode,
        created: planned.filter((r) => r.action === 'create').map(item),
        updated: planned.filter((r) => r.action === 'update').map((r) => ({ ...item(r), changes: r.changes })),
        skipped: bad.map((r) => ({ row: r.rowNumber, label: r.label })),
        labels: result.labels.filter((l) => l.code !== null).map((l) => ({ vocabulary: l.vocabulary, label: l.label, code: l.code })),
      },
    });
    return { result: done, planned };
  });
}

export async function commitTableImport<K extends string, P>(ctx: CallContext, importer: Importer<K, P>, req: TableImportCommitInput, today: string): Promise<TableImportResult> {
  return (await runTableImportCommit(ctx, importer, req, today)).result;
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

/** One cell of an export in an importer's shape: text as stored, counts as numbers, empty as an empty cell. */
export type ShapedCell = string | number | null;

/**
 * The records as a workbook in an importer's own shape — its field titles on one row (no `*`), one row per record
 * with each cell as the importer reads it back (labels for codes, names for ids, dates as YYYY-MM-DD text) — so
 * importing the export into the same hub changes nothing and into a fresh hub gives the same records. Every cell is
 * written as what it is (text stays text: an ID number or a phone is never turned into a number).
 */
export async function importShapedExport<K extends string>(
  fields: readonly ImportField<K>[],
  records: readonly Partial<Record<K, ShapedCell>>[],
  sheetName: string,
  fileName: string,
) {
  const { loadSheetJs } = await import('./readTable');
  const XLSX = await loadSheetJs();
  const aoa: ShapedCell[][] = [fields.map((f) => f.title)];
  for (const r of records) aoa.push(fields.map((f) => (r[f.key] === undefined || r[f.key] === '' ? null : r[f.key]!)));
  const ws = XLSX.utils.aoa_to_sheet(aoa, { dense: true });
  ws['!cols'] = fields.map((f) => ({ wch: Math.max(10, f.title.length * 2 + 2) }));
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, sheetName);
  const buf = XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer;
  return { fileName, mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', base64: buf.toString('base64') };
}
