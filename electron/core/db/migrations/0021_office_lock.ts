import type { Kysely } from 'kysely';

/**
 * The office-wide operation lock (结账, 反结账, 从备份恢复, 数据库升级) as a row in the database, so every process
 * on the data file sees it: the office server, a second server, the CLI, the desktop app. At most one row
 * (`slot = 'office'`); it is taken and released inside write transactions, so a write that commits after the
 * operation began has seen it. `owner`/`host`/`pid`/`boot_at`/`heartbeat_at` let a process tell a lock left by a
 * crashed one (see `electron/core/api/operations.ts`).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('office_lock')
    .ifNotExists()
    .addColumn('slot', 'text', (c) => c.primaryKey())
    .addColumn('op_id', 'text', (c) => c.notNull())
    .addColumn('call_name', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('excludes_json', 'text', (c) => c.notNull())
    .addColumn('by_name', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('pid', 'integer', (c) => c.notNull())
    .addColumn('boot_at', 'text', (c) => c.notNull())
    .addColumn('heartbeat_at', 'text', (c) => c.notNull())
    .execute();
}
