import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Core } from '../../electron/core/core';
import { tempDir } from '../helpers/core';
import { crashAt, fault } from './faults';

async function demoFolder(): Promise<string> {
  const dataDir = tempDir('incubase-rel-');
  const core = await Core.open({ dataDir, seed: 'demo', autoBackup: false });
  await core.close();
  return dataDir;
}

describe('a crash while a backup is written', () => {
  for (const point of ['backup.copy', 'backup.rename']) {
    it(`killed at ${point}: the half-written copy is never listed as a backup and the database is intact`, async () => {
      const dataDir = await demoFolder();
      await fault(`crash at ${point}`, async () => {
        const r = await crashAt({ module: 'tests/reliability/scenarios.ts', export: 'backupCreate', args: { dataDir }, point });
        expect(r.crashed).toBe(true);
        const core = await Core.open({ dataDir, seed: 'empty', autoBackup: false });
        try {
          expect(core.recovery).toBeNull();
          expect(core.backups.list()).toEqual([]);
          const orgs = await core.db.selectFrom('organizations').select('id').execute();
          return { dataLost: orgs.length === 0 };
        } finally {
          await core.close();
        }
      });
      expect(existsSync(join(dataDir, 'incubase.db'))).toBe(true);
      expect(readdirSync(join(dataDir, 'backups')).filter((f) => f.endsWith('.db'))).toEqual([]);
    });
  }
});
