/**
 * 台账 export: the current view (search, column filters, quick filters, sort) or everything, written with the
 * exceljs streaming writer, with the same column definitions the importer reads — so the file re-imports as
 * "unchanged". A title row sits above the header (the importer finds the header below it).
 */
import { PassThrough } from 'node:stream';
import type ExcelJS from 'exceljs';
import { loadExcelJS } from '../lazy';
import { sql } from 'kysely';
import { formatChinaDateTime, splitDate } from '@shared/dates/parse';
import { ORG_COLUMNS, formatSheetRow, type OrgDictionaries, type OrgSheetRecord } from '@shared/organizations/columns';
import type { IncubationMode, IncubationStage } from '@shared/organizations/incubation';
import type { OrgQuery } from '@shared/organizations/list';
import type { OrgStatus } from '@shared/organizations/model';
import type { Db, SqliteHandle } from '../db/connection';
import { listDictionary } from '../admin/dictionaries';
import { buildWhere, type QueryEnv } from './queries';
import { rowToInput, type OrgRow } from './records';
import { exportRowBatches } from './engineSql';

const DATE_STYLE: Partial<ExcelJS.Style> = { numFmt: 'yyyy-mm-dd' };

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function toSheetRecord(r: OrgRow): OrgSheetRecord {
  return {
    ...rowToInput(r),
    incubationStage: r.incubation_stage as IncubationStage | null,
    incubationDate: r.incubation_date,
    incubationMode: r.incubation_mode as IncubationMode | null,
    status: r.status as OrgStatus,
    withdrawnDate: r.withdrawn_date,
    withdrawnReason: r.withdrawn_reason,
  };
}

export async function orgDictionaries(db: Db): Promise<OrgDictionaries> {
  const all = await listDictionary(db);
  return {
    org_field: all.filter((e) => e.kind === 'org_field').map((e) => ({ code: e.code, label: e.label })),
    people_served: all.filter((e) => e.kind === 'people_served').map((e) => ({ code: e.code, label: e.label })),
  };
}

const SORT_SQL: Record<string, string> = {
  name: 'name_pinyin',
  street: 'street',
  mgmtClass: 'mgmt_class',
  foundedDate: 'founded_date',
  updatedAt: 'updated_at',
  memberCount: 'member_count',
  incubationStage: 'incubation_stage',
};

/** The columns the sheet needs, in the order of the raw rows the export reads (`toSheetRecord` reads these). */
const EXPORT_COLUMNS = [
  'name', 'short_name', 'credit_code', 'credit_code_confirmed', 'mgmt_class', 'registered_kind', 'region_code', 'street', 'community',
  'area_type', 'field_code', 'people_served', 'leader_name', 'leader_phone', 'contact_name', 'contact_phone', 'member_count',
  'volunteer_count', 'founded_date', 'charter_adopted', 'party_in_charter', 'party_org_form', 'party_instructor', 'mass_orgs', 'marks',
  'fixed_activity_time', 'fixed_activity_place', 'remark', 'incubation_stage', 'incubation_date', 'incubation_mode', 'status',
  'withdrawn_date', 'withdrawn_reason',
] as const satisfies readonly (keyof OrgRow)[];

/** A raw row (values in `EXPORT_COLUMNS` order) as the part of `OrgRow` that `toSheetRecord` reads; one object shape for every row. */
function rowFromRaw(v: unknown[]): OrgRow {
  const row: Record<string, unknown> = {};
  for (let i = 0; i < EXPORT_COLUMNS.length; i++) row[EXPORT_COLUMNS[i]] = v[i];
  return row as unknown as OrgRow;
}

/** Column letters A, B, … AH of the sheet's columns. */
const COLUMN_LETTERS = ORG_COLUMNS.map((_, i) => {
  let n = i + 1;
  let s = '';
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
});

/** Text escaped for an XML text node, as exceljs does it: the five entities, control characters dropped. */
const XML_SPECIAL = /[<>&'"\x7F\x00-\x08\x0B-\x0C\x0E-\x1F]/;
const XML_SPECIAL_ALL = /[<>&'"\x7F\x00-\x08\x0B-\x0C\x0E-\x1F]/g;
const XML_ENTITIES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' };
function xmlText(text: string): string {
  return XML_SPECIAL.test(text) ? text.replace(XML_SPECIAL_ALL, (c) => XML_ENTITIES[c] ?? '') : text;
}

/** A 'YYYY-MM-DD' date as the Excel serial exceljs writes for a UTC-midnight Date (days since 1899-12-30). */
const excelDate = (v: string) => {
  const { year, month, day } = splitDate(v);
  return Date.UTC(year, month - 1, day) / 86_400_000 + 25_569;
};

/** Text whose edge blanks a reader would drop unless told to keep them (most cells are trimmed already). */
const EDGE_BLANK = /^\s|\s$/;

/**
 * One data row of the sheet as SpreadsheetML, as exceljs's row writer would write it (numbers plain, dates as serials
 * with the date style, empty cells left out) except text, which is an inline string rather than `t="str"`.
 */
function rowXml(rowNumber: number, values: readonly (string | number | null)[], dateStyleId: number): string {
  let cells = '';
  let first = 0;
  let last = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null) continue;
    const ref = COLUMN_LETTERS[i] + rowNumber;
    if (first === 0) first = i + 1;
    last = i + 1;
    if (typeof v === 'number') cells += `<c r="${ref}"><v>${v}</v></c>`;
    else if (ORG_COLUMNS[i].type === 'date') cells += `<c r="${ref}" s="${dateStyleId}"><v>${excelDate(v)}</v></c>`;
    // An inline string, not `t="str"`: exceljs decodes the entities of a `str` value twice on reading.
    else cells += `<c r="${ref}" t="inlineStr"><is>${EDGE_BLANK.test(v) ? '<t xml:space="preserve">' : '<t>'}${xmlText(v)}</t></is></c>`;
  }
  return `<row r="${rowNumber}" spans="${first}:${last}" x14ac:dyDescent="0.25">${cells}</row>`;
}

