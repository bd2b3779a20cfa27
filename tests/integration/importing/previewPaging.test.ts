import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as XLSX from '@e965/xlsx';
import { caller, refusal } from '../../helpers/core';
import { custodyFixture, gbkCsv, type Fixture } from '../custody/helpers';
import { keptPreviews, PREVIEW_FIRST_ROWS } from '../../../electron/core/importing/previewStore';

/**
 * One mechanism for every import preview: a preview answers with its counts, its errors and the first page of rows;
 * the other rows stay in the core under its preview id and the dialog pages through them — for the user who made
 * it only — until the import (or the next preview) lets them go. A 100,000-line statement no longer crosses the
 * contract's output check and the transport whole (it did: every parsed line came back from the preview).
 */
let f: Fixture;
beforeAll(async () => {
  f = await custodyFixture();
});
afterAll(async () => {
  await f?.cleanup();
});

const LINES = 450;

/** A 工商银行 statement of LINES lines (unique serials, a running balance) with line 300 given a bad date. */
function statement(badRow?: number): { name: string; base64: string } {
  const rows: string[][] = [['中国工商银行 账户历史明细'], ['凭证号', '交易时间', '借方发生额', '贷方发生额', '对方单位名称', '摘要', '余额']];
  let balance = 0;
  for (let i = 0; i < LINES; i++) {
    const fen = 100 + i;
    balance += fen;
    const day = String(1 + (i % 28)).padStart(2, '0');
    rows.push([`P${String(i).padStart(5, '0')}`, i === badRow ? '2026-13-45' : `2026-04-${day} 10:00:00`, '', (fen / 100).toFixed(2), `对方${i % 7}`, '拨款', (balance / 100).toFixed(2)]);
  }
  return { name: '工行明细.csv', base64: gbkCsv(rows) };
}

describe('statement preview pages its lines', () => {
  it('answers with counts and the first page; the rest are paged by preview id, for its user only, until the import lets them go', async () => {
    const file = statement();
    const preview = await f.as.maker('custody.statements.preview', { bankAccountId: f.bankId, file });
    expect(preview.newCount).toBe(LINES);
    expect(preview.lineCount).toBe(LINES);
    expect(preview.lines).toHaveLength(PREVIEW_FIRST_ROWS);
    expect(preview.previewId).toBeTruthy();
    expect(preview.issueCount).toBe(0);

    const page = await f.as.maker('custody.statements.previewLines', { previewId: preview.previewId!, offset: PREVIEW_FIRST_ROWS, limit: 500 });
    expect(page.total).toBe(LINES);
    expect(page.lines).toHaveLength(LINES - PREVIEW_FIRST_ROWS);
    expect([...preview.lines, ...page.lines].map((l) => l.row)).toEqual(Array.from({ length: LINES }, (_, i) => i + 3));
    expect(page.lines[0]).toMatchObject({ serial: `P${String(PREVIEW_FIRST_ROWS).padStart(5, '0')}`, amountFen: 100 + PREVIEW_FIRST_ROWS, duplicate: false });

    // another user (even one allowed to preview) does not see this user's preview
    const other = await refusal(f.core, 'custody.statements.previewLines', { previewId: preview.previewId!, offset: 0, limit: 10 }, f.tokens.cashier);
    expect(other.code).toBe('NOT_FOUND');
    expect(other.message).toContain('预览已过期');

    const kept = keptPreviews(f.core);
    const done = await f.as.maker('custody.statements.import', { bankAccountId: f.bankId, file, previewId: preview.previewId! });
    expect(done.added).toBe(LINES);
    expect(keptPreviews(f.core)).toBe(kept - 1);
    expect((await refusal(f.core, 'custody.statements.previewLines', { previewId: preview.previewId!, offset: 0, limit: 10 }, f.tokens.maker)).code).toBe('NOT_FOUND');

    // imported again: every line is a duplicate, and the filter pages the new ones (none) or the old ones
    const again = await f.as.maker('custody.statements.preview', { bankAccountId: f.bankId, file });
    expect(again.duplicateCount).toBe(LINES);
    expect((await f.as.maker('custody.statements.previewLines', { previewId: again.previewId!, offset: 0, limit: 10, filter: 'new' })).total).toBe(0);
    expect((await f.as.maker('custody.statements.previewLines', { previewId: again.previewId!, offset: 440, limit: 100, filter: 'duplicate' })).lines).toHaveLength(10);
    // a new preview of the same dialog lets the previous one go
    const third = await f.as.maker('custody.statements.preview', { bankAccountId: f.bankId, file, replacesPreviewId: again.previewId! });
    expect((await refusal(f.core, 'custody.statements.previewLines', { previewId: again.previewId!, offset: 0, limit: 1 }, f.tokens.maker)).code).toBe('NOT_FOUND');
    expect(third.previewId).not.toBe(again.previewId);
  });

  it('a small statement comes whole, without a preview id', async () => {
    const rows = [['凭证号', '交易时间', '借方发生额', '贷方发生额', '对方单位名称', '摘要', '余额'], ['Q1', '2026-05-02 10:00:00', '', '1.00', '某某', '拨款', '1.00']];
    const preview = await f.as.maker('custody.statements.preview', { bankAccountId: f.bankId, file: { name: 's.csv', base64: gbkCsv(rows) } });
    expect(preview.lines).toHaveLength(1);
    expect(preview.previewId).toBeNull();
  });

  it('errors are all listed (their count too) even when the lines are paged', async () => {
    const preview = await f.as.maker('custody.statements.preview', { bankAccountId: f.bankId, file: statement(300) });
    expect(preview.issueCount).toBe(1);
    expect(preview.issues[0]).toMatchObject({ row: 303 });
    expect(preview.lines).toHaveLength(PREVIEW_FIRST_ROWS);
  });
});

