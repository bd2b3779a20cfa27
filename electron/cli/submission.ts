import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { LEVEL_LABELS } from '@shared/submission/region';
import { PACKAGE_EXTENSION } from '@shared/submission/manifest';
import { periodLabel } from '@shared/submission/period';
import { CliError, type CliCommand, type CliContext } from './context';

/** Package files named on the command line; a folder stands for the `.incubase` files directly inside it. */
function packageFiles(ctx: CliContext): string[] {
  if (ctx.positionals.length === 0) throw new CliError('请指定上报包文件或所在文件夹', 2);
  const out: string[] = [];
  for (const p of ctx.positionals) {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new CliError(`找不到文件或文件夹：${p}`, 2);
    }
    if (st.isDirectory()) {
      const found = readdirSync(p)
        .filter((n) => n.toLowerCase().endsWith(PACKAGE_EXTENSION))
        .sort()
        .map((n) => join(p, n));
      if (found.length === 0) throw new CliError(`文件夹中没有 ${PACKAGE_EXTENSION} 文件：${p}`, 2);
      out.push(...found);
    } else out.push(p);
  }
  return out;
}

const upload = (path: string) => ({ name: basename(path), base64: readFileSync(path).toString('base64') });

export const submissionCommands: Record<string, CliCommand> = {
  'submission:key': {
    summary: '显示本单位公钥指纹，并导出公钥登记文件(交上级登记)',
    usage: 'submission:key [--out 文件]',
    async run(ctx) {
      const core = await ctx.openCore();
      try {
        const key = await ctx.call(core, 'submission.exportKey', {});
        ctx.out(`公钥指纹：${key.fingerprint}`);
        const out = ctx.option('--out');
        if (out) {
          writeFileSync(out, Buffer.from(key.base64, 'base64'));
          ctx.out(`已导出公钥登记文件：${out}`);
        }
      } finally {
        await core.close();
      }
    },
  },
  'submission:register': {
    summary: '登记下级单位(用对方导出的公钥登记文件)',
    usage: 'submission:register <公钥登记文件>',
    async run(ctx) {
      const file = ctx.positionals[0];
      if (!file) throw new CliError('请指定公钥登记文件', 2);
      const core = await ctx.openCore();
      try {
        const r = await ctx.call(core, 'submission.hubs.register', { keyFile: readFileSync(file, 'utf8'), contact: '', note: '' });
        ctx.out(`已登记，公钥指纹：${r.fingerprint}(请与对方电话核对)`);
      } finally {
        await core.close();
      }
    },
  },
  'submission:build': {
    summary: '生成本单位(或 --consolidated 汇总)的上报包',
    usage: 'submission:build --period 2026-Q3 [--out 文件] [--confirm-all] [--consolidated]',
    async run(ctx) {
      const period = ctx.option('--period');
      if (!period) throw new CliError('请用 --period 指定报送期，如 2026-Q3 或 2026', 2);
      const core = await ctx.openCore();
      try {
        const checks = await ctx.call(core, 'submission.checks', { period });
        for (const c of checks.items) ctx.out(`检查提示：${c.title}(${c.count} 项)：${c.examples.join('、')}`);
        if (checks.items.length > 0 && !ctx.flag('--confirm-all')) {
          throw new CliError('请先处理以上问题，或加 --confirm-all 确认后生成', 2);
        }
        const confirm = checks.items.map((c) => c.code);
        const r = await ctx.call(core, ctx.flag('--consolidated') ? 'submission.consolidated.build' : 'submission.build', { period, confirm });
        const out = ctx.option('--out');
        if (out) {
          mkdirSync(dirname(out), { recursive: true });
          writeFileSync(out, Buffer.from(r.file.base64, 'base64'));
        }
        ctx.out(`已生成${periodLabel(period)}上报包：${out ?? r.file.fileName}`);
        ctx.out(`记录数：${Object.entries(r.build.recordCounts).map(([t, n]) => `${t} ${n}`).join('，')}`);
      } finally {
        await core.close();
      }
    },
  },
  'submission:verify': {
    summary: '校验上报包(签名须来自已登记的下级单位)，不导入；逐个列出单位、报送期、算法、密钥指纹和结论',
    usage: 'submission:verify <文件或文件夹>... [--period 2026-Q3]',
    async run(ctx) {
      const files = packageFiles(ctx);
      const core = await ctx.openCore();
      let bad = 0;
      try {
        for (const f of files) {
          const r = await ctx.call(core, 'submission.packages.verify', { file: upload(f), period: ctx.option('--period') });
          if (!r.ok) bad += 1;
          ctx.out(`${basename(f)}`);
          ctx.out(`  单位：${r.hubName ?? '-'}${r.hubId ? `(编号 ${r.hubId})` : ''}`);
          ctx.out(`  报送期：${r.period ? `${r.period}(${periodLabel(r.period)})` : '-'}`);
          ctx.out(`  算法：${r.algorithms ?? '-'}`);
          ctx.out(`  密钥指纹：${r.fingerprint ?? '-'}${r.rotated ? '(经密钥轮换证书确认的新密钥)' : ''}`);
          for (const m of r.members ?? []) {
            ctx.out(`  ${'  '.repeat(m.depth - 1)}下级原始包：${m.hubName}  ${m.period}  ${m.algorithms}  指纹 ${m.fingerprint}  通过`);
          }
          ctx.out(`  结论：${r.ok ? '通过' : '拒绝'}  ${r.message}`);
        }
      } finally {
        await core.close();
      }
      ctx.out(`共 ${files.length} 个文件，通过 ${files.length - bad} 个，拒绝 ${bad} 个`);
      return bad > 0 ? 2 : 0;
    },
  },
  'submission:rotate-key': {
    summary: '更换本单位签名密钥(新 SM2 密钥由旧密钥签发轮换证书，上级据此接受，无需重新登记)',
    usage: 'submission:rotate-key',
    async run(ctx) {
      const core = await ctx.openCore();
      try {
        const r = await ctx.call(core, 'submission.rotateKey', {});
        ctx.out(`已更换签名密钥(${r.algorithm})：${r.from} → ${r.to}`);
        ctx.out('此后生成的上报包附带由旧密钥签发的轮换证书；上级导入后自动改用新公钥。');
      } finally {
        await core.close();
      }
    },
  },
  'submission:import': {
    summary: '导入上报包(一个或整个文件夹)：逐个校验，重复导入不改变数据',
    usage: 'submission:import <文件或文件夹>... [--period 2026-Q3]',
    async run(ctx) {
      const files = packageFiles(ctx);
      const core = await ctx.openCore({ autoBackup: true });
      let refused = 0;
      try {
        for (const f of files) {
          const [r] = await ctx.call(core, 'submission.packages.import', { files: [upload(f)], period: ctx.option('--period') });
          if (r.status === 'refused') refused += 1;
          const label = { imported: '导入', superseded: '导入(已被取代)', duplicate: '跳过(已导入)', refused: '拒绝' }[r.status];
          ctx.out(`${label}  ${basename(f)}  ${r.message}`);
        }
      } finally {
        await core.close();
      }
      ctx.out(`共 ${files.length} 个文件，拒绝 ${refused} 个`);
      return refused > 0 ? 2 : 0;
    },
  },
  'submission:list': {
    summary: '列出已导入的上报包',
    usage: 'submission:list [--period 2026-Q3]',
    async run(ctx) {
      const core = await ctx.openCore();
      try {
        const rows = await ctx.call(core, 'submission.packages.list', { period: ctx.option('--period') });
        for (const r of rows) {
          const counts = Object.entries(r.recordCounts)
            .map(([t, n]) => `${t}=${n}`)
            .join(' ');
          ctx.out(`${r.period}  ${r.status === 'active' ? '有效' : '已取代'}  ${LEVEL_LABELS[r.level]}  ${r.hubName}  ${r.createdAt}  ${r.packageId}  ${counts}`);
        }
        if (rows.length === 0) ctx.out('尚未导入上报包');
      } finally {
        await core.close();
      }
    },
  },
};
