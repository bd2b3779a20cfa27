import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../../helpers/cli';
import { openDemoCore, tempDir } from '../../helpers/core';
import { gbkCsv } from './helpers';

/** `statement-import FILE --account NAME`: the account found by name, number or part of its name; dry run, import, re-import. */
let t: Awaited<ReturnType<typeof openDemoCore>>;
let account: { name: string; accountNo: string };
beforeAll(async () => {
  t = await openDemoCore('wangfang');
  account = (await t.call('custody.overview', {})).bankAccounts[0];
  await t.core.close();
});
afterAll(async () => {
  await t?.cleanup();
});

describe('statement-import CLI', () => {
  it('checks with --dry-run, imports, adds nothing the second time; an unknown account is named', () => {
    const path = join(tempDir('incubase-statement-cli-'), '农行明细.csv');
    writeFileSync(
      path,
      Buffer.from(
        gbkCsv([
          ['中国农业银行对公账户交易明细'],
          ['交易日期', '交易时间', '收入金额', '支出金额', '本次余额', '手续费总额', '交易方式', '对方户名', '对方账号', '对方开户行', '交易用途', '日志号'],
          ['20261103', '101112', '8000.00', '', '108000.00', '0', '转账', '某某社区基金会', '3301', '农行某支行', '社区基金资助', 'L0001'],
          ['20261104', '090000', '', '300', '107700.00', '0', '转账', '张三', '6228', '', '志愿者补贴', 'L0002'],
          ['打印时间：2026-12-01 10:00'],
        ]),
        'base64',
      ),
    );
    const unknown = cli('statement-import', path, '--account', '没有这个账户', '--data-dir', t.dataDir);
    expect(unknown.code).toBe(2);
    expect(unknown.err + unknown.out).toContain(`没有名为"没有这个账户"的银行账户(现有:${account.name}`);
    const dry = cli('statement-import', path, '--account', account.name, '--dry-run', '--data-dir', t.dataDir);
    expect(dry.out, dry.err).toContain('检查结果:新增 2,更新 0,未变 0,有错误 0');
    // by its account number, as printed on the statement (blanks and all)
    const ok = cli('statement-import', path, '--account', account.accountNo, '--data-dir', t.dataDir);
    expect(ok.out, ok.err).toContain('已导入:新增 2,更新 0,未变 0,有错误 0');
    const again = cli('statement-import', path, '--account', account.name, '--data-dir', t.dataDir);
    expect(again.out, again.err).toContain('已导入:新增 0,更新 0,未变 2,有错误 0');
  }, 300_000);
});