describe('table import previews page their rows', () => {
  it('the organization ledger: the first page and every error row after it; the rest by importing.previewRows; the import answers without keeping any', async () => {
    const staff = caller(f.core, f.tokens.admin);
    const aoa: unknown[][] = [['组织名称', '管理类别', '街道(乡镇)', '负责人电话']];
    for (let i = 0; i < 320; i++) aoa.push([`翻页测试组织${String(i).padStart(4, '0')}`, '社区(村)指导', '玉林街道', i === 290 ? '12345' : `139${String(10_000_000 + i).slice(-8)}`]);
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(aoa), '台账');
    const file = { name: '台账.xlsx', base64: (XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer).toString('base64') };

    const preview = await staff('organizations.import.preview', { file });
    expect(preview.counts).toEqual({ create: 319, update: 0, unchanged: 0, error: 1 });
    expect(preview.rowCount).toBe(320);
    expect(preview.previewId).toBeTruthy();
    // the first page, then the error row beyond it
    expect(preview.rows).toHaveLength(PREVIEW_FIRST_ROWS + 1);
    expect(preview.rows[PREVIEW_FIRST_ROWS]).toMatchObject({ rowNumber: 292, action: 'error' });

    const rest = await staff('importing.previewRows', { previewId: preview.previewId!, offset: PREVIEW_FIRST_ROWS, limit: 500 });
    expect(rest.total).toBe(320);
    expect(rest.rows.map((r) => r.rowNumber)).toEqual(Array.from({ length: 120 }, (_, i) => PREVIEW_FIRST_ROWS + i + 2));
    expect(rest.rows[0]).toMatchObject({ name: `翻页测试组织${String(PREVIEW_FIRST_ROWS).padStart(4, '0')}`, action: 'create' });
    const errors = await staff('importing.previewRows', { previewId: preview.previewId!, offset: 0, limit: 50, filter: 'error' });
    expect(errors.total).toBe(1);
    expect(errors.rows[0].issues.map((i) => i.column)).toContain('负责人电话');

    const kept = keptPreviews(f.core);
    const done = await staff('organizations.import.commit', { file, mode: 'validOnly', previewId: preview.previewId! });
    expect(done.counts.create).toBe(319);
    expect(done.previewId).toBeNull();
    expect(done.rows.length).toBe(PREVIEW_FIRST_ROWS + 1);
    expect(keptPreviews(f.core)).toBe(kept - 1);
  });
});
