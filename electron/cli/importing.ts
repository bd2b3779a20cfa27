import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { ImportLabelChoice, ImportUnknownLabel, ImportVocabulary, TableImportResult } from '@shared/importing/contract';
import { importSummaryLine } from '@shared/importing/contract';
import { normalizeText } from '@shared/text/normalize';
import type { Core } from '../core/core';
import { CliError, type CliCommand, type CliContext } from './context';

export function readUpload(ctx: CliContext): { name: string; base64: string } {
  const path = ctx.positionals[0];
  if (!path) throw new CliError('请指定要导入的文件', 2);
  try {
    return { name: basename(path), base64: readFileSync(path).toString('base64') };
  } catch {
    throw new CliError(`无法读取文件:${path}`, 2);
  }
}

/** The bank account `--account` names: its exact name, its account number (digits only), or a part of its name. */
async function bankAccountNamed(ctx: CliContext, core: Core, wanted: string) {
  const overview = await ctx.call(core, 'custody.overview', {});
  const digits = (s: string) => s.replace(/\D/g, '');
  const account =
    overview.bankAccounts.find((a) => a.name === wanted) ??
    overview.bankAccounts.find((a) => digits(wanted) !== '' && digits(a.accountNo) === digits(wanted)) ??
    overview.bankAccounts.find((a) => a.name.includes(wanted));
  if (!account) throw new CliError(`没有名为"${wanted}"的银行账户(现有:${overview.bankAccounts.map((a) => a.name).join('、') || '无'})`, 2);
  return account;
}

/** What the CLI prints of any importer's result (the engine's, or the organization ledger's with its own row shape). */
export type PrintableImport = Pick<TableImportResult, 'mappingIssues' | 'headerRowNumber' | 'sheetName' | 'encoding' | 'labels' | 'vocabularies' | 'counts' | 'committed'> & {
  footerRows?: number[];
  rows: Pick<TableImportResult['rows'][number], 'rowNumber' | 'action' | 'issues'>[];
};

const compact = (s: string) => normalizeText(s).replace(/\s+/g, '');

/** The `--map 文艺=文体娱乐` options (repeatable; several pairs may also be given as one, separated by , or ;). */
export function mapOptions(ctx: CliContext): [string, string][] {
  const values: string[] = [];
  ctx.argv.forEach((a, i) => {
    if (a === '--map' && ctx.argv[i + 1] !== undefined) values.push(ctx.argv[i + 1]);
    else if (a.startsWith('--map=')) values.push(a.slice('--map='.length));
  });
  const pairs: [string, string][] = [];
  for (const v of values) {
    for (const part of v.split(/[,;，；]/).map((s) => s.trim()).filter(Boolean)) {
      const m = /^(.+?)[=＝](.+)$/.exec(part);
      if (!m) throw new CliError(`--map 的写法应为"文件中的选项=系统中的选项",例如 --map 文艺=文体娱乐(现为"${part}")`, 2);
      pairs.push([m[1].trim(), m[2].trim()]);
    }
  }
  return pairs;
}

/**
 * The mapping step from the command line: each `--map 文件选项=系统选项` becomes the choice for that unknown label
 * of the preview (in whichever list it occurs); a target that is not an entry of the list is refused with the
 * entries to choose from. Labels not given keep the hub's remembered mapping.
 */
export function labelChoices(pairs: [string, string][], labels: readonly ImportUnknownLabel[], vocabularies: readonly ImportVocabulary[]): ImportLabelChoice[] {
  const out: ImportLabelChoice[] = [];
  for (const [from, to] of pairs) {
    const hits = labels.filter((l) => compact(l.label) === compact(from));
    if (hits.length === 0) throw new CliError(`--map ${from}=${to}:文件中没有需要对应的选项"${from}"${labels.length ? `(需要对应的:${[...new Set(labels.map((l) => l.label))].join('、')})` : ''}`, 2);
    for (const l of hits) {
      const v = vocabularies.find((x) => x.vocabulary === l.vocabulary);
      const option = v?.options.find((o) => compact(o.label) === compact(to) || o.code === to);
      if (!option) throw new CliError(`--map ${from}=${to}:"${to}"不是${v?.title ?? l.column}中的选项(可选:${(v?.options ?? []).map((o) => o.label).join('、')})`, 2);
      out.push({ vocabulary: l.vocabulary, label: l.label, code: option.code });
    }
  }
  return out;
}

