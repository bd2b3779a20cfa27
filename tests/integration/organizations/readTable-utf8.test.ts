import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { readTable, utf8Chunks } from '../../../electron/core/importing/readTable';

async function collect(it: AsyncIterable<Buffer>): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const c of it) out.push(c);
  return out;
}

async function* pieces(buf: Buffer, sizes: number[]) {
  let at = 0;
  for (let k = 0; at < buf.length; k++) {
    const n = sizes[k % sizes.length];
    yield buf.subarray(at, at + n);
    at += n;
  }
}

const NAMES = ['邻里守望志愿服务队', '街道(乡镇)备案', '文体娱乐', '儿童', '𠀀𠀁扩展区汉字', '阿拉伯数字123与English'];

describe('xlsx reading keeps characters split between chunks', () => {
  it('utf8Chunks cuts only at character boundaries, whatever the chunk sizes', async () => {
    const text = NAMES.join('|').repeat(20);
    const bytes = Buffer.from(text, 'utf8');
    for (const sizes of [[1], [2], [3], [5, 7], [4096], [1, 2, 3, 4, 5]]) {
      const chunks = await collect(utf8Chunks(pieces(bytes, sizes)));
      // each chunk decodes on its own (what exceljs does) and together they give the text back
      expect(chunks.map((c) => c.toString('utf8')).join('')).toBe(text);
      for (const c of chunks) expect(c.toString('utf8')).not.toContain('\uFFFD');
    }
  });

  it('reads 20,000 rows of Chinese text from a streamed workbook (inline strings) and a shared-strings one without a garbled cell', async () => {
    // BMP characters only: exceljs's own (non-streaming) writer mangles a 4-byte character now and then
    const names = NAMES.filter((n) => !/[\u{10000}-\u{10FFFF}]/u.test(n));
    const rows = Array.from({ length: 20_000 }, (_, i) => [`${names[i % names.length]}${i}`, names[(i * 7) % names.length], i]);
    // 1) written by the streaming writer with inline strings (like our export)
    const out = new PassThrough();
    const parts: Buffer[] = [];
    out.on('data', (c: Buffer) => parts.push(c));
    const ended = new Promise((r) => out.on('end', r));
    const sw = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
    const s1 = sw.addWorksheet('台账');
    s1.addRow(['组织名称', '管理类别', '序号']).commit();
    for (const r of rows) s1.addRow(r).commit();
    s1.commit();
    await sw.commit();
    await ended;
    // 2) written the usual way (shared strings, as Excel and WPS save)
    const wb = new ExcelJS.Workbook();
    const s2 = wb.addWorksheet('台账');
    s2.addRow(['组织名称', '管理类别', '序号']);
    for (const r of rows) s2.addRow(r);
    const shared = Buffer.from(await wb.xlsx.writeBuffer());

    for (const buffer of [Buffer.concat(parts), shared]) {
      const t = await readTable({ buffer, fileName: '台账.xlsx' });
      expect(t.rows).toHaveLength(rows.length);
      const bad = t.rows.filter((r, i) => r.cells[0] !== rows[i][0] || r.cells[1] !== rows[i][1]);
      expect(bad.slice(0, 3)).toEqual([]);
    }
  }, 120_000);
});
