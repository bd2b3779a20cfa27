/**
 * Reading one cell the way every importer on the engine needs it: a business date (2026/3/5, 2026年3月5日,
 * 20260305, Excel serials of either date system), a whole number (人数 written 30、30人 or "30"), 是/否, an
 * amount in fen (￥1,234.50、1234.5元、(120.00)), or a list (、，,;／/ or new lines between the items). Each
 * returns either the value or a Chinese reason the importer puts under the cell's column.
 */
import { parseBusinessDate } from '@shared/dates/parse';
import { parseYuanCell } from '@shared/money';
import { normalizeText, toHalfWidth } from '@shared/text/normalize';
import { cellText, type CellValue } from './readTable';

export type CellResult<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): CellResult<T> => ({ ok: true, value });
const no = <T>(message: string): CellResult<T> => ({ ok: false, message });

export const isEmptyCell = (c: CellValue | undefined): boolean => c == null || cellText(c) === '';

/** A date cell; empty gives null. */
export function dateCell(c: CellValue | undefined, date1904 = false): CellResult<string | null> {
  if (isEmptyCell(c)) return ok(null);
  const r = parseBusinessDate(typeof c === 'string' ? c.trim() : c, { date1904 });
  return r.ok ? ok(r.date) : no(r.reason);
}

/** A whole number ≥ 0 (30、30人、"30"); empty gives null. */
export function countCell(c: CellValue | undefined, max = 1_000_000, unit = '人'): CellResult<number | null> {
  if (isEmptyCell(c)) return ok(null);
  if (typeof c === 'number') {
    if (!Number.isInteger(c) || c < 0) return no(`应为不小于 0 的整数,而不是 ${c}`);
    return c > max ? no(`不能超过 ${max}`) : ok(c);
  }
  const text = toHalfWidth(cellText(c ?? null)).replace(/[,\s]/g, '').replace(new RegExp(`(${unit}|名|个|人次)$`), '');
  if (!/^\d+$/.test(text)) return no(`"${cellText(c ?? null)}"不是整数`);
  const n = Number(text);
  return n > max ? no(`不能超过 ${max}`) : ok(n);
}

const YES = new Set(['是', '有', 'y', 'yes', 'true', '1', '√', '✓', '需要', '可以', '可', '开放']);
const NO = new Set(['否', '无', 'n', 'no', 'false', '0', '×', '✗', '不需要', '不可以', '不可', '不开放', '不']);

/** 是/否 (and its usual spellings); empty gives null. */
export function yesNoCell(c: CellValue | undefined): CellResult<boolean | null> {
  if (isEmptyCell(c)) return ok(null);
  const t = normalizeText(cellText(c ?? null)).toLowerCase();
  if (YES.has(t)) return ok(true);
  if (NO.has(t)) return ok(false);
  return no(`"${cellText(c ?? null)}"应填"是"或"否"`);
}

/** An amount in integer fen; empty gives null. */
export function fenCell(c: CellValue | undefined): CellResult<number | null> {
  if (isEmptyCell(c)) return ok(null);
  const r = parseYuanCell(typeof c === 'string' ? c.trim() : c);
  return r.ok ? ok(r.fen) : no(`"${cellText(c ?? null)}"不是有效的金额:${r.error}`);
}

/** A list of items separated by 、,，;；/ or new lines; empty gives []. */
export function listCell(c: CellValue | undefined): string[] {
  if (isEmptyCell(c)) return [];
  // Split the raw text first: cleaning turns the line breaks between items (Alt+Enter in Excel) into blanks.
  const raw = typeof c === 'string' ? c : cellText(c ?? null);
  return [...new Set(raw.split(/[、,，;；/／\n\r]+/).map((s) => normalizeText(s)).filter(Boolean))];
}

/**
 * Label → code for one dictionary as a file writes it: its labels, its codes, and the label without brackets and
 * blanks (社区基金会 for 社区基金(会)); `known` lists the active labels for the message of an unknown one.
 */
export function dictLookup(entries: readonly { code: string; label: string; active: boolean }[]) {
  const plain = (s: string) => normalizeText(s).replace(/[\s()（）]/g, '');
  const map = new Map<string, string>();
  for (const e of entries) {
    map.set(normalizeText(e.label), e.code);
    map.set(e.code, e.code);
    if (!map.has(plain(e.label))) map.set(plain(e.label), e.code);
  }
  const known = entries.filter((e) => e.active).map((e) => e.label).join('、');
  return { get: (label: string): string | null => map.get(normalizeText(label)) ?? map.get(plain(label)) ?? null, known };
}

/** A dictionary as a list of the engine's mapping step (a label it does not know is offered for mapping). */
export function dictVocabulary(kind: string, title: string, entries: readonly { code: string; label: string; active: boolean }[], multi = false) {
  const known = dictLookup(entries);
  return {
    kind,
    title,
    multi,
    options: entries.filter((e) => e.active).map((e) => ({ code: e.code, label: e.label })),
    knows: (label: string) => known.get(label) !== null,
  };
}
