import type ExcelJS from 'exceljs';
import { loadExcelJS } from '../lazy';

export interface SheetSpec {
  name: string;
  /** Optional title row above the header (e.g. "2026年培训人次统计"). */
  title?: string;
  columns: { header: string; width?: number }[];
  rows: (string | number | null)[][];
}

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A workbook with one sheet per spec, bold header, frozen header row; returns base64 for zFileDownload. */
export async function workbookBase64(sheets: readonly SheetSpec[]): Promise<string> {
  const wb = new (await loadExcelJS()).Workbook();
  wb.creator = 'Incubase';
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name.slice(0, 31));
    let headerRow = 1;
    if (s.title) {
      ws.addRow([s.title]).font = { bold: true, size: 14 };
      if (s.columns.length > 1) ws.mergeCells(1, 1, 1, s.columns.length);
      headerRow = 2;
    }
    const h = ws.addRow(s.columns.map((c) => c.header));
    h.font = { bold: true };
    h.eachCell((cell) => {
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEFF3F8' } };
    });
    s.columns.forEach((c, i) => (ws.getColumn(i + 1).width = c.width ?? Math.max(10, c.header.length * 2 + 2)));
    for (const r of s.rows) ws.addRow(r);
    ws.views = [{ state: 'frozen', ySplit: headerRow }];
  }
  const buf = await wb.xlsx.writeBuffer();
  return Buffer.from(buf as ArrayBuffer).toString('base64');
}