/** Prints a table import's result the way org-import does; exit code 2 for a dry run that found errors. */
export function report(ctx: CliContext, r: PrintableImport): number | void {
  if (r.mappingIssues.length) throw new CliError(`列对应关系有误:${r.mappingIssues.join(';')}`, 2);
  ctx.out(`表头在第 ${r.headerRowNumber} 行${r.sheetName ? `(工作表「${r.sheetName}」)` : ''}${r.encoding ? `,编码 ${r.encoding}` : ''}`);
  if (r.footerRows?.length) ctx.out(`表尾(不是数据):第 ${r.footerRows.join('、')} 行`);
  for (const l of r.labels) {
    const v = r.vocabularies.find((x) => x.vocabulary === l.vocabulary);
    if (l.code !== null) {
      ctx.out(`  「${l.column}」中的"${l.label}"按"${v?.options.find((o) => o.code === l.code)?.label ?? l.code}"导入(${l.source === 'remembered' ? '已记住的对应关系' : '本次指定'},${l.rowCount} 行)`);
    } else {
      ctx.out(`  「${l.column}」中的"${l.label}"不在${v?.title ?? '选项'}中(${l.rowCount} 行):可用 --map ${l.label}=<选项> 指定对应项(可选:${(v?.options ?? []).map((o) => o.label).join('、')})`);
    }
  }
  const errorRows = r.rows.filter((x) => x.action === 'error');
  for (const row of errorRows) for (const i of row.issues) ctx.out(`  第 ${row.rowNumber} 行「${i.column}」${i.message}`);
  if (r.counts.error > errorRows.length) ctx.out(`  (共 ${r.counts.error} 行有错误,以上列出前 ${errorRows.length} 行)`);
  ctx.out(importSummaryLine(r));
  if (!r.committed && r.counts.error > 0) return 2;
}

/** A CLI command for an importer on the import engine: `<file> [--sheet S] [--valid-only] [--dry-run]`. */
function tableImportCommand(
  summary: string,
  usage: string,
  run: (ctx: CliContext, core: Core, input: ImportCliInput, mode: 'dry' | 'all' | 'validOnly') => Promise<PrintableImport>,
): CliCommand {
  return {
    summary,
    usage,
    async run(ctx) {
      const file = readUpload(ctx);
      const pairs = mapOptions(ctx);
      const core = await ctx.openCore();
      try {
        const mode = ctx.flag('--dry-run') ? 'dry' : ctx.flag('--valid-only') ? 'validOnly' : 'all';
        const input: ImportCliInput = { file, sheetName: ctx.option('--sheet') };
        if (pairs.length) {
          // the labels to map are the preview's; the choices then go with the real call
          const preview = await run(ctx, core, input, 'dry');
          input.labelMap = labelChoices(pairs, preview.labels, preview.vocabularies);
          if (mode === 'dry') return report(ctx, await run(ctx, core, input, 'dry'));
        }
        return report(ctx, await run(ctx, core, input, mode));
      } finally {
        await core.close();
      }
    },
  };
}

export interface ImportCliInput {
  file: { name: string; base64: string };
  sheetName?: string;
  labelMap?: ImportLabelChoice[];
}

/** Every table importer's CLI command: the engine's and the organization ledger's alike. */
export { tableImportCommand };

