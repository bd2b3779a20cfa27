import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { LATEST_SCHEMA_VERSION } from '../../../electron/core/db/migrations';
import { openDemoCore, refusal, loginAs } from '../../helpers/core';

type T = Awaited<ReturnType<typeof openDemoCore>>;

function unzip(buf: Buffer): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const files = new Map<string, string>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            files.set(entry.fileName, Buffer.concat(chunks).toString('utf8'));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(files));
      zip.readEntry();
    });
  });
}

describe('系统管理 → 导出诊断包', () => {
  let t: T;
  beforeAll(async () => {
    t = await openDemoCore('admin');
  }, 60_000);
  afterAll(async () => t?.cleanup());

  it('holds versions, the database check and the log, and no names, phones or ID numbers of the demo hub', async () => {
    const db = t.core.readDb;
    const trainees = await db.selectFrom('training_trainees').select(['name', 'phone', 'id_number']).execute();
    const orgs = await db.selectFrom('organizations').select(['leader_name', 'leader_phone', 'contact_name', 'contact_phone']).execute();
    const users = await db.selectFrom('users').select(['display_name']).execute();
    // A log line carrying personal data, as an error message might.
    const someone = trainees.find((x) => x.id_number && x.phone)!;
    appendFileSync(join(t.dataDir, 'logs', 'incubase.log'), JSON.stringify({ at: new Date().toISOString(), level: 'error', message: `调用失败 ${someone.phone} ${someone.id_number}`, error: { message: someone.name, stack: `Error: ${someone.name}\n    at f (/home/someone/app.js:1:1)` } }) + '\n');

    const file = await t.call('system.diagnostics', {});
    expect(file.fileName).toMatch(/\.zip$/);
    const files = await unzip(Buffer.from(file.base64, 'base64'));
    expect([...files.keys()].sort()).toEqual(['database.json', 'logs/incubase.log', 'versions.json', '说明.txt']);
    expect(JSON.parse(files.get('database.json')!)).toMatchObject({ ok: true });
    const versions = JSON.parse(files.get('versions.json')!);
    expect(versions.node).toBe(process.versions.node);
    expect(versions.schemaMigrations).toBe(LATEST_SCHEMA_VERSION);
    const database = JSON.parse(files.get('database.json')!);
    expect(database.engine).toBe(t.core.engine);
    if (t.core.engine === 'postgres') {
      // the server's version and settings, the migration state and the tables from the statistics catalog
      expect(versions.postgres).toMatch(/^\d+\.\d+/);
      expect(versions.sqlite).toBeNull();
      expect(database.check).toEqual(['ok']);
      expect(database.migrations).toMatchObject({ applied: LATEST_SCHEMA_VERSION, expected: LATEST_SCHEMA_VERSION, pending: [] });
      expect(database.settings.server_version).toBe(versions.postgres);
      expect(database.settings.server_encoding).toBe('UTF8');
      expect(Object.keys(database.rowCounts)).toEqual(expect.arrayContaining(['organizations', 'audit_log', 'custody_journal', 'kysely_migration']));
      expect(database.tableBytes.organizations).toBeGreaterThan(0);
    } else {
      expect(versions.sqlite).toMatch(/^3\./);
      expect(database.quickCheck).toEqual(['ok']);
      expect(database.rowCounts.organizations).toBeGreaterThan(0);
    }
    expect(files.get('logs/incubase.log')).toContain('调用失败');

    const all = [...files.values()].join('\n');
    const personal = [
      ...trainees.flatMap((x) => [x.name, x.phone, x.id_number]),
      ...orgs.flatMap((o) => [o.leader_name, o.leader_phone, o.contact_name, o.contact_phone]),
      ...users.map((u) => u.display_name),
    ].filter((v): v is string => !!v && v.length >= 2);
    expect(personal.length).toBeGreaterThan(50);
    expect(personal.filter((p) => all.includes(p))).toEqual([]);
  });

  it('is for administrators only', async () => {
    const token = await loginAs(t.core, 'zhangli');
    expect((await refusal(t.core, 'system.diagnostics', {}, token)).code).toBe('FORBIDDEN');
  });
});
