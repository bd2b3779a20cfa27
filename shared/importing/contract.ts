/**
 * The one shape every table importer built on the core's import engine (`electron/core/importing/engine.ts`)
 * takes and gives: the preview is the import run dry, rows carry their issues by column, and the counts are
 * the ones the CLI prints as `检查结果:新增 N,更新 N,未变 N,有错误 N`.
 */
import { z } from 'zod';
import { IMPORT_MAX_COLUMNS, TABLE_FORMATS } from './limits';

const zUpload = z.object({ name: z.string().min(1).max(255), base64: z.string() });

/** The mapping step: a label a list does not know, mapped to one of its entries (code) or left as an error (null). */
export const zImportLabelChoice = z.object({
  vocabulary: z.string().min(1).max(40),
  label: z.string().min(1).max(200),
  code: z.string().max(40).nullable(),
});
export type ImportLabelChoice = z.infer<typeof zImportLabelChoice>;
export const zImportLabelMap = z.array(zImportLabelChoice).max(1000);

/** A label of the file its list does not know, where it occurs and what the import does with it. */
export const zImportUnknownLabel = z.object({
  vocabulary: z.string(),
  /** The file's column title. */
  column: z.string(),
  label: z.string(),
  rowCount: z.number(),
  /** The first rows it occurs in (at most 10). */
  rows: z.array(z.number()),
  /** The entry it is read as (null = the rows stay errors). */
  code: z.string().nullable(),
  /** chosen = in this preview; remembered = from an earlier file of this hub; none = not mapped. */
  source: z.enum(['chosen', 'remembered', 'none']),
});
export type ImportUnknownLabel = z.infer<typeof zImportUnknownLabel>;

/** A list the mapping step offers entries of. */
export const zImportVocabulary = z.object({
  vocabulary: z.string(),
  title: z.string(),
  options: z.array(z.object({ code: z.string(), label: z.string() })),
});
export type ImportVocabulary = z.infer<typeof zImportVocabulary>;

export const zTableImportInput = z.object({
  file: zUpload,
  sheetName: z.string().max(100).optional(),
  /** Column index → field key (null = ignore); omitted = the remembered mapping or the automatic one. */
  mapping: z.array(z.string().max(40).nullable()).max(IMPORT_MAX_COLUMNS).optional(),
  /** The mapping step's choices; labels not listed use the remembered mapping, if any. */
  labelMap: zImportLabelMap.optional(),
  /** The dialog's previous preview: its rows kept for paging go (the import reads and plans the file again). */
  previewId: z.string().max(64).optional(),
});
export const zTableImportCommitInput = zTableImportInput.extend({ mode: z.enum(['all', 'validOnly']) });
export type TableImportInput = z.infer<typeof zTableImportInput>;
export type TableImportCommitInput = z.infer<typeof zTableImportCommitInput>;

export const zTableImportRow = z.object({
  rowNumber: z.number(),
  /** What the row is about (a name), for the preview list. */
  label: z.string(),
  action: z.enum(['create', 'update', 'unchanged', 'error']),
  issues: z.array(z.object({ column: z.string(), message: z.string() })),
  warnings: z.array(z.string()),
  changes: z.array(z.string()),
});
export type TableImportRow = z.infer<typeof zTableImportRow>;

export const zTableImportResult = z.object({
  format: z.enum(TABLE_FORMATS),
  encoding: z.string().nullable(),
  sheetName: z.string().nullable(),
  headerRowNumber: z.number(),
  headers: z.array(z.string()).max(IMPORT_MAX_COLUMNS),
  mapping: z.array(z.string().nullable()).max(IMPORT_MAX_COLUMNS),
  /** Field key → its Chinese title, for the mapping step. */
  fields: z.array(z.object({ key: z.string(), title: z.string(), required: z.boolean() })),
  mappingRemembered: z.boolean(),
  mappingIssues: z.array(z.string()),
  footerRows: z.array(z.number()),
  /** The mapping step: unknown labels of the file's list columns (empty = nothing to map). */
  labels: z.array(zImportUnknownLabel),
  vocabularies: z.array(zImportVocabulary),
  /** Every row when they are few; else the first page and the error rows after it (up to 1,000). */
  rows: z.array(zTableImportRow),
  /** All the rows planned (`rows` may be fewer). */
  rowCount: z.number(),
  /** A preview whose rows are not all in `rows` keeps them for paging (`importing.previewRows`); else null. */
  previewId: z.string().nullable(),
  counts: z.object({ create: z.number(), update: z.number(), unchanged: z.number(), error: z.number() }),
  committed: z.boolean(),
});
export type TableImportResult = z.infer<typeof zTableImportResult>;

/** The CLI's and the dialog's one-line summary. */
export function importSummaryLine(r: Pick<TableImportResult, 'counts' | 'committed'>): string {
  const c = r.counts;
  return `${r.committed ? '已导入' : '检查结果'}:新增 ${c.create},更新 ${c.update},未变 ${c.unchanged},有错误 ${c.error}`;
}

/** A page of a kept preview's rows: the engine's rows, or the organization import's (named `name`, with `orgId`). */
export const zImportPreviewRowsInput = z.object({
  previewId: z.string().min(1).max(64),
  offset: z.number().int().min(0),
  limit: z.number().int().min(1).max(500),
  filter: z.enum(['create', 'update', 'unchanged', 'error']).optional(),
});
export const zImportPreviewRowsOutput = z.object({
  total: z.number(),
  rows: z.array(zTableImportRow.extend({ label: z.string().optional(), name: z.string().optional(), orgId: z.string().nullable().optional() })),
});
