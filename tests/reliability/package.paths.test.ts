import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathInside } from '../../electron/core/safePath';
import { keptPackagePath } from '../../electron/core/submission/importService';
import { federationWithMember } from './packageFixtures';
import { testPackageId } from '../integration/submission/zipcraft';

/**
 * Issue 17, item 1: a signed package's `packageId` named the kept file, so `../../…/x` wrote outside the data
 * folder and `../imports/<other id>` overwrote another hub's kept package. Ids from outside are ids: the manifest
 * takes only a lower-case UUID, and every path built from outside data is checked to stay inside its folder.
 */
describe('package ids are ids, never paths', () => {
  let t: Awaited<ReturnType<typeof federationWithMember>>;
  const legit = 'abcdef01-2345-4678-89ab-cdef01234567';
  beforeAll(async () => {
    t = await federationWithMember();
    expect((await t.f.call('submission.packages.import', { files: [t.upload('legit.incubase', t.pkg(legit))] }))[0].status).toBe('imported');
  });
  afterAll(async () => t?.f.cleanup());

  const hostile: [string, string][] = [
    ['parent folders', '../../../../../../tmp/incubase-escape'],
    ['another kept package', `../imports/${legit}`],
    ['the same folder by another way', `./${legit}`],
    ['absolute path', '/tmp/incubase-escape'],
    ['Windows separators', '..\\..\\incubase-escape'],
    ['Windows drive', 'C:\\Windows\\Temp\\x'],
    ['case variant of another id (one file on Windows/macOS)', legit.toUpperCase()],
    ['NUL byte', `${testPackageId(2)}\u0000.txt`],
    ['not a UUID', 'pkg-1'],
  ];

  it.each(hostile)('refuses a signed package whose id is %s, writing nothing anywhere', async (_what, id) => {
    const parent = dirname(t.f.dataDir);
    const parentBefore = readdirSync(parent).sort();
    const before = { rows: await t.counts(), files: t.keptFiles() };
    const [r] = await t.f.call('submission.packages.import', { files: [t.upload('hostile.incubase', t.pkg(id, '2026-10-08T04:00:00.000Z'))] });
    expect(r.status).toBe('refused');
    expect(r.message).toMatch(/packageId 上报包编号应为小写 UUID/);
    expect({ rows: await t.counts(), files: t.keptFiles() }).toEqual(before);
    expect(readdirSync(parent).sort()).toEqual(parentBefore);
  });

  it('also refuses such an id inside the origins of a consolidated package', async () => {
    // The origins' packageId is an id too (zOrigin): the same schema, checked before anything is stored.
    const { zOrigin } = await import('@shared/submission/manifest');
    const r = zOrigin.safeParse({ hubId: 'hub-a', hubName: 'x', regionCode: '510104002000', level: 'township', period: '2026-Q3', packageId: '../x', createdAt: '2026-10-08T03:00:00.000Z' });
    expect(r.success).toBe(false);
  });

  describe('pathInside, the one helper for paths from outside data', () => {
    const base = resolve('/data/imports');
    it.each([
      ['..'],
      ['.'],
      [''],
      ['../x'],
      ['a/../../x'],
      ['..\\x'],
      ['a\\b'],
      ['/etc/passwd'],
      ['C:x'],
      ['x.incubase:stream'],
      ['x\u0000y'],
      ['trailing.'],
      ['trailing '],
    ])('refuses the part %j', (part) => {
      expect(() => pathInside(base, part)).toThrow(/文件路径不安全/);
    });
    it('builds paths strictly inside the folder from plain names', () => {
      expect(pathInside(base, 'ab', 'abcdef')).toBe(join(base, 'ab', 'abcdef'));
      expect(keptPackagePath('/data', testPackageId(7))).toBe(join(resolve('/data'), 'imports', `${testPackageId(7)}.incubase`));
    });
  });
});
