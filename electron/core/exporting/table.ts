/**
 * The one list export (issue 18): runs the list call the screen shows, with the screen's own input and the
 * caller's own roles, and writes its rows with the screen's column headers into a workbook whose cells have
 * real types — counts and amounts are number cells (amounts in yuan, #,##0.00), dates are date cells.
 */
import { z } from 'zod';
import { callDef, isCallName } from '@shared/contract';
import { AppError, fail } from '@shared/errors';
import { EXPORT_MAX_ROWS, listPrintHtml, valueAt, zExportColumn } from '@shared/exporting/table';
import { todayInChina } from '@shared/dates/parse';
import type { CallContext } from '../api/context';
import { loadExcelJS } from '../lazy';
import { dictionaryLabels } from '../admin/dictionaries';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const BLOCK = 5000;

type Column = z.output<typeof zExportColumn>;

export interface TableExportInput {
  call: string;
  input: Record<string, unknown>;
  rowsKey?: string;
  columns: Column[];
  title: string;
}

function rowsOf(out: unknown, rowsKey: string | undefined): { rows: unknown[]; total: number | null } {
  if (Array.isArray(out)) return { rows: out, total: null };
  if (out && typeof out === 'object') {
    const o = out as Record<string, unknown>;
    const rows = o[rowsKey ?? 'rows'];
    if (Array.isArray(rows)) return { rows, total: typeof o.total === 'number' ? o.total : null };
  }
  throw fail.validation(`列表「${rowsKey ?? ''}」无法导出：该调用没有返回行列表`);
}

