import type ExcelJS from 'exceljs';
import { loadExcelJS } from '../../lazy';
import { formatFenPlain } from '@shared/money';
import type { StandardTable } from '@shared/submission/standardTables';
import { LEVEL_LABELS, type Level } from '@shared/submission/region';
import { periodLabel } from '@shared/submission/period';

/**
 * Writes the standard tables into one workbook (`tables.xlsx`): a cover sheet naming the hub, period and
 * time, then one sheet per table with Chinese headers and a 合计 row. Money is written as yuan text
 * (`1,234.50`) from integer fen — never a float in a file; its column says 元.
 */

export interface WorkbookHeader {
  hubName: string;
  regionCode: string;
  level: Level;
  period: string;
  createdAt: string;
  kind: 'hub' | 'consolidated';
  /** Names of the member hubs whose data is included (consolidated workbooks). */
  members?: string[];
}

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
const THIN: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};

function sheetName(title: string, used: Set<string>): string {
  // Excel sheet names: at most 31 characters, none of : \ / ? * [ ]
  const base = title.replace(/[:\\/?*[\]]/g, '_').slice(0, 31);
  let name = base;
  for (let i = 2; used.has(name); i++) name = `${base.slice(0, 28)}(${i})`;
  used.add(name);
  return name;
}

export async function writeStandardWorkbook(header: WorkbookHeader, tables: readonly StandardTable[]): Promise<Buffer> {
  const wb = new (await loadExcelJS()).Workbook();
  wb.creator = 'Incubase';
  wb.created = new Date(header.createdAt);
  const used = new Set<string>();
  const cover = wb.addWorksheet(sheetName('说明', used));
  cover.columns = [{ width: 16 }, { width: 60 }];
  const title = header.kind === 'consolidated' ? '社区社会组织工作汇总上报表' : '社区社会组织工作上报表';
  cover.addRow([title]).font = { bold: true, size: 14 };
  cover.addRow([]);
  cover.addRow(['填报单位', header.hubName]);
  cover.addRow(['单位层级', `${LEVEL_LABELS[header.level]}级`]);
  cover.addRow(['区划代码', header.regionCode]);
  cover.addRow(['报送期', periodLabel(header.period)]);
  cover.addRow(['生成时间', header.createdAt]);
  cover.addRow(['数据范围', header.kind === 'consolidated' ? '本级及下级单位汇总' : '本单位']);
  if (header.members && header.members.length > 0) cover.addRow(['汇总单位', header.members.join('、')]);
  cover.addRow(['金额单位', '元(由以分为单位的整数换算，保留两位小数)']);

  for (const t of tables) {
    const ws = wb.addWorksheet(sheetName(t.title, used));
    const headers = t.columns.map((c) => (c.kind === 'fen' ? `${c.header}(元)` : c.header));
    const titleRow = ws.addRow([`${t.title}(${periodLabel(header.period)})`]);
    titleRow.font = { bold: true, size: 12 };
    ws.mergeCells(1, 1, 1, Math.max(1, t.columns.length));
    const hr = ws.addRow(headers);
    hr.eachCell((cell) => {
      cell.font = { bold: true };
      cell.fill = HEADER_FILL;
      cell.border = THIN;
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    });
    const cellValue = (kind: string, v: string | number | undefined) => {
      if (v === undefined) return '';
      if (kind === 'fen') return formatFenPlain(Number(v));
      return v;
    };
    const addDataRow = (row: Record<string, string | number>, bold = false) => {
      const r = ws.addRow(t.columns.map((c) => cellValue(c.kind, row[c.key])));
      r.eachCell({ includeEmpty: true }, (cell, col) => {
        cell.border = THIN;
        if (t.columns[col - 1]?.kind !== 'text') cell.alignment = { horizontal: 'right' };
        if (bold) cell.font = { bold: true };
      });
    };
    for (const row of t.rows) addDataRow(row);
    if (t.rows.length === 0) ws.addRow(['(本期无数据)']);
    if (t.total) addDataRow(t.total, true);
    ws.columns.forEach((col, i) => {
      const c = t.columns[i];
      col.width = c ? Math.min(40, Math.max(10, c.header.length * 2 + 4)) : 12;
    });
    ws.views = [{ state: 'frozen', ySplit: 2 }];
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Reads back the data rows of one sheet (tests and the round-trip check use it). */
export async function readWorkbookSheet(bytes: Buffer, title: string): Promise<string[][]> {
  const wb = new (await loadExcelJS()).Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const ws = wb.worksheets.find((w) => w.name === title.slice(0, 31));
  if (!ws) throw new Error(`工作簿中没有工作表“${title}”`);
  const out: string[][] = [];
  ws.eachRow((row) => {
    const values = (row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)));
    out.push(values);
  });
  return out;
}
