import { join, resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { ALLOWED, FORBIDDEN, type LintCase } from '../../fixtures/layering';

const ROOT = resolve(__dirname, '../../..');
const eslint = new ESLint({ cwd: ROOT });

async function layerMessages(c: LintCase) {
  const [result] = await eslint.lintText(c.code, { filePath: join(ROOT, c.file) });
  return result.messages.filter((m) => m.ruleId === 'incubase/layers' || m.fatal);
}

describe('the layering lint (eslint-rules/layers.mjs through eslint.config.mjs)', () => {
  it.each(FORBIDDEN.map((c) => [c.why, c] as const))('flags %s', async (_why, c) => {
    const messages = await layerMessages(c);
    expect(messages.some((m) => m.ruleId === 'incubase/layers'), `${c.file}: ${c.code}`).toBe(true);
  });

  it.each(ALLOWED.map((c) => [c.why, c] as const))('passes %s', async (_why, c) => {
    expect(await layerMessages(c)).toEqual([]);
  });
});
