import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { contract } from '@shared/contract';
import { checkInput, issuesMessage, keyLabel, labelPath, schemaKeyPaths, WRAPPER_KEYS } from '@shared/contract/labels';

const CJK = /[\u4e00-\u9fff]/;
/** A label may hold figures and grades like 5A, never an identifier such as leaderPhone or openingHours. */
const IDENTIFIER = /[A-Za-z]{2,}|[a-z][A-Z]|\.\d/;

describe('every contract input field has a Chinese label', () => {
  it('walks every input schema: each key at each path has a label', () => {
    const missing: string[] = [];
    for (const [name, def] of Object.entries(contract)) {
      for (const { key, parents } of schemaKeyPaths(def.input)) {
        const label = keyLabel(name, parents, key);
        if (!label || !CJK.test(label)) missing.push(`${name}: ${[...parents, key].join('.')}`);
      }
    }
    expect(missing, `add these keys to FIELD_LABELS in shared/contract/labels.ts:\n${missing.join('\n')}`).toEqual([]);
  });

  it('labels each possible issue path (indices included) without an internal name', () => {
    const bad: string[] = [];
    for (const [name, def] of Object.entries(contract)) {
      for (const { key, parents } of schemaKeyPaths(def.input)) {
        const path = [...parents, key];
        const label = labelPath(name, path.join('.'));
        if (!CJK.test(label) || IDENTIFIER.test(label.replace(/\d+A/g, '')) || label.includes('某项内容')) bad.push(`${name}: ${path.join('.')} → ${label}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('wrapper keys add nothing to a deeper label', () => {
    expect(labelPath('organizations.update', 'input.leaderPhone')).toBe('负责人电话');
    expect(labelPath('organizations.create', 'input.name')).toBe('组织名称');
    expect(labelPath('venues.update', 'venue.openingHours.0.0.start')).toBe('开放时间·周一·第 1 段·开始时间');
    for (const w of WRAPPER_KEYS) expect(keyLabel('x', [], w)).toMatch(CJK);
  });

  it('what the core would say for junk input names every field in Chinese', () => {
    const junk: unknown[] = [{}, { input: {} }, { id: 5, name: 7, input: { name: 1, memberCount: -5 } }, []];
    for (const [name, def] of Object.entries(contract)) {
      for (const j of junk) {
        const issues = checkInput(def.input, name, j);
        for (const i of issues) {
          expect(i.message, `${name} ${i.path}`).toMatch(CJK);
          if (i.path) expect(i.label, `${name} ${i.path}`).toMatch(CJK);
        }
        const msg = issuesMessage(name, issues);
        expect(msg).not.toMatch(/input\.|期望|undefined|string|number/);
      }
    }
  });

  it('zod messages name the limit in plain Chinese', () => {
    const s = z.object({ score: z.number().min(0).max(100), n: z.number().int(), t: z.string().min(3).max(5) });
    const issues = checkInput(s, 'x', { score: 150, n: 1.5, t: 'ab' });
    expect(issues.map((i) => i.message)).toEqual(['不能大于 100', '应为整数', '至少 3 个字']);
    expect(checkInput(s, 'x', {}).map((i) => i.message)).toEqual(['必填', '必填', '必填']);
  });
});