/** Every row of a list call, read the way the screen reads it (a paged call block by block). */
async function readAllRows(ctx: CallContext, input: TableExportInput): Promise<unknown[]> {
  if (!isCallName(input.call) || input.call.startsWith('exports.')) throw fail.validation(`无法导出：未知的列表 ${input.call.slice(0, 40)}`);
  const def = callDef(input.call);
  if (def.write) throw fail.validation(`「${def.title}」不是列表，不能导出`);
  const user = ctx.requireUser();
  const shape = def.input instanceof z.ZodObject ? (def.input.shape as Record<string, unknown>) : {};
  const paged = 'startRow' in shape && 'endRow' in shape;
  const run = async (extra: Record<string, unknown>) => {
    const r = await ctx.core.invokeAs(user, input.call, { ...input.input, ...extra });
    if (!r.ok) throw new AppError(r.error!.code, r.error!.message, { issues: r.error!.issues, details: r.error!.details });
    return rowsOf(r.data, input.rowsKey);
  };
  if (!paged) return (await run({})).rows.slice(0, EXPORT_MAX_ROWS);
  const all: unknown[] = [];
  // A list may cap its block size below BLOCK: move on by what came back, stop at the total or an empty block.
  while (all.length < EXPORT_MAX_ROWS) {
    const { rows, total } = await run({ startRow: all.length, endRow: all.length + BLOCK });
    all.push(...rows);
    if (rows.length === 0 || (total !== null ? all.length >= total : rows.length < BLOCK)) break;
  }
  return all;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const CHINA_OFFSET_MS = 8 * 3600_000;

/** The typed cell for one value: exceljs writes a Date as a date serial (UTC), so dates are built in UTC. */
export function cellValue(value: unknown, col: Column): string | number | Date | null {
  if (value === null || value === undefined || value === '') return null;
  switch (col.kind) {
    case 'number': {
      const n = typeof value === 'number' ? value : Number(value);
      return Number.isFinite(n) ? n : String(value);
    }
    case 'fen': {
      const n = typeof value === 'number' ? value : Number(value);
      return Number.isFinite(n) ? Math.round(n) / 100 : String(value);
    }
    case 'yuan': {
      const n = typeof value === 'number' ? value : Number(value);
      return Number.isFinite(n) ? n : String(value);
    }
    case 'date': {
      const m = DATE.exec(String(value).slice(0, 10));
      return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : String(value);
    }
    case 'datetime': {
      const s = String(value);
      if (!INSTANT.test(s)) return s;
      // An instant (…Z or with an offset) is shown in China time; a local datetime (YYYY-MM-DDTHH:mm) as it is.
      const instant = /(Z|[+-]\d{2}:?\d{2})$/.test(s);
      const t = Date.parse(instant ? s : `${s.length === 16 ? `${s}:00` : s}Z`);
      return Number.isFinite(t) ? new Date(instant ? t + CHINA_OFFSET_MS : t) : s;
    }
    case 'bool':
      return value ? '是' : '否';
    case 'list':
      return Array.isArray(value) ? value.map((v) => (col.map?.[String(v)] ?? String(v))).join('、') : String(value);
    default: {
      const s = typeof value === 'object' ? JSON.stringify(value) : String(value);
      return col.map?.[s] ?? s;
    }
  }
}

const FORMATS: Partial<Record<Column['kind'], string>> = {
  fen: '#,##0.00',
  yuan: '#,##0.00',
  date: 'yyyy-mm-dd',
  datetime: 'yyyy-mm-dd hh:mm',
};

/** A workbook of typed cells: a title line, the headers, the rows; returns the file bytes. */
export async function writeTableWorkbook(title: string, columns: Column[], rows: unknown[], subtitle?: string): Promise<Buffer> {
  const ExcelJS = await loadExcelJS();
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(title.slice(0, 31).replace(/[\\/?*[\]:]/g, '_'), {
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    views: [{ state: 'frozen', ySplit: 2 }],
  });
  ws.addRow([subtitle ? `${title}(${subtitle})` : title]).font = { bold: true, size: 14 };
  if (columns.length > 1) ws.mergeCells(1, 1, 1, columns.length);
  const header = ws.addRow(columns.map((c) => c.label));
  header.font = { bold: true };
  columns.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    const fmt = FORMATS[c.kind];
    col.width = c.kind === 'datetime' ? 17 : c.kind === 'date' ? 12 : Math.min(40, Math.max(8, c.label.length * 2 + 2));
    if (fmt) col.numFmt = fmt;
  });
  for (const row of rows) ws.addRow(columns.map((c) => cellValue(valueAt(row, c.key), c)));
  // numFmt on the column reaches the cells added after it is set; header and title stay text.
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Dictionary codes are written as the hub's own labels. */
function withDictionaries(ctx: CallContext, columns: Column[]): Promise<Column[]> {
  return Promise.all(columns.map(async (c) => (c.dict ? { ...c, map: { ...Object.fromEntries(await dictionaryLabels(ctx.db, c.dict)), ...c.map } } : c)));
}

const fileStem = (title: string, today: string) => `${title}_${today}`.replace(/[\\/:*?"<>|\r\n]+/g, '_').slice(0, 110);

/** The same rows and columns as a printable page (打印): the list's paper copy. */
export async function printTable(ctx: CallContext, input: TableExportInput) {
  const rows = await readAllRows(ctx, input);
  const columns = await withDictionaries(ctx, input.columns);
  const today = todayInChina(ctx.now());
  return { html: listPrintHtml(input.title, `打印于 ${today}，共 ${rows.length} 行`, columns, rows), fileName: `${fileStem(input.title, today)}.pdf`, rows: rows.length };
}

export async function exportTable(ctx: CallContext, input: TableExportInput) {
  const rows = await readAllRows(ctx, input);
  const columns = await withDictionaries(ctx, input.columns);
  const today = todayInChina(ctx.now());
  const buf = await writeTableWorkbook(input.title, columns, rows, `导出于 ${today}，共 ${rows.length} 行`);
  const fileName = `${fileStem(input.title, today)}.xlsx`;
  return { fileName, mimeType: XLSX_MIME, base64: buf.toString('base64'), rows: rows.length };
}
