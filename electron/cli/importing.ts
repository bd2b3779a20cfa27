import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { TableImportResult } from '@shared/importing/contract';
import { importSummaryLine } from '@shared/importing/contract';
import type { Core } from '../core/core';
import { CliError, type CliCommand, type CliContext } from './context';

function readUpload(ctx: CliContext): { name: string; base64: string } {
  const path = ctx.positionals[0];
  if (!path) throw new CliError('请指定要导入的文件', 2);
  try {
    return { name: basename(path), base64: readFileSync(path).toString('base64') };
  } catch {
    throw new CliError(`无法读取文件:${path}`, 2);
  }
}

/** Prints a table import's result the way org-import does; exit code 2 for a dry run that found errors. */
function report(ctx: CliContext, r: TableImportResult): number | void {
  if (r.mappingIssues.length) throw new CliError(`列对应关系有误:${r.mappingIssues.join(';')}`, 2);
  ctx.out(`表头在第 ${r.headerRowNumber} 行${r.sheetName ? `(工作表「${r.sheetName}」)` : ''}${r.encoding ? `,编码 ${r.encoding}` : ''}`);
  if (r.footerRows.length) ctx.out(`表尾(不是数据):第 ${r.footerRows.join('、')} 行`);
  for (const row of r.rows.filter((x) => x.action === 'error')) for (const i of row.issues) ctx.out(`  第 ${row.rowNumber} 行「${i.column}」${i.message}`);
  ctx.out(importSummaryLine(r));
  if (!r.committed && r.counts.error > 0) return 2;
}

/** A CLI command for an importer on the import engine: `<file> [--sheet S] [--valid-only] [--dry-run]`. */
function tableImportCommand(
  summary: string,
  usage: string,
  run: (ctx: CliContext, core: Core, input: { file: { name: string; base64: string }; sheetName?: string }, mode: 'dry' | 'all' | 'validOnly') => Promise<TableImportResult>,
): CliCommand {
  return {
    summary,
    usage,
    async run(ctx) {
      const file = readUpload(ctx);
      const core = await ctx.openCore();
      try {
        const mode = ctx.flag('--dry-run') ? 'dry' : ctx.flag('--valid-only') ? 'validOnly' : 'all';
        return report(ctx, await run(ctx, core, { file, sheetName: ctx.option('--sheet') }, mode));
      } finally {
        await core.close();
      }
    },
  };
}

export const importingCommands: Record<string, CliCommand> = {
  'trainee-import': tableImportCommand(
    '导入学员花名册(.xlsx/.xls/CSV…);默认全部无误才导入,--valid-only 只导入无误的行,--dry-run 只检查',
    'trainee-import <文件> [--sheet 工作表] [--valid-only] [--dry-run]',
    (ctx, core, input, mode) =>
      mode === 'dry' ? ctx.call(core, 'training.trainees.import.preview', input) : ctx.call(core, 'training.trainees.import.commit', { ...input, mode }),
  ),
  'activity-import': tableImportCommand(
    '导入活动记录(.xlsx/.xls/CSV…);默认全部无误才导入,--valid-only 只导入无误的行,--dry-run 只检查',
    'activity-import <文件> [--sheet 工作表] [--valid-only] [--dry-run]',
    (ctx, core, input, mode) =>
      mode === 'dry' ? ctx.call(core, 'organizations.activities.import.preview', input) : ctx.call(core, 'organizations.activities.import.commit', { ...input, mode }),
  ),
  'venue-import': tableImportCommand(
    '导入场地(.xlsx/.xls/CSV…);默认全部无误才导入,--valid-only 只导入无误的行,--dry-run 只检查',
    'venue-import <文件> [--sheet 工作表] [--valid-only] [--dry-run]',
    (ctx, core, input, mode) => (mode === 'dry' ? ctx.call(core, 'venues.import.preview', input) : ctx.call(core, 'venues.import.commit', { ...input, mode })),
  ),
  'statement-import': {
    summary: '导入银行对账单到指定账户(--account 账户名称或账号);--dry-run 只检查,--valid-only 跳过有错误的行',
    usage: 'statement-import <文件> --account 账户 [--format 银行格式] [--valid-only] [--dry-run] [--confirm-account]',
    async run(ctx) {
      const file = readUpload(ctx);
      const wanted = ctx.option('--account');
      if (!wanted) throw new CliError('请用 --account 指定银行账户(名称或账号)', 2);
      const core = await ctx.openCore();
      try {
        const overview = await ctx.call(core, 'custody.overview', {});
        const digits = (s: string) => s.replace(/\D/g, '');
        const account =
          overview.bankAccounts.find((a) => a.name === wanted) ??
          overview.bankAccounts.find((a) => digits(wanted) !== '' && digits(a.accountNo) === digits(wanted)) ??
          overview.bankAccounts.find((a) => a.name.includes(wanted));
        if (!account) throw new CliError(`没有名为"${wanted}"的银行账户(现有:${overview.bankAccounts.map((a) => a.name).join('、') || '无'})`, 2);
        const source = { bankAccountId: account.id, file, formatId: ctx.option('--format'), ...(ctx.flag('--confirm-account') ? { confirmAccount: true } : {}) };
        const preview = await ctx.call(core, 'custody.statements.preview', source);
        ctx.out(`对账单格式:${preview.formatName}${preview.encoding ? `,编码 ${preview.encoding}` : ''},表头在第 ${preview.headerRow} 行`);
        for (const i of preview.issues) ctx.out(`  ${i.row ? `第 ${i.row} 行` : ''}${i.path ? `「${i.path}」` : ''}${i.message}`);
        for (const b of preview.balanceBreaks) ctx.out(`  第 ${b.row} 行余额不连续:应为 ${(b.expectedFen / 100).toFixed(2)},文件中为 ${(b.actualFen / 100).toFixed(2)}`);
        const errorRows = new Set(preview.issues.map((i) => i.row ?? -1)).size;
        if (ctx.flag('--dry-run')) {
          ctx.out(`检查结果:新增 ${preview.newCount},更新 0,未变 ${preview.duplicateCount},有错误 ${preview.issues.length ? errorRows : 0}`);
          return preview.issues.length ? 2 : undefined;
        }
        const r = await ctx.call(core, 'custody.statements.import', { ...source, validOnly: ctx.flag('--valid-only') });
        ctx.out(`已导入:新增 ${r.added},更新 0,未变 ${r.duplicates},有错误 ${r.refused}`);
      } finally {
        await core.close();
      }
    },
  },
};
