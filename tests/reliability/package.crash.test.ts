import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Core } from '../../electron/core/core';
import { cleanStaleTemps, importsDir, keptPackagePath } from '../../electron/core/submission/importService';
import { caller, loginAs, tempDir } from '../helpers/core';
import { PASSWORD } from '../integration/submission/helpers';
import { testPackageId } from '../integration/submission/zipcraft';
import { crashAt, failAt, fault } from './faults';
import { federationWithMember } from './packageFixtures';

/**
 * Issue 17, item 6: after a crash just after a package import committed, its kept file was missing and importing
 * the same file again did not restore it. Each step of an import is interrupted — the process killed there
 * (crashAt) or an I/O error thrown there (failAt) — then the same file is imported again, as a person would: the
 * federation must hold the package exactly once, with its kept file byte-identical to what was sent, and no
 * temporary file left behind.
 */
const POINTS = [
  'submission.import.verified',
  'submission.import.tempWritten',
  'submission.import.beforeCommit',
  'submission.import.committed',
  'submission.import.kept',
] as const;
const COMMITTED = new Set<string>(['submission.import.committed', 'submission.import.kept']);

const temps = (dataDir: string) => (existsSync(importsDir(dataDir)) ? readdirSync(importsDir(dataDir)).filter((n) => n.endsWith('.tmp')) : []);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The federation's state for one package, read from a fresh core on its folder (a restart). */
async function stateAfterRestart(dataDir: string, packageId: string) {
  const core = await Core.open({ dataDir, seed: 'empty', autoBackup: false });
  try {
    const count = async (table: 'sub_packages' | 'sub_records' | 'sub_package_origins') =>
      (await core.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('package_id', '=', packageId).executeTakeFirstOrThrow()).n;
    const path = keptPackagePath(dataDir, packageId);
    return {
      packages: Number(await count('sub_packages')),
      records: Number(await count('sub_records')),
      origins: Number(await count('sub_package_origins')),
      kept: existsSync(path) ? sha(readFileSync(path)) : null,
    };
  } finally {
    await core.close();
  }
}

async function importAgain(dataDir: string, name: string, bytes: Buffer) {
  const core = await Core.open({ dataDir, seed: 'empty', autoBackup: false });
  try {
    const call = caller(core, await loginAs(core, 'boss', PASSWORD));
    return (await call('submission.packages.import', { files: [{ name, base64: bytes.toString('base64') }] }))[0];
  } finally {
    await core.close();
  }
}

describe('a package import killed at each step', () => {
  it.each(POINTS)('killed at %s: after a restart, importing the same file again stores it once, with its kept file', async (point) => {
    const t = await federationWithMember();
    const id = testPackageId(100 + POINTS.indexOf(point));
    const bytes = t.pkg(id);
    const file = join(tempDir('incubase-pkgfile-'), 'a.incubase');
    writeFileSync(file, bytes);
    await t.f.core.close();
    try {
      await fault(`crash at ${point}`, async () => {
        const r = await crashAt({ module: 'tests/reliability/packageScenarios.ts', export: 'importPackageFile', args: { dataDir: t.f.dataDir, file }, point });
        expect(r.crashed).toBe(true);
        const mid = await stateAfterRestart(t.f.dataDir, id);
        expect(mid.packages).toBe(COMMITTED.has(point) ? 1 : 0);
        const again = await importAgain(t.f.dataDir, 'a.incubase', bytes);
        expect(again.status).toBe(COMMITTED.has(point) ? 'duplicate' : 'imported');
        if (point === 'submission.import.committed') expect(again.message).toMatch(/已用本次文件补回/);
        const after = await stateAfterRestart(t.f.dataDir, id);
        expect(after).toEqual({ packages: 1, records: t.orgCount, origins: 1, kept: sha(bytes) });
        expect(temps(t.f.dataDir)).toEqual([]);
        return { dataLost: after.packages !== 1 || after.kept !== sha(bytes) };
      });
    } finally {
      await t.f.cleanup().catch(() => undefined);
    }
  });
});

describe('a package import failing at each step', () => {
  it.each(POINTS)('fails at %s: the import is refused or kept whole, and importing again completes it', async (point) => {
    const t = await federationWithMember();
    try {
      const id = testPackageId(150 + POINTS.indexOf(point));
      const bytes = t.pkg(id);
      await fault(`failure at ${point}`, async () => {
        // A plain failure (ENOSPC would put the whole app into read-only mode, which tests/reliability covers apart).
        failAt(point, new Error('injected failure'));
        // The call fails (or, for an I/O error inside the transaction, refuses the file with its Chinese reason).
        const first = await t.f.call('submission.packages.import', { files: [t.upload('a.incubase', bytes)] }).then(
          (r) => r[0].status,
          () => 'failed',
        );
        expect(['failed', 'refused']).toContain(first);
        failAt('none');
        // No temporary file outlives a failed step in a process that goes on.
        expect(temps(t.f.dataDir)).toEqual([]);
        const [again] = await t.f.call('submission.packages.import', { files: [t.upload('a.incubase', bytes)] });
        expect(again.status).toBe(COMMITTED.has(point) ? 'duplicate' : 'imported');
        const c = await t.counts();
        const keptPath = keptPackagePath(t.f.dataDir, id);
        expect({ ...c, kept: existsSync(keptPath) ? sha(readFileSync(keptPath)) : null }).toEqual({ p: 1, r: t.orgCount, o: 1, a: 1, kept: sha(bytes) });
        return { dataLost: c.p !== 1 };
      });
    } finally {
      await t.f.cleanup();
    }
  });
});

describe('kept files', () => {
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

  it('removes temporary kept files a dead import left behind, and only those', async () => {
    const t = await federationWithMember();
    try {
      const dir = importsDir(t.f.dataDir);
      expect((await t.f.call('submission.packages.import', { files: [t.upload('a.incubase', t.pkg(testPackageId(300)))] }))[0].status).toBe('imported');
      const uuid = '11111111-2222-4333-8444-555555555555';
      // A writer that is gone (no process can have this pid: above the kernel's pid_max), an old unknown one, and
      // a live writer in another process (pid 1 always exists).
      const dead = `${testPackageId(301)}.incubase.4194399-${uuid}.tmp`;
      const old = `${testPackageId(302)}.incubase.other.tmp`;
      const live = `${testPackageId(303)}.incubase.1-${uuid}.tmp`;
      for (const n of [dead, old, live]) writeFileSync(join(dir, n), 'x');
      const hourAgo = new Date(Date.now() - 3600_000);
      utimesSync(join(dir, old), hourAgo, hourAgo);
      expect(cleanStaleTemps(t.f.dataDir).sort()).toEqual([dead, old].sort());
      expect(existsSync(join(dir, live))).toBe(true);
    } finally {
      await t.f.cleanup();
    }
  });
});
