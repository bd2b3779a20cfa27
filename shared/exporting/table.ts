import { z } from 'zod';
import { DICTIONARY_KINDS } from '../admin/dictionaries';

/**
 * One export mechanism for every list a user takes to a meeting (issue 18): the page names the list call it
 * shows, with the same input, and its columns (the grid's own headers) with a cell type each. The core runs
 * that call and writes a workbook whose amounts and counts are number cells and whose dates are date cells.
 *
 * Kinds: `text` (optionally through `map`, code → Chinese label), `number` (counts), `fen` (integer fen →
 * a number cell in yuan, format #,##0.00), `yuan` (already yuan), `date` (YYYY-MM-DD → a date cell),
 * `datetime` (an ISO instant → a date-time cell in China time), `bool` (是/否), `list` (an array joined with 、).
 */
export const EXPORT_KINDS = ['text', 'number', 'fen', 'yuan', 'date', 'datetime', 'bool', 'list'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export const zExportColumn = z.object({
  /** Path in the row: `name`, `organization.name`. */
  key: z.string().min(1).max(100),
  /** The column header as the screen shows it. */
  label: z.string().min(1).max(60),
  kind: z.enum(EXPORT_KINDS).default('text'),
  map: z.record(z.string(), z.string()).optional(),
  /** A dictionary code column: the core writes the hub's label for the code. */
  dict: z.enum(Object.keys(DICTIONARY_KINDS) as [keyof typeof DICTIONARY_KINDS, ...(keyof typeof DICTIONARY_KINDS)[]]).optional(),
});
export type ExportColumn = z.input<typeof zExportColumn>;

/** Reads a dotted path out of a row; `a|b` takes the first of the two that has a value. */
export function valueAt(row: unknown, key: string): unknown {
  if (key.includes('|')) {
    for (const k of key.split('|')) {
      const v = valueAt(row, k);
      if (v !== null && v !== undefined && v !== '') return v;
    }
    return null;
  }
  let v: unknown = row;
  for (const part of key.split('.')) {
    if (v == null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/** The largest list one export writes (a paged list is read in blocks up to this many rows). */
export const EXPORT_MAX_ROWS = 200_000;

function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The text one cell shows on paper: ¥1,234.50, 2026-03-05, 是/否, labels for codes. */
export function printedText(value: unknown, col: { kind?: ExportKind; map?: Record<string, string> }): string {
  if (value === null || value === undefined || value === '') return '';
  const kind = col.kind ?? 'text';
  const yuan = (n: number) => n.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  switch (kind) {
    case 'fen':
      return typeof value === 'number' ? yuan(value / 100) : String(value);
    case 'yuan':
      return typeof value === 'number' ? yuan(value) : String(value);
    case 'number':
      return String(value);
    case 'date':
      return String(value).slice(0, 10);
    case 'datetime': {
      const s = String(value);
      if (!/(Z|[+-]\d{2}:?\d{2})$/.test(s)) return s.replace('T', ' ').slice(0, 16);
      const t = Date.parse(s);
      return Number.isFinite(t) ? new Date(t + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 16) : s;
    }
    case 'bool':
      return value ? '是' : '否';
    case 'list':
      return Array.isArray(value) ? value.map((v) => col.map?.[String(v)] ?? String(v)).join('、') : String(value);
    default:
      return col.map?.[String(value)] ?? String(value);
  }
}

/** A printable A4 page of a list (landscape), self-contained: inline CSS, every value escaped. */
export function listPrintHtml(title: string, subtitle: string, columns: { label: string; key: string; kind?: ExportKind; map?: Record<string, string> }[], rows: unknown[]): string {
  const num = (c: { kind?: ExportKind }) => c.kind === 'fen' || c.kind === 'yuan' || c.kind === 'number';
  const head = columns.map((c) => `<th${num(c) ? ' class="num"' : ''}>${escapeHtml(c.label)}</th>`).join('');
  const body = rows
    .map((r) => `<tr>${columns.map((c) => `<td${num(c) ? ' class="num"' : ''}>${escapeHtml(printedText(valueAt(r, c.key), c))}</td>`).join('')}</tr>`)
    .join('');
  const css = `@page { size: A4 landscape; margin: 12mm 10mm; } body { font-family: "SimSun","Songti SC","Noto Serif CJK SC","Noto Sans CJK SC",serif; font-size: 11px; margin: 0; }
h1 { text-align: center; font-size: 18px; margin: 0 0 4px; } .sub { text-align: center; margin-bottom: 8px; }
table { width: 100%; border-collapse: collapse; } th, td { border: 1px solid #000; padding: 3px 5px; word-break: break-all; }
th { background: #f2f2f2; font-weight: normal; } td.num, th.num { text-align: right; white-space: nowrap; } thead { display: table-header-group; } tr { page-break-inside: avoid; }`;
  return `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${css}</style></head><body><h1>${escapeHtml(title)}</h1><div class="sub">${escapeHtml(subtitle)}</div><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></body></html>`;
}
