import { sql, type Kysely } from 'kysely';
import { guardStatements, run } from './plpgsql';

/**
 * PostgreSQL form of 0006_submission (same tables; the append-only rules as PL/pgSQL triggers).
 *
 * Upstream submission and federations (上报与汇总).
 * - sub_builds: the packages this hub built (what was sent, when, by whom, which warnings were confirmed).
 * - sub_member_hubs: lower hubs registered with their Ed25519 public key; only their packages are accepted.
 * - sub_member_orgs / sub_member_dues: member organizations (会员单位) of a federation and their dues.
 * - sub_packages / sub_package_origins / sub_records: imported packages, kept whole (a superseded package is
 *   kept, marked, never deleted), with their records as JSON keyed by global id. The consolidated view is
 *   computed from the active packages by the pure merge rules (shared/submission/merge.ts).
 * The hub's private key is NOT in the database: it lives in `<dataDir>/keys/` with owner-only permissions.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS sub_builds (
    id TEXT PRIMARY KEY,
    package_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('hub', 'consolidated')),
    period TEXT NOT NULL,
    created_at TEXT NOT NULL,
    file_name TEXT NOT NULL,
    file_size BIGINT NOT NULL,
    manifest_sha256 TEXT NOT NULL,
    record_counts_json TEXT NOT NULL,
    measures_json TEXT NOT NULL,
    confirmed_warnings_json TEXT NOT NULL DEFAULT '[]',
    built_by TEXT
  )`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS sub_builds_period ON sub_builds (period, created_at)`.execute(db);

  await sql`CREATE TABLE IF NOT EXISTS sub_member_hubs (
    id TEXT PRIMARY KEY,
    hub_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    region_code TEXT NOT NULL CHECK (length(region_code) = 12),
    level TEXT NOT NULL CHECK (level IN ('province', 'city', 'county', 'township', 'village')),
    public_key_pem TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    contact TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    registered_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  )`.execute(db);

  await sql`CREATE TABLE IF NOT EXISTS sub_member_orgs (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    credit_code TEXT,
    member_type TEXT NOT NULL DEFAULT 'unit' CHECK (member_type IN ('unit', 'council', 'standing')),
    contact_name TEXT NOT NULL DEFAULT '',
    contact_phone TEXT NOT NULL DEFAULT '',
    joined_on TEXT NOT NULL,
    annual_dues_fen BIGINT NOT NULL CHECK (annual_dues_fen >= 0),
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'left')),
    left_on TEXT,
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  )`.execute(db);
  await sql`CREATE UNIQUE INDEX IF NOT EXISTS sub_member_orgs_code ON sub_member_orgs (credit_code) WHERE credit_code IS NOT NULL`.execute(db);

  await sql`CREATE TABLE IF NOT EXISTS sub_member_dues (
    id TEXT PRIMARY KEY,
    member_org_id TEXT NOT NULL REFERENCES sub_member_orgs(id),
    year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
    paid_on TEXT NOT NULL,
    receipt_no TEXT NOT NULL DEFAULT '',
    recorded_by TEXT,
    recorded_at TEXT NOT NULL
  )`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS sub_member_dues_org ON sub_member_dues (member_org_id, year)`.execute(db);
  // Payments are facts: corrected by a new entry, never rewritten.
  await run(db, guardStatements({ name: 'sub_member_dues_no_update', table: 'sub_member_dues', on: 'UPDATE', message: '会费缴纳记录不可修改' }));

  await sql`CREATE TABLE IF NOT EXISTS sub_packages (
    package_id TEXT PRIMARY KEY,
    hub_id TEXT NOT NULL,
    hub_name TEXT NOT NULL,
    region_code TEXT NOT NULL,
    level TEXT NOT NULL,
    period TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('hub', 'consolidated')),
    created_at TEXT NOT NULL,
    manifest_sha256 TEXT NOT NULL,
    manifest_json TEXT NOT NULL,
    signer_fingerprint TEXT NOT NULL,
    file_name TEXT NOT NULL,
    file_size BIGINT NOT NULL,
    record_counts_json TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'superseded')),
    superseded_by TEXT,
    imported_at TEXT NOT NULL,
    imported_by TEXT
  )`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS sub_packages_slot ON sub_packages (period, hub_id, status)`.execute(db);
  await run(db, guardStatements({ name: 'sub_packages_no_delete', table: 'sub_packages', on: 'DELETE', message: '已导入的上报包不可删除(被取代的包也保留)' }));

  await sql`CREATE TABLE IF NOT EXISTS sub_package_origins (
    package_id TEXT NOT NULL REFERENCES sub_packages(package_id),
    origin_hub_id TEXT NOT NULL,
    hub_name TEXT NOT NULL,
    region_code TEXT NOT NULL,
    level TEXT NOT NULL,
    period TEXT NOT NULL,
    origin_package_id TEXT NOT NULL,
    origin_created_at TEXT NOT NULL,
    PRIMARY KEY (package_id, origin_hub_id)
  )`.execute(db);

  await sql`CREATE TABLE IF NOT EXISTS sub_records (
    package_id TEXT NOT NULL REFERENCES sub_packages(package_id),
    table_name TEXT NOT NULL,
    gid TEXT NOT NULL,
    origin_hub_id TEXT NOT NULL,
    data_json TEXT NOT NULL,
    PRIMARY KEY (package_id, table_name, gid)
  )`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS sub_records_gid ON sub_records (table_name, gid)`.execute(db);
  await run(db, guardStatements({ name: 'sub_records_no_update', table: 'sub_records', on: 'UPDATE', message: '导入的记录不可修改' }));
}