/** exceljs internals used to write the data rows (not in its typings). */
interface WorkbookWriterInternals {
  styles: { addStyleModel(style: Partial<ExcelJS.Style>, cellType: ExcelJS.ValueType): number };
}
interface WorksheetWriterInternals {
  stream: { write(chunk: Buffer): unknown };
}

export async function exportOrganizations(
  db: Db,
  sqlite: SqliteHandle,
  q: OrgQuery & { sortModel?: { colId: string; sort: 'asc' | 'desc' }[] },
  env: QueryEnv,
  meta: { hubName: string; now: Date },
): Promise<{ fileName: string; mimeType: string; base64: string; rowCount: number }> {
  const dicts = await orgDictionaries(db);
  const where = buildWhere(q, env);
  // The order is taken once as a list of row keys, the rows then read in batches by key, as arrays of the needed
  // columns, and written before the next batch is read (engineSql.ts). (Paging with OFFSET would re-walk the sorted
  // rows per batch; 49-property row objects through kysely were half the time of a 50,000-row export.)
  const sorts = (q.sortModel ?? []).filter((s) => SORT_SQL[s.colId]);
  const ordered = (key: 'rowid' | 'id') => {
    let orderQ = db.selectFrom('organizations').select(sql.ref(key).as('k'));
    if (where) orderQ = orderQ.where(where);
    for (const s of sorts) orderQ = orderQ.orderBy(sql.ref(SORT_SQL[s.colId]), s.sort);
    if (sorts.length === 0) orderQ = orderQ.orderBy('name_pinyin');
    return orderQ.orderBy(sql.ref(key));
  };

  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const ExcelJS = await loadExcelJS();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = 'Incubase';
  const ws = wb.addWorksheet('组织台账', { views: [{ state: 'frozen', ySplit: 2 }] });
  ws.columns = ORG_COLUMNS.map((c) => ({ key: c.key, width: c.width }));
  const title = ws.addRow([`${meta.hubName} 社区社会组织台账(导出于 ${formatChinaDateTime(meta.now)})`]);
  title.font = { bold: true, size: 13 };
  title.commit();
  const header = ws.addRow(ORG_COLUMNS.map((c) => c.header));
  header.font = { bold: true };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE6F0FF' } };
  header.commit();

  // The data rows are written as markup straight into the sheet's stream (after the committed header, which has
  // opened <sheetData>): exceljs's Row/Cell objects and its generic row renderer were most of the remaining time.
  const dateStyleId = (wb as unknown as WorkbookWriterInternals).styles.addStyleModel(DATE_STYLE, ExcelJS.ValueType.Date);
  const sheet = (ws as unknown as WorksheetWriterInternals).stream;
  // Each row's markup goes straight into a 64 KiB buffer, copied out to the sheet when full: a row's strings die
  // young instead of a batch's worth of them being promoted and collected by full GCs.
  const buf = Buffer.allocUnsafe(65_536);
  let pos = 0;
  const flush = () => {
    if (pos > 0) sheet.write(Buffer.from(buf.subarray(0, pos)));
    pos = 0;
  };
  let rowNumber = header.number;
  let count = 0;
  let read = 0;
  // rows removed meanwhile are left out (reads are not one snapshot across batches)
  for await (const rows of exportRowBatches(db, sqlite, ordered, EXPORT_COLUMNS)) {
    for (const raw of rows) {
      const xml = rowXml(++rowNumber, formatSheetRow(toSheetRecord(rowFromRaw(raw)), dicts), dateStyleId);
      if (pos + xml.length * 3 > buf.length) flush();
      if (xml.length * 3 > buf.length) sheet.write(Buffer.from(xml, 'utf8'));
      else pos += buf.write(xml, pos, 'utf8');
      count++;
    }
    // let the zip take what is written (its deflate runs off the main thread meanwhile)
    if (read % 10_000 === 0) {
      flush();
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    read += rows.length;
  }
  flush();
  ws.commit();
  await wb.commit();
  await done;
  const stamp = formatChinaDateTime(meta.now).replace(/[-: ]/g, '').slice(0, 12);
  return { fileName: `组织台账_${stamp}.xlsx`, mimeType: XLSX_MIME, base64: Buffer.concat(chunks).toString('base64'), rowCount: count };
}
