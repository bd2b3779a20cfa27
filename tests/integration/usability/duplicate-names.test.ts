import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgNameKey } from '@shared/organizations/duplicateName';
import { openDemoCore, unregisteredOrganizationInput } from '../../helpers/core';

/** Issue 18: duplicate organization names passed without a warning. Now a warning (never a refusal). */
const file = (name: string, text: string) => ({ name, base64: Buffer.from(text, 'utf8').toString('base64') });

describe('duplicate organization names are warned about', () => {
  let t: Awaited<ReturnType<typeof openDemoCore>>;
  let id: string;
  beforeAll(async () => {
    t = await openDemoCore('zhangli');
    const input = await unregisteredOrganizationInput(t.call);
    ({ id } = await t.call('organizations.create', { input: { ...input, name: '幸福里（邻里）互助会', creditCode: null, shortName: null } }));
  });
  afterAll(async () => t?.cleanup());

  it('one key for width, blanks and bracket variants', () => {
    expect(orgNameKey('幸福里（邻里）互助会')).toBe(orgNameKey(' 幸福里 [邻里] 互助会 '));
    expect(orgNameKey('ＡＢＣ志愿队')).toBe(orgNameKey('abc 志愿队'));
    expect(orgNameKey('幸福里【邻里】互助会')).toBe(orgNameKey('幸福里(邻里)互助会'));
    expect(orgNameKey('幸福里互助会')).not.toBe(orgNameKey('幸福里(邻里)互助会'));
  });

  it('the form asks checkName: same name, a variant, and the record itself', async () => {
    // Stored as the form's text rule writes it (half-width brackets); typed either way it is the same name.
    const same = await t.call('organizations.checkName', { name: '幸福里（邻里）互助会' });
    expect(same.similar).toEqual([{ id, name: '幸福里(邻里)互助会' }]);
    expect(same.warning).toMatch(/已有同名组织「幸福里\(邻里\)互助会」/);
    expect((await t.call('organizations.checkName', { name: '幸福里 (邻里) 互助会' })).warning).toMatch(/仅全角半角、空格或括号写法不同/);
    const variant = await t.call('organizations.checkName', { name: '幸福里【邻里】互助会' });
    expect(variant.similar.map((s) => s.id)).toEqual([id]);
    expect(variant.warning).toMatch(/仅全角半角、空格或括号写法不同/);
    expect(await t.call('organizations.checkName', { name: '幸福里（邻里）互助会', excludeId: id })).toEqual({ similar: [], warning: null });
    // a warning, not a refusal: a second organization of that name can still be saved
    const detail = await t.call('organizations.get', { id });
    await expect(t.call('organizations.create', { input: { ...detail.input, name: '幸福里 (邻里) 互助会' } })).resolves.toMatchObject({ id: expect.any(String) });
  });

  it('the import preview warns on a row whose name matches an existing organization or another row', async () => {
    const csv = '单位名称,类别,所属街道\r\n幸福里【邻里】互助会,社区指导,簇桥街道\r\nＸＹ志愿队,社区指导,簇桥街道\r\nxy志愿队,社区指导,簇桥街道\r\n';
    const p = await t.call('organizations.import.preview', { file: file('台账.csv', csv) });
    expect(p.rows[0].warnings.join('')).toMatch(/名称与已有组织「幸福里\(邻里\)互助会」.*仅全角半角、空格或括号写法不同/);
    expect(p.rows[1].warnings.join('')).not.toMatch(/名称/);
    expect(p.rows[2].warnings.join('')).toMatch(/与本文件第 3 行「XY志愿队」/);
    expect(p.rows.every((r) => r.action !== 'error')).toBe(true);
  });
});
