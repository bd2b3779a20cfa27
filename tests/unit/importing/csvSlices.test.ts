/**
 * parseCsv reads a field as one slice of the text (it built fields a character at a time, a new string per
 * character: hundreds of MB of garbage for a 100,000-line statement). Property: on any text made of the characters
 * that matter to CSV (quotes, delimiters, line breaks, =, Chinese), it gives exactly what the character-at-a-time
 * parser gave — the same records, or the same refusal for a quote left open.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseCsv } from '../../../electron/core/importing/readTable';

/** The parser as it was (character at a time), kept as the reference. */
function referenceCsv(text: string, delimiter: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let inQuotes = false;
  let quotedOpenedAtRecord = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') {
      inQuotes = true;
      quotedOpenedAtRecord = records.length + 1;
      i++;
    } else if (ch === '"' && field === '=' && text[i - 1] === '=') {
      // ="0123": Excel's way of keeping leading zeros in a CSV; the field is the quoted text
      inQuotes = true;
      quotedOpenedAtRecord = records.length + 1;
      field = '';
      i++;
    } else if (ch === delimiter) {
      record.push(field);
      field = '';
      i++;
    } else if (ch === '\r' || ch === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      // a quote in the middle of an unquoted field is kept literally (Excel does the same)
      field += ch;
      i++;
    }
  }
  if (inQuotes) throw new Error(`CSV 文件第 ${quotedOpenedAtRecord} 行的引号没有闭合,文件可能不完整`);
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

const outcome = (f: () => string[][]) => {
  try {
    return { records: f() };
  } catch (e) {
    return { error: (e as Error).message };
  }
};

describe('parseCsv by slices', () => {
  it('reads every text as the character-at-a-time parser did', () => {
    const piece = fc.constantFrom('"', '""', ',', '\t', '\r', '\n', '\r\n', '=', '="', 'a', '12', '张丽', ' ', '0123', 'x"y');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.constantFrom(',', '\t', ';'), (parts, d) => {
        const text = parts.join('');
        const got = outcome(() => parseCsv(text, d));
        const want = outcome(() => referenceCsv(text, d));
        if ('error' in want) expect(got.error).toBe(want.error);
        else expect(got).toEqual(want);
      }),
      { numRuns: 3000, seed: 1313 },
    );
  });

  it('keeps the cases people meet: quoted commas and line breaks, doubled quotes, ="…" wrappers, CRLF, a last line without a break', () => {
    expect(parseCsv('名称,备注\r\n"甲,乙","说""好""\n的"\r\n="0123",x\r\n末行,', ',')).toEqual([
      ['名称', '备注'],
      ['甲,乙', '说"好"\n的'],
      ['0123', 'x'],
      ['末行', ''],
    ]);
    expect(() => parseCsv('a,b\n"open', ',')).toThrow('第 2 行的引号没有闭合');
  });
});
