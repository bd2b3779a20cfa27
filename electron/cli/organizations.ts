import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { CliError, type CliCommand } from './context';

/** 台账 import and export from the command line: the same calls as the screens, audited as the CLI user. */
export const organizationsCommands: Record<string, CliCommand> = {
  'org-import': {
    summary: '导入组织台账(.xlsx 或 CSV);默认全部无误才导入,--valid-only 只导入无误的行,--dry-run 只检查',
    usage: 'org-import <文件> [--sheet 工作表] [--valid-only] [--dry-run]',
    async run(ctx) {
      const path = ctx.positionals[0];
      if (!path) throw new CliError('请指定要导入的文件', 2);
      let bytes: Buffer;
      try {
        bytes = readFileSync(path);
      } catch {
        throw new CliError(`无法读取文件:${path}`, 2);
      }
      const file = { name: basename(path), base64: bytes.toString('base64') };
      const sheetName = ctx.option('--sheet');
      const core = await ctx.openCore();
      try {
        const dry = ctx.flag('--dry-run');
        const r = dry
          ? await ctx.call(core, 'organizations.import.preview', { file, sheetName })
          : await ctx.call(core, 'organizations.import.commit', { file, sheetName, mode: ctx.flag('--valid-only') ? 'validOnly' : 'all' });
        if (r.mappingIssues.length) throw new CliError(`列对应关系有误:${r.mappingIssues.join(';')}`, 2);
        ctx.out(`表头在第 ${r.headerRowNumber} 行${r.sheetName ? `(工作表「${r.sheetName}」)` : ''}${r.encoding ? `,编码 ${r.encoding}` : ''}`);
        for (const row of r.rows.filter((x) => x.action === 'error')) {
          for (const i of row.issues) ctx.out(`  第 ${row.rowNumber} 行「${i.column}」${i.message}`);
        }
        const c = r.counts;
        ctx.out(`${dry ? '检查结果' : '已导入'}:新增 ${c.create},更新 ${c.update},未变 ${c.unchanged},有错误 ${c.error}`);
        if (dry && c.error > 0) return 2;
      } finally {
        await core.close();
      }
    },
  },
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
