import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { CliError, type CliCommand } from './context';
import { tableImportCommand } from './importing';

/** 台账 import and export from the command line: the same calls as the screens, audited as the CLI user. */
export const organizationsCommands: Record<string, CliCommand> = {
  'org-import': tableImportCommand(
    '导入组织台账(.xlsx/.xls/CSV…);默认全部无误才导入,--valid-only 只导入无误的行,--dry-run 只检查;--map 文艺=文体娱乐 指定文件中未知选项的对应项(记住供下次使用)',
    'org-import <文件> [--sheet 工作表] [--map 文件选项=系统选项]... [--valid-only] [--dry-run]',
    (ctx, core, input, mode) =>
      mode === 'dry' ? ctx.call(core, 'organizations.import.preview', input) : ctx.call(core, 'organizations.import.commit', { ...input, mode }),
  ),
  'org-export': {
    summary: '导出组织台账为 .xlsx(可用 --search 关键字 只导出匹配的组织)',
    usage: 'org-export --out 文件.xlsx [--search 关键字]',
    async run(ctx) {
      const out = ctx.option('--out');
      if (!out) throw new CliError('请用 --out 指定输出文件', 2);
      const core = await ctx.openCore();
      try {
        const r = await ctx.call(core, 'organizations.export', { search: ctx.option('--search') });
        writeFileSync(out, Buffer.from(r.base64, 'base64'));
        ctx.out(`已导出 ${r.rowCount} 个组织到 ${out}`);
      } finally {
        await core.close();
      }
    },
  },
};
