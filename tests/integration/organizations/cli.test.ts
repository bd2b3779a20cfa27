import { describe, expect, it } from 'vitest';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { openTestCore, tempDir } from '../../helpers/core';
import { cli } from '../../helpers/cli';


describe('台账 CLI: org-export and org-import', () => {
  it('exports, re-imports the export as unchanged, refuses a file with errors (exit 2), imports valid rows only on request', async () => {
    const t = await openTestCore({ seed: 'demo' });
    const total = Number((await t.core.db.selectFrom('organizations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    await t.core.close();
    const dir = t.dataDir;
    const work = tempDir('incubase-org-cli-');
    try {
      const xlsx = join(work, '台账.xlsx');
      const exp = cli('org-export', '--data-dir', dir, '--out', xlsx);
      expect(exp.code).toBe(0);
      expect(exp.out).toContain(`已导出 ${total} 个组织`);
      expect(existsSync(xlsx)).toBe(true);

      const dry = cli('org-import', xlsx, '--dry-run', '--data-dir', dir);
      expect(dry.code).toBe(0);
      expect(dry.out).toContain(`检查结果:新增 0,更新 0,未变 ${total},有错误 0`);

      const onlyOne = cli('org-export', '--data-dir', dir, '--out', join(work, 'llsw.xlsx'), '--search', 'llsw');
      expect(onlyOne.code).toBe(0);
      expect(onlyOne.out).not.toContain(`已导出 ${total} 个`);

      // a GBK CSV with one good row and one bad row
      const csv = ['组织名称,管理类别,街道(乡镇),成员人数,成立日期', '命令行导入互助会,社区指导,玉林街道,12,2021年3月5日', '命令行导入坏行,未知类别,玉林街道,十二,2021-02-30'].join('\r\n');
      const csvPath = join(work, 'cli.csv');
      writeFileSync(csvPath, iconv.encode(csv, 'gbk'));
      const refused = cli('org-import', csvPath, '--data-dir', dir);
      expect(refused.code).toBe(2);
      expect(refused.err + refused.out).toContain('共有 1 行有错误,未导入任何数据');
      expect(refused.err + refused.out).toMatch(/第 3 行/);

      const checked = cli('org-import', csvPath, '--dry-run', '--data-dir', dir);
      expect(checked.code).toBe(2);
      expect(checked.out).toContain('编码 gb18030');
      expect(checked.out).toMatch(/第 3 行「管理类别」"未知类别"不是有效的选项/);
      expect(checked.out).toMatch(/第 3 行「成立日期」.*2021年2月没有30日/);

      const valid = cli('org-import', csvPath, '--valid-only', '--data-dir', dir);
      expect(valid.code).toBe(0);
      expect(valid.out).toContain('已导入:新增 1,更新 0,未变 0,有错误 1');

      const after = await openTestCore({ dataDir: dir, seed: 'demo' });
      const names = (await after.core.db.selectFrom('organizations').select('name').where('name', 'like', '命令行导入%').execute()).map((r) => r.name);
      expect(names).toEqual(['命令行导入互助会']);
      const audit = await after.core.db.selectFrom('audit_log').select('summary').where('summary', 'like', '导入组织台账「cli.csv」%').execute();
      expect(audit).toHaveLength(1);
      await after.cleanup();
    } finally {
      rmSync(work, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
