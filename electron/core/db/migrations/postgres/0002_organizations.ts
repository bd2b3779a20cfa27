import { sql, type Kysely } from 'kysely';
import { guardStatements, run } from './plpgsql';

/**
 * PostgreSQL form of 0002_organizations (same tables, CHECKs and indexes; the history triggers in PL/pgSQL).
 * Organizations area: the 台账, incubation history, activities, evaluations, reports/disclosures, attachments.
 * Enumerations are CHECKed here as a last line of defence behind the zod schemas; dictionary codes are not
 * (the hub edits dictionaries). Every statement is IF NOT EXISTS so a re-run is harmless.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS organizations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(trim(name)) >= 2),
    name_pinyin TEXT NOT NULL DEFAULT '',
    short_name TEXT,
    credit_code TEXT CHECK (credit_code IS NULL OR length(credit_code) = 18),
    credit_code_confirmed INTEGER NOT NULL DEFAULT 0 CHECK (credit_code_confirmed IN (0, 1)),
    credit_code_confirmed_by TEXT,
    credit_code_confirmed_at TEXT,
    mgmt_class TEXT NOT NULL CHECK (mgmt_class IN ('registered', 'filed', 'guided')),
    registered_kind TEXT CHECK (registered_kind IS NULL OR registered_kind IN ('social_group', 'social_service', 'foundation')),
    region_code TEXT,
    street TEXT,
    community TEXT,
    area_type TEXT CHECK (area_type IS NULL OR area_type IN ('urban', 'rural')),
    field_code TEXT,
    people_served TEXT NOT NULL DEFAULT '[]',
    leader_name TEXT,
    leader_phone TEXT,
    contact_name TEXT,
    contact_phone TEXT,
    member_count INTEGER CHECK (member_count IS NULL OR member_count >= 0),
    volunteer_count INTEGER CHECK (volunteer_count IS NULL OR volunteer_count >= 0),
    founded_date TEXT,
    charter_adopted INTEGER NOT NULL DEFAULT 0 CHECK (charter_adopted IN (0, 1)),
    party_in_charter INTEGER NOT NULL DEFAULT 0 CHECK (party_in_charter IN (0, 1)),
    party_org_form TEXT NOT NULL DEFAULT 'none' CHECK (party_org_form IN ('standalone', 'joint', 'instructor', 'none')),
    party_instructor TEXT,
    mass_orgs TEXT NOT NULL DEFAULT '[]',
    marks TEXT NOT NULL DEFAULT '[]',
    fixed_activity_time TEXT,
    fixed_activity_place TEXT,
    remark TEXT,
    incubation_stage TEXT CHECK (incubation_stage IS NULL OR incubation_stage IN ('applied', 'admitted', 'incubating', 'graduated', 'withdrawn')),
    incubation_date TEXT,
    incubation_mode TEXT CHECK (incubation_mode IS NULL OR incubation_mode IN ('physical', 'virtual')),
    admitted_date TEXT,
    mentor TEXT,
    agreement_end TEXT,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'withdrawn')),
    withdrawn_date TEXT,
    withdrawn_reason TEXT,
    search_text TEXT NOT NULL DEFAULT '',
    activity_count INTEGER NOT NULL DEFAULT 0,
    last_activity_date TEXT,
    latest_grade TEXT,
    latest_eval_year INTEGER,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    CHECK (status = 'active' OR (withdrawn_date IS NOT NULL AND withdrawn_reason IS NOT NULL))
  )`.execute(db);
  // Two organizations never share a code (checked in the service too, for a friendly message).
  await sql`CREATE UNIQUE INDEX IF NOT EXISTS organizations_credit_code ON organizations (credit_code) WHERE credit_code IS NOT NULL`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS organizations_name_street ON organizations (name, street)`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS organizations_name_pinyin ON organizations (name_pinyin)`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS organizations_updated ON organizations (updated_at)`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS organizations_street ON organizations (street, community)`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS organizations_class ON organizations (mgmt_class)`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS organizations_stage ON organizations (incubation_stage, incubation_date)`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS organizations_status ON organizations (status)`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS organizations_field ON organizations (field_code)`.execute(db);

  await sql`CREATE TABLE IF NOT EXISTS org_incubation_events (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organizations (id),
    from_stage TEXT,
    to_stage TEXT NOT NULL CHECK (to_stage IN ('applied', 'admitted', 'incubating', 'graduated', 'withdrawn')),
    date TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    reason TEXT NOT NULL,
    mode TEXT,
    space TEXT,
    mentor TEXT,
    agreement_start TEXT,
    agreement_end TEXT,
    recorded_by TEXT,
    recorded_at TEXT NOT NULL
  )`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS org_incubation_events_org ON org_incubation_events (org_id, recorded_at)`.execute(db);
  // History is kept: an incubation event is never rewritten.
  await run(db, [
    ...guardStatements({ name: 'org_incubation_events_no_update', table: 'org_incubation_events', on: 'UPDATE', message: '孵化记录不可修改' }),
    ...guardStatements({ name: 'org_incubation_events_no_delete', table: 'org_incubation_events', on: 'DELETE', message: '孵化记录不可删除' }),
  ]);

  await sql`CREATE TABLE IF NOT EXISTS org_activities (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organizations (id),
    title TEXT NOT NULL,
    series_code TEXT NOT NULL,
    kind_code TEXT,
    date TEXT NOT NULL,
    place TEXT,
    expected_attendance INTEGER CHECK (expected_attendance IS NULL OR expected_attendance >= 0),
    actual_attendance INTEGER CHECK (actual_attendance IS NULL OR actual_attendance >= 0),
    volunteer_count INTEGER CHECK (volunteer_count IS NULL OR volunteer_count >= 0),
    people_served TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'held', 'cancelled')),
    is_major INTEGER NOT NULL DEFAULT 0 CHECK (is_major IN (0, 1)),
    report_filed_date TEXT,
    report_note TEXT,
    description TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    -- the rule behind "cannot be marked held without its report", also enforced where the data is written
    CHECK (NOT (status = 'held' AND is_major = 1 AND (report_filed_date IS NULL OR report_filed_date >= date)))
  )`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS org_activities_org ON org_activities (org_id, date)`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS org_activities_date ON org_activities (date)`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS org_activities_major ON org_activities (is_major, status, date)`.execute(db);

  await sql`CREATE TABLE IF NOT EXISTS org_evaluations (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organizations (id),
    year INTEGER NOT NULL,
    basic_x10 INTEGER NOT NULL CHECK (basic_x10 >= 0),
    activities_x10 INTEGER NOT NULL CHECK (activities_x10 >= 0),
    contribution_x10 INTEGER NOT NULL CHECK (contribution_x10 >= 0),
    influence_x10 INTEGER NOT NULL CHECK (influence_x10 >= 0),
    total_x10 INTEGER NOT NULL CHECK (total_x10 = basic_x10 + activities_x10 + contribution_x10 + influence_x10),
    grade TEXT NOT NULL,
    evaluator TEXT,
    remark TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (org_id, year)
  )`.execute(db);

  await sql`CREATE TABLE IF NOT EXISTS org_reports (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organizations (id),
    kind TEXT NOT NULL CHECK (kind IN ('work_report', 'disclosure')),
    date TEXT NOT NULL,
    title TEXT NOT NULL,
    content TEXT,
    recipient TEXT,
    created_by TEXT,
    created_at TEXT NOT NULL
  )`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS org_reports_org ON org_reports (org_id, date)`.execute(db);

  await sql`CREATE TABLE IF NOT EXISTS org_attachments (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organizations (id),
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
    file_name TEXT NOT NULL,
    size BIGINT NOT NULL CHECK (size >= 0),
    mime_type TEXT NOT NULL,
    uploaded_by TEXT,
    uploaded_at TEXT NOT NULL
  )`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS org_attachments_org ON org_attachments (org_id, uploaded_at)`.execute(db);
}
