/**
 * Tables from the text layer of a PDF (bank statements that several banks' apps and corporate portals give only
 * as PDF), with pdf.js (`pdfjs-dist`, its legacy build for Node). The text items of each page are grouped into
 * lines by their baseline (y), the pieces of a line into chunks by the gaps between them (x), and the chunks into
 * the columns of the header line: each chunk goes to the header column it overlaps most (else the nearest one).
 * A line that continues the cell text of the line above (a 摘要 wrapped inside its cell) is joined to it; the
 * header repeated at the top of each page and the lines between it and the page's first data line are left out.
 * A PDF without a text layer (a scan) is refused with a clear message; size, page count and time have budgets.
 */
import { AppError } from '@shared/errors';
import { normalizeHeader } from '@shared/text/normalize';
import type { CellValue } from './readTable';

export interface PdfBudget {
  /** Refuse more pages than this. */
  maxPages: number;
  /** Called between pages; throws when the time budget is spent. */
  check(): void;
}

export const PDF_MAX_PAGES = 3000;
export const PDF_MAX_BYTES = 50 * 1024 * 1024;

interface Piece {
  text: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

interface Chunk {
  text: string;
  x0: number;
  x1: number;
}

interface Line {
  page: number;
  y: number;
  h: number;
  /** Runs of pieces closer than about a character: the cells of a header or a title line. */
  chunks: Chunk[];
  /** The text pieces of the line, left to right. */
  pieces: Chunk[];
}

const invalid = (message: string) => new AppError('VALIDATION', message);

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<PdfJs> | null = null;
/** pdf.js is loaded on first use (only statement imports of PDFs need it). */
function loadPdfJs(): Promise<PdfJs> {
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjs;
}

/**
 * Text as printed: NFKC turns the CJK radicals some fonts map their glyphs to (⽇ U+2F47 for 日, ⾦ for 金) and
 * compatibility forms into the ordinary characters; the rest of the normalization is the intake layer's.
 */
const printed = (s: string) => (/[\u2e80-\u2fdf]/.test(s) ? [...s].map((c) => RADICAL_AS_SIMPLIFIED[c] ?? c).join('').normalize('NFKC') : s.normalize('NFKC'));

/**
 * Radicals whose NFKC form is the traditional character, and simplified radicals NFKC leaves alone, as the
 * simplified character a Chinese statement means (Chromium writes 户 from Noto Sans CJK SC as ⼾ U+2F3E, 长 as ⻓).
 */
const RADICAL_AS_SIMPLIFIED: Record<string, string> = Object.fromEntries(
  [
    ['\u2f3e', '户'], ['\u2f92', '见'], ['\u2f99', '贝'], ['\u2f9e', '车'], ['\u2fa7', '长'], ['\u2fa8', '门'], ['\u2fad', '青'],
    ['\u2fb1', '韦'], ['\u2fb4', '页'], ['\u2fb5', '风'], ['\u2fb6', '飞'], ['\u2fba', '马'], ['\u2fbe', '斗'], ['\u2fc2', '鱼'],
    ['\u2fc3', '鸟'], ['\u2fc4', '卤'], ['\u2fc6', '麦'], ['\u2fc8', '黄'], ['\u2fcc', '黾'], ['\u2fd1', '齐'], ['\u2fd2', '齿'],
    ['\u2fd3', '龙'], ['\u2fd4', '龟'],
    ['\u2ea0', '民'], ['\u2e9d', '月'], ['\u2ebc', '月'], ['\u2ea9', '王'], ['\u2ebf', '艹'], ['\u2ea6', '丬'], ['\u2eb0', '纟'],
    ['\u2ec5', '见'], ['\u2ec6', '角'], ['\u2ec8', '讠'], ['\u2ec9', '贝'], ['\u2ecb', '车'], ['\u2ecc', '辶'], ['\u2ed0', '钅'],
    ['\u2ed3', '长'], ['\u2ed4', '门'], ['\u2ed9', '韦'], ['\u2eda', '页'], ['\u2edb', '风'], ['\u2edc', '飞'], ['\u2ee0', '饣'],
    ['\u2ee2', '马'], ['\u2ee5', '鱼'], ['\u2ee6', '鸟'], ['\u2ee7', '卤'], ['\u2ee8', '麦'], ['\u2ee9', '黄'], ['\u2eea', '黾'],
    ['\u2eec', '齐'], ['\u2eee', '齿'], ['\u2ef0', '龙'], ['\u2ef3', '龟'],
  ],
);

async function pageLines(page: { getTextContent(): Promise<{ items: unknown[] }> }, pageNo: number): Promise<Line[]> {
  const content = await page.getTextContent();
  const pieces: Piece[] = [];
  for (const raw of content.items) {
    const it = raw as { str?: string; transform?: number[]; width?: number; height?: number };
    if (typeof it.str !== 'string' || !it.transform || it.str.trim() === '') continue;
    const h = Math.abs(it.height || it.transform[3] || it.transform[0] || 10);
    pieces.push({ text: printed(it.str), x: it.transform[4], y: it.transform[5], w: it.width ?? 0, h });
  }
  // lines: pieces whose baselines are within a third of the font height, top of the page first
  pieces.sort((a, b) => b.y - a.y || a.x - b.x);
  const lines: { y: number; h: number; pieces: Piece[] }[] = [];
  for (const p of pieces) {
    const line = lines.find((l) => Math.abs(l.y - p.y) <= Math.max(1, Math.min(l.h, p.h) / 3));
    if (line) {
      line.pieces.push(p);
      line.h = Math.max(line.h, p.h);
    } else lines.push({ y: p.y, h: p.h, pieces: [p] });
  }
  lines.sort((a, b) => b.y - a.y);
  return lines.map((l) => {
    l.pieces.sort((a, b) => a.x - b.x);
    const chunks: Chunk[] = [];
    for (const p of l.pieces) {
      const last = chunks[chunks.length - 1];
      const gap = last ? p.x - last.x1 : Infinity;
      // pieces closer than about one character belong to one cell; a small gap is a space inside it
      if (last && gap < l.h * 0.9) {
        last.text += gap > l.h * 0.3 && !/[\u4e00-\u9fff]$/.test(last.text) ? ` ${p.text}` : p.text;
        last.x1 = Math.max(last.x1, p.x + p.w);
      } else chunks.push({ text: p.text, x0: p.x, x1: p.x + p.w });
    }
    return {
      page: pageNo,
      y: l.y,
      h: l.h,
      chunks: chunks.map((c) => ({ ...c, text: c.text.trim() })),
      pieces: l.pieces.map((p) => ({ text: p.text, x0: p.x, x1: p.x + p.w })),
    };
  });
}

const lineKey = (l: Line) => l.chunks.map((c) => normalizeHeader(c.text)).join('|');

/** The header line: among the first lines, the one naming a date column with the most chunks (at least 3). */
function headerIndex(lines: readonly Line[]): number {
  let best = -1;
  for (let i = 0; i < Math.min(lines.length, 80); i++) {
    const l = lines[i];
    if (l.chunks.length < 3) continue;
    const namesDate = l.chunks.some((c) => /日期|时间|date/i.test(c.text) && c.text.length <= 12);
    if (!namesDate) continue;
    if (best < 0 || l.chunks.length > lines[best].chunks.length) best = i;
  }
  if (best >= 0) return best;
  for (let i = 0; i < Math.min(lines.length, 80); i++) if (best < 0 || lines[i].chunks.length > lines[best].chunks.length) best = i;
  return best;
}

const charWidth = (ch: string) => (/[\u2e80-\u9fff\uff00-\uffef]/.test(ch) ? 1 : /[.,:;'|!il1 ]/.test(ch) ? 0.3 : 0.55);

/**
 * The words of a chunk (split at its blanks), each with its extent estimated from the characters (CJK full
 * width, digits and letters about half): pdf.js joins the runs of neighbouring cells on one baseline into one
 * item with a blank between them (a right-aligned amount and the left-aligned name in the next cell).
 */
function words(c: Chunk): Chunk[] {
  if (!/\s/.test(c.text)) return [c];
  const total = [...c.text].reduce((n, ch) => n + charWidth(ch), 0) || 1;
  const scale = (c.x1 - c.x0) / total;
  const out: Chunk[] = [];
  let pos = 0;
  for (const part of c.text.split(/(\s+)/)) {
    const w = [...part].reduce((n, ch) => n + charWidth(ch), 0);
    if (part.trim() !== '') out.push({ text: part, x0: c.x0 + pos * scale, x1: c.x0 + (pos + w) * scale });
    pos += w;
  }
  return out;
}

/**
 * Where each column ends: between two header titles, the x that the fewest words of the data lines run across
 * (the middle of the widest such stretch), so a wide 摘要 column whose title is centred keeps its own words.
 */
function separators(header: readonly Chunk[], body: readonly Chunk[][]): number[] {
  const seps: number[] = [];
  for (let i = 0; i + 1 < header.length; i++) {
    const lo = Math.floor(header[i].x1);
    const hi = Math.ceil(header[i + 1].x0);
    if (hi - lo < 2) {
      seps.push((header[i].x1 + header[i + 1].x0) / 2);
      continue;
    }
    const cross = new Int32Array(hi - lo + 2);
    for (const line of body) {
      for (const w of line) {
        if (w.x1 <= lo || w.x0 >= hi) continue;
        const a = Math.max(lo, Math.ceil(w.x0 + 0.5));
        const b = Math.min(hi, Math.floor(w.x1 - 0.5));
        if (b < a) continue;
        cross[a - lo]++;
        cross[b - lo + 1]--;
      }
    }
    const counts: number[] = [];
    let run = 0;
    for (let x = lo; x <= hi; x++) counts.push((run += cross[x - lo]));
    const min = Math.min(...counts);
    let best = { from: lo, to: lo };
    for (let k = 0; k < counts.length; k++) {
      if (counts[k] !== min) continue;
      let e = k;
      while (e + 1 < counts.length && counts[e + 1] === min) e++;
      if (e - k > best.to - best.from || counts[best.from - lo] !== min) best = { from: lo + k, to: lo + e };
      k = e;
    }
    seps.push((best.from + best.to) / 2);
  }
  return seps;
}

const columnAt = (w: Chunk, seps: readonly number[]) => {
  const mid = (w.x0 + w.x1) / 2;
  const i = seps.findIndex((s) => mid < s);
  return i < 0 ? seps.length : i;
};

/**
 * Reads the rows of the table in a PDF's text layer: the lines above the header as they are (one cell per
 * chunk, for the preamble: 账号、户名…), then the header and one row per data line, aligned to the header.
 */
export async function readPdfRows(bytes: Uint8Array, budget: PdfBudget): Promise<{ rowNumber: number; cells: CellValue[] }[]> {
  const { getDocument } = await loadPdfJs();
  let doc;
  try {
    doc = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, useSystemFonts: false, disableFontFace: true, stopAtErrors: false, verbosity: 0 }).promise;
  } catch (e) {
    const name = (e as { name?: string }).name;
    if (name === 'PasswordException') throw invalid('该 PDF 设有打开密码,无法读取;请在网银中导出不加密的对账单,或导出 Excel/CSV 格式');
    throw invalid('PDF 文件已损坏或不是有效的 PDF,无法读取;请重新下载对账单');
  }
  try {
    if (doc.numPages > budget.maxPages) throw invalid(`PDF 有 ${doc.numPages} 页,超过 ${budget.maxPages} 页的上限,请按月份分批导出后再导入`);
    const lines: Line[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      budget.check();
      const page = await doc.getPage(n);
      lines.push(...(await pageLines(page, n)));
      page.cleanup();
    }
    if (lines.length === 0) {
      throw invalid('该 PDF 没有文字层(可能是扫描件或图片),无法读取其中的内容;请在网银或手机银行中导出 Excel/CSV 格式的对账单,或向银行索取电子对账单');
    }
    const hi = headerIndex(lines);
    const header = lines[hi].chunks;
    const key = lineKey(lines[hi]);
    const rows: { rowNumber: number; cells: string[] }[] = [];
    let rowNumber = 0;
    for (let i = 0; i < hi; i++) rows.push({ rowNumber: ++rowNumber, cells: lines[i].chunks.map((c) => c.text) });
    rows.push({ rowNumber: ++rowNumber, cells: header.map((c) => c.text) });
    // Data lines: an anchor line has text in the first column (the date) or fills most columns; a fragment (the
    // wrapped part of a cell, above or below its row's middle when cells are centred vertically) joins the
    // nearest anchor of its page within about two line heights, its text placed in reading order.
    const join = (a: string, b: string) => (a === '' ? b : b === '' ? a : /[\u4e00-\u9fff]$/.test(a) || /^[\u4e00-\u9fff]/.test(b) ? a + b : `${a} ${b}`);
    const body = lines.slice(hi + 1).filter((l) => lineKey(l) !== key);
    const bodyWords = body.map((l) => l.chunks.flatMap(words));
    const seps = separators(header, bodyWords);
    const placed = body.map((l, li) => {
      const cells: string[] = header.map(() => '');
      for (const w of bodyWords[li]) {
        const col = columnAt(w, seps);
        cells[col] = join(cells[col], w.text);
      }
      const anchor = cells[0] !== '' || l.chunks.length * 2 > header.length;
      return { line: l, cells, anchor, parts: [] as { y: number; cells: string[] }[] };
    });
    const anchorsOf = new Map<number, typeof placed>();
    for (const p of placed) {
      if (!p.anchor) continue;
      p.parts.push({ y: p.line.y, cells: p.cells });
      if (!anchorsOf.has(p.line.page)) anchorsOf.set(p.line.page, []);
      anchorsOf.get(p.line.page)!.push(p);
    }
    for (const f of placed) {
      if (f.anchor) continue;
      let best: (typeof placed)[number] | null = null;
      for (const a of anchorsOf.get(f.line.page) ?? []) {
        const d = Math.abs(a.line.y - f.line.y);
        if (d < Math.max(a.line.h, f.line.h) * 2.2 && (!best || d < Math.abs(best.line.y - f.line.y))) best = a;
      }
      if (best) best.parts.push({ y: f.line.y, cells: f.cells });
      else f.anchor = true; // a line on its own (a page footer, a note): kept as a row of its own
      if (f.anchor) f.parts.push({ y: f.line.y, cells: f.cells });
    }
    for (const p of placed) {
      if (!p.anchor) continue;
      p.parts.sort((a, b) => b.y - a.y);
      const cells = header.map((_, k) => p.parts.reduce((acc, part) => join(acc, part.cells[k]), ''));
      rows.push({ rowNumber: ++rowNumber, cells });
    }
    return rows.map((r) => ({ rowNumber: r.rowNumber, cells: r.cells.map((c): CellValue => (c === '' ? null : c)) }));
  } finally {
    await doc.destroy();
  }
}
