import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contract } from '@shared/contract';

/**
 * Issue 18 point 5: every irreversible action asks first, saying in Chinese what will happen. One mechanism: the
 * contract entry declares `irreversible` with its question, and the screens send such a call only through
 * `sendIrreversible` (useIrreversibleCall, renderer/src/components/irreversible.tsx), which asks that question.
 */
const RENDERER = resolve(__dirname, '../../../renderer/src');

function sources(dir: string): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (/\.(tsx?|jsx?)$/.test(name)) out.push({ file: p.slice(RENDERER.length + 1), text: readFileSync(p, 'utf8') });
  }
  return out;
}

/** Write calls whose verb says they end, remove, replace or seal something. */
const FINAL_VERB = /\.(delete|remove|cancel|reject|reverse|reopen|close|withdraw|restore|recover|end|rotateKey|issue|post|build|disable|exit|deregister|revoke|lock|submit|transition|resetPassword)$/;
/** Write calls with such a verb that can be undone, and why (everything else with such a verb must be irreversible). */
const UNDOABLE: Record<string, string> = {
  'custody.vouchers.withdraw': '撤回的凭证回到草稿，可以再次提交',
  'custody.vouchers.reject': '退回的凭证回到经办人手里，改正后可以再次提交',
  'custody.vouchers.submit': '提交审批后经办人可以撤回',
  'training.registrations.remove': '取消报名后可以再次报名',
};

describe('irreversible calls ask first, through one mechanism', () => {
  const entries = Object.entries(contract);
  const irreversible = entries.filter(([, d]) => d.irreversible);
  const files = sources(RENDERER);

  it('each declares a Chinese question and what will happen, and is a write', () => {
    expect(irreversible.length).toBeGreaterThanOrEqual(20);
    for (const [name, d] of irreversible) {
      expect(d.write, name).toBe(true);
      expect(d.irreversible!.question, name).toMatch(/^[\u4e00-\u9fff].*？$/);
      expect(d.irreversible!.effect, name).toMatch(/[\u4e00-\u9fff]/);
      expect(d.irreversible!.effect, name).not.toMatch(/[A-Za-z_]{3,}/);
    }
  });

  it('every write whose verb ends or seals something is irreversible or says why it can be undone', () => {
    const missing = entries
      .filter(([name, d]) => d.write && FINAL_VERB.test(name) && !d.irreversible && !UNDOABLE[name])
      .map(([name, d]) => `${name} ${d.title}`);
    expect(missing).toEqual([]);
    for (const name of Object.keys(UNDOABLE)) expect(contract[name as keyof typeof contract]?.irreversible, name).toBeUndefined();
  });

  it('no screen sends an irreversible call except through sendIrreversible', () => {
    const wrong: string[] = [];
    let through = 0;
    for (const [name] of irreversible) {
      const quoted = new RegExp(`(['"\`])${name.replace(/\./g, '\\.')}\\1`, 'g');
      for (const { file, text } of files) {
        if (file === 'components/irreversible.tsx') continue;
        for (const m of text.matchAll(quoted)) {
          const before = text.slice(Math.max(0, m.index! - 40), m.index!);
          if (/sendIrreversible\(\s*$/.test(before)) through++;
          else wrong.push(`${file}: ${name} …${before.trim().slice(-30)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(through).toBeGreaterThanOrEqual(18);
  });

  it('the hook asks with the contract question before it calls', () => {
    const hook = readFileSync(join(RENDERER, 'components/irreversible.tsx'), 'utf8');
    expect(hook).toMatch(/contract\[name\]\.irreversible/);
    expect(hook).toMatch(/await confirm\(/);
    expect(hook.indexOf('await confirm(')).toBeLessThan(hook.indexOf('return call(name, input)'));
  });
});
