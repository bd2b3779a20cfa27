import type ExcelJSModule from 'exceljs';

type ExcelJS = typeof ExcelJSModule;
let excel: Promise<ExcelJS> | null = null;

/**
 * exceljs (with its zip and XML stacks) is loaded the first time a workbook is written or read, not when the core
 * starts: opening the app and the first screens never pay for it. @e965/xlsx and pdfjs-dist load the same way
 * (electron/core/importing).
 */
export function loadExcelJS(): Promise<ExcelJS> {
  excel ??= import('exceljs').then((m) => ((m as unknown as { default?: ExcelJS }).default ?? (m as unknown as ExcelJS)));
  return excel;
}