export const importingCommands: Record<string, CliCommand> = {
  'trainee-import': tableImportCommand(
    '导入学员花名册(.xlsx/.xls/CSV…);默认全部无误才导入,--valid-only 只导入无误的行,--dry-run 只检查',
    'trainee-import <文件> [--sheet 工作表] [--map 文件选项=系统选项]... [--valid-only] [--dry-run]',
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
  'voucher-import': {
    summary: '导入代管资金历史(各组织的期初余额和以往收支,成为已记账凭证并结账);须用 --approver 指定审批人,--dry-run 只试导入,--valid-only 只导入无误的行',
    usage: 'voucher-import <文件> --approver 用户名 [--account 代管资金专户] [--sheet 工作表] [--valid-only] [--dry-run]',
    async run(ctx) {
      const file = readUpload(ctx);
      const approverUsername = ctx.option('--approver');
      if (!approverUsername) throw new CliError('请用 --approver 指定审批人(另一位有审批权限的用户的用户名)', 2);
      const wanted = ctx.option('--account');
      const core = await ctx.openCore();
      try {
        let bankAccountId: string | undefined;
        if (wanted) bankAccountId = (await bankAccountNamed(ctx, core, wanted)).id;
        const input = { file, sheetName: ctx.option('--sheet'), approverUsername, bankAccountId };
        if (ctx.flag('--dry-run')) return report(ctx, await ctx.call(core, 'custody.vouchers.import.preview', input));
        return report(ctx, await ctx.call(core, 'custody.vouchers.import.commit', { ...input, mode: ctx.flag('--valid-only') ? 'validOnly' : 'all' }));
      } finally {
        await core.close();
      }
    },
  },
  'statement-import': {
    summary: '导入银行对账单到指定账户(--account 账户名称或账号);--dry-run 只检查,--valid-only 跳过有错误的行',
    usage: 'statement-import <文件> --account 账户 [--format 银行格式] [--valid-only] [--dry-run] [--confirm-account]',
    async run(ctx) {
      const file = readUpload(ctx);
      const wanted = ctx.option('--account');
      if (!wanted) throw new CliError('请用 --account 指定银行账户(名称或账号)', 2);
      const core = await ctx.openCore();
      try {
        const account = await bankAccountNamed(ctx, core, wanted);
        const source = { bankAccountId: account.id, file, formatId: ctx.option('--format'), ...(ctx.flag('--confirm-account') ? { confirmAccount: true } : {}) };
        const preview = await ctx.call(core, 'custody.statements.preview', source);
        ctx.out(`对账单格式:${preview.formatName}${preview.encoding ? `,编码 ${preview.encoding}` : ''},表头在第 ${preview.headerRow} 行`);
        for (const i of preview.issues) ctx.out(`  ${i.row ? `第 ${i.row} 行` : ''}${i.path ? `「${i.path}」` : ''}${i.message}`);
        if (preview.issueCount > preview.issues.length) ctx.out(`  (共 ${preview.issueCount} 处错误,以上列出前 ${preview.issues.length} 处)`);
        for (const b of preview.balanceBreaks) ctx.out(`  第 ${b.row} 行余额不连续:应为 ${(b.expectedFen / 100).toFixed(2)},文件中为 ${(b.actualFen / 100).toFixed(2)}`);
        if (preview.balanceBreakCount > preview.balanceBreaks.length) ctx.out(`  (共 ${preview.balanceBreakCount} 处余额不连续,以上列出前 ${preview.balanceBreaks.length} 处)`);
        const errorRows = new Set(preview.issues.map((i) => i.row ?? -1)).size;
        if (ctx.flag('--dry-run')) {
          ctx.out(`检查结果:新增 ${preview.newCount},更新 0,未变 ${preview.duplicateCount},有错误 ${preview.issues.length ? errorRows : 0}`);
          return preview.issues.length ? 2 : undefined;
        }
        const r = await ctx.call(core, 'custody.statements.import', { ...source, validOnly: ctx.flag('--valid-only'), ...(preview.previewId ? { previewId: preview.previewId } : {}) });
        ctx.out(`已导入:新增 ${r.added},更新 0,未变 ${r.duplicates},有错误 ${r.refused}`);
      } finally {
        await core.close();
      }
    },
  },
};
