import { sql } from 'kysely';
import type { Role } from '@shared/roles';
import type { HubInfo } from '@shared/contract/admin';
import type { Trx } from '../api/context';
import type { Core } from '../core';
import type { Db } from '../db/connection';
import { insertUser } from '../admin/users';
import { hashPassword } from '../admin/passwords';
import { insertHub, readHub, writeSettings } from '../admin/hubService';
import { SeededRandom } from './random';
import { seedOrganizations } from '../organizations/seed';
import { seedCustody } from '../custody/seed';
import { seedVenues } from '../venues/seed';
import { seedSubmission } from '../submission/seed';
import { seedTraining } from '../training/seed';

export const DEMO_PASSWORD = 'Demo@2026';

export const DEMO_USERS: { username: string; displayName: string; roles: Role[] }[] = [
  { username: 'admin', displayName: '系统管理员', roles: ['admin'] },
  { username: 'zhangli', displayName: '张丽(孵化专员)', roles: ['staff'] },
  { username: 'wangfang', displayName: '王芳(会计)', roles: ['accountant'] },
  { username: 'chenjing', displayName: '陈静(出纳)', roles: ['accountant'] },
  { username: 'liming', displayName: '李明(主任)', roles: ['approver', 'staff'] },
  { username: 'zhaoqiang', displayName: '赵强(只读)', roles: ['viewer'] },
];

/** What each area's demo seeder receives. Everything runs in one transaction. */
export interface SeedContext {
  trx: Trx;
  core: Core;
  rng: SeededRandom;
  /** 1 = a realistic small hub; benchmarks pass larger numbers. */
  scale: number;
  now: Date;
  hub: HubInfo;
  /** Demo user ids by username. */
  users: Record<string, string>;
}

export type AreaSeeder = (s: SeedContext) => Promise<void>;

/**
 * Area seeders in dependency order (organizations before venues, custody and training, submission last).
 * Each area adds one line here.
 */
export const areaSeeders: { area: string; seed: AreaSeeder }[] = [
  { area: '组织台账', seed: (s) => seedOrganizations(s) },
  { area: '安家场地', seed: (s) => seedVenues(s) },
  { area: '资金代管', seed: (s) => seedCustody(s) },
  { area: '人员培训', seed: (s) => seedTraining(s) },
  { area: '上报汇总', seed: (s) => seedSubmission(s) },
];

/** Fills a brand-new database with the demo hub: 成都市武侯区 at the county level. */
export async function seedDemo(core: Core, opts: { scale: number }): Promise<void> {
  const now = core.now();
  await core.write(async (trx) => {
    await insertHub(trx, { name: '武侯区社区社会组织孵化基地(演示)', regionCode: '510107', level: 'county' }, now);
    await writeSettings(trx, {});
    await sql`INSERT INTO settings (key, value) VALUES ('demo', 'true')`.execute(trx);
    const users: Record<string, string> = {};
    // Hashed side by side on libuv's thread pool: scrypt is the slow part of a demo start.
    const hashes = await Promise.all(DEMO_USERS.map(() => hashPassword(DEMO_PASSWORD)));
    for (const [i, u] of DEMO_USERS.entries())
      users[u.username] = (await insertUser(trx, { ...u, password: DEMO_PASSWORD, passwordHash: hashes[i] }, now)).id;
    const hub = (await readHub(trx))!;
    const s: SeedContext = { trx, core, rng: new SeededRandom(20260305), scale: opts.scale, now, hub, users };
    for (const a of areaSeeders) await a.seed(s);
    await core.audit(trx, null, 'seed.demo', {
      entity: 'hub',
      entityId: hub.hubId,
      summary: `生成演示数据(规模 ${opts.scale})：${areaSeeders.map((a) => a.area).join('、') || '基础数据'}`,
    });
  });
}

export async function isDemoDatabase(db: Db): Promise<boolean> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', 'demo').executeTakeFirst();
  return row?.value === 'true';
}
