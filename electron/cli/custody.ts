import { statSync } from 'node:fs';
import { KINGDEE_SHEET_LINES, writeVoucherExport } from '../core/custody/voucherExport';
import { snapshotSourceOf } from '../core/custody/engineSql';
import { CliError, type CliCommand } from './context';

const FORMATS = ['yonyou', 'kingdee', 'xlsx'] as const;
type Format = (typeof FORMATS)[number];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const custodyCommands: Record<string, CliCommand> = {
  'voucher-export': {
    summary: '导出已记账凭证给总账软件(用友凭证引入 txt / 金蝶凭证引入 xls / 普通 xlsx)',
    usage: 'voucher-export --format yonyou|kingdee|xlsx --from YYYY-MM-DD --to YYYY-MM-DD --out 文件',
    async run(ctx) {
      const format = ctx.option('--format') ?? 'xlsx';
      if (!(FORMATS as readonly string[]).includes(format)) throw new CliError(`--format 应为 ${FORMATS.join(' / ')}，而不是「${format}」`, 2);
      const from = ctx.option('--from');
      const to = ctx.option('--to');
      const out = ctx.option('--out');
      if (!from || !DATE.test(from)) throw new CliError('请用 --from YYYY-MM-DD 指定开始日期', 2);
      if (!to || !DATE.test(to)) throw new CliError('请用 --to YYYY-MM-DD 指定结束日期', 2);
      if (!out) throw new CliError('请用 --out 指定输出文件', 2);
      const core = await ctx.openCore();
      try {
        // Written to the file as it is produced (a year of a large hub is hundreds of megabytes; no base64 copy).
        const r = await writeVoucherExport(snapshotSourceOf(core), format as Format, from, to, out);
        const split = r.sheets > 1 ? `；金蝶 xls 每张表最多 ${KINGDEE_SHEET_LINES} 行，已分为 ${r.sheets} 张表（凭证1…凭证${r.sheets}），同一张凭证不拆开，请在金蝶 KIS 中逐张表引入` : '';
        ctx.out(`已导出 ${from} 至 ${to} 的凭证（${format}，${r.lines} 行分录，${statSync(out).size} 字节${split}）：${out}`);
      } finally {
        await core.close();
      }
    },
  },
};
