import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFaultHook } from '../../electron/core/faultPoints';
import { cleanStaleTemps, importsDir, keptPackagePath } from '../../electron/core/submission/importService';
import { federationWithMember } from './packageFixtures';
import { testPackageId } from '../integration/submission/zipcraft';

/**
 * Issue 17, item 6: after a crash just after a package import committed, its kept file was missing and importing
 * the same file again did not restore it. Each step of an import is interrupted here ("the process died at this
 * point"); then the same file is imported again, as a person would, and the federation must hold the package
 * exactly once with its kept file byte-identical to what was sent, and no temporary file left behind.
 */
const POINTS = [
  'submission.import.verified',
  'submission.import.tempWritten',
  'submission.import.beforeCommit',
  'submission.import.committed',
  'submission.import.kept',
] as const;

class Crash extends Error {}
const tally = { injected: 0, survived: 0, lost: 0 };
afterEach(() => setFaultHook(null));
afterAll(() => {
  // The reliability suite's summary counts these (d1's harness reads the same three numbers).
  console.log(`package import crash points: faults injected ${tally.injected}, survived ${tally.survived}, data lost ${tally.lost}`);
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('a package import interrupted at each step', () => {
  it.each(POINTS)('dies at %s: importing the same file again leaves it stored once, with its kept file', async (point) => {
    const t = await federationWithMember();
    try {
      const id = testPackageId(100 + POINTS.indexOf(point));
      const bytes = t.pkg(id);
      setFaultHook((p) => {
        if (p === point) throw new Crash(`injected crash at ${p}`);
      });
      tally.injected += 1;
      await expect(t.f.call('submission.packages.import', { files: [t.upload('a.incubase', bytes)] })).rejects.toThrow();
      setFaultHook(null);
      const committed = ['submission.import.committed', 'submission.import.kept'].includes(point);
      const mid = await t.counts();
      expect(mid.p).toBe(committed ? 1 : 0);

      const [again] = await t.f.call('submission.packages.import', { files: [t.upload('a.incubase', bytes)] });
      expect(again.status).toBe(committed ? 'duplicate' : 'imported');
      if (point === 'submission.import.committed') expect(again.message).toMatch(/已用本次文件补回/);
      const after = await t.counts();
      const keptPath = keptPackagePath(t.f.dataDir, id);
      const ok = after.p === 1 && after.r === t.orgCount && after.o === 1 && after.a === 1 && existsSync(keptPath) && sha(readFileSync(keptPath)) === sha(bytes);
      expect({ ...after, kept: existsSync(keptPath) && sha(readFileSync(keptPath)) }).toEqual({ p: 1, r: t.orgCount, o: 1, a: 1, kept: sha(bytes) });
      expect(readdirSync(importsDir(t.f.dataDir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
      if (ok) tally.survived += 1;
      else tally.lost += 1;
    } finally {
      await t.f.cleanup();
    }
  });

  it('restores a kept file that was cut short (a copy written before the write became atomic)', async () => {
    const t = await federationWithMember();
    try {
      const id = testPackageId(200);
      const bytes = t.pkg(id);
      expect((await t.f.call('submission.packages.import', { files: [t.upload('a.incubase', bytes)] }))[0].status).toBe('imported');
      writeFileSync(keptPackagePath(t.f.dataDir, id), bytes.subarray(0, 100));
      const [again] = await t.f.call('submission.packages.import', { files: [t.upload('a.incubase', bytes)] });
      expect(again).toMatchObject({ status: 'duplicate' });
      expect(again.message).toMatch(/已用本次文件补回/);
      expect(readFileSync(keptPackagePath(t.f.dataDir, id)).equals(bytes)).toBe(true);
      // A kept file that holds the package is left alone.
      const [third] = await t.f.call('submission.packages.import', { files: [t.upload('a.incubase', bytes)] });
      expect(third.message).toBe('该上报包已导入过，未做任何改动');
    } finally {
      await t.f.cleanup();
    }
  });

  it('removes temporary kept files a dead import left behind, and only old ones', async () => {
    const t = await federationWithMember();
    try {
      const dir = importsDir(t.f.dataDir);
      expect((await t.f.call('submission.packages.import', { files: [t.upload('a.incubase', t.pkg(testPackageId(300)))] }))[0].status).toBe('imported');
      const old = join(dir, `${testPackageId(301)}.incubase.dead.tmp`);
      const fresh = join(dir, `${testPackageId(302)}.incubase.live.tmp`);
      writeFileSync(old, 'x');
      writeFileSync(fresh, 'y');
      const hourAgo = new Date(Date.now() - 3600_000);
      utimesSync(old, hourAgo, hourAgo);
      expect(cleanStaleTemps(t.f.dataDir)).toEqual([`${testPackageId(301)}.incubase.dead.tmp`]);
      expect(existsSync(fresh)).toBe(true);
    } finally {
      await t.f.cleanup();
    }
  });
});
