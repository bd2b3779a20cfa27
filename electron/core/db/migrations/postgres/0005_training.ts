import { sql, type Kysely } from 'kysely';

/**
 * PostgreSQL form of 0005_training (same tables; PostgreSQL has no rowid-less tables: the WITHOUT ROWID is dropped).
 *
 * Training (人员培训): yearly plans with targets, sessions, trainees (with search keys for the sign-in
 * lookup), registrations, attendance, certificates, social-work exam candidates and scores.
 *
 * Attendance rows carry copies of the session's date, category and format and of the trainee's role and
 * organization at the time of the training, so the person-time statistics are single-table GROUP BYs
 * over covering indexes; the session copies are rewritten in the same transaction when a session changes.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS training_plans (
    id TEXT PRIMARY KEY,
    year INTEGER NOT NULL UNIQUE CHECK (year BETWEEN 2000 AND 2100),
    title TEXT NOT NULL,
    target_total INTEGER NOT NULL CHECK (target_total >= 0),
    note TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  )`.execute(db);
  await sql`CREATE TABLE IF NOT EXISTS training_plan_targets (
    plan_id TEXT NOT NULL REFERENCES training_plans(id),
    dimension TEXT NOT NULL CHECK (dimension IN ('role', 'category')),
    code TEXT NOT NULL,
    person_times INTEGER NOT NULL CHECK (person_times >= 0),
    PRIMARY KEY (plan_id, dimension, code)
  )`.execute(db);

  await sql`CREATE TABLE IF NOT EXISTS training_sessions (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    category TEXT NOT NULL,
    format TEXT NOT NULL,
    date TEXT NOT NULL,
    start_time TEXT,
    minutes INTEGER NOT NULL CHECK (minutes > 0 AND minutes <= 1440),
    trainer TEXT NOT NULL,
    capacity INTEGER CHECK (capacity IS NULL OR capacity > 0),
    venue_id TEXT,
    booking_id TEXT,
    location TEXT,
    status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'cancelled')),
    note TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  )`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS training_sessions_date ON training_sessions (date, id)`.execute(db);

  await sql`CREATE TABLE IF NOT EXISTS training_trainees (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    phone TEXT,
    phone_digits TEXT,
    id_number TEXT,
    role TEXT NOT NULL,
    organization_id TEXT,
    unit_name TEXT,
    readings TEXT NOT NULL,
    note TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  )`.execute(db);
  // The dedupe rule, enforced where the data is written: one person per ID number, one per name + phone.
  await sql`CREATE UNIQUE INDEX IF NOT EXISTS training_trainees_id_number ON training_trainees (id_number) WHERE id_number IS NOT NULL`.execute(db);
  await sql`CREATE UNIQUE INDEX IF NOT EXISTS training_trainees_name_phone ON training_trainees (name_key, phone) WHERE phone IS NOT NULL`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS training_trainees_org ON training_trainees (organization_id)`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS training_trainees_name ON training_trainees (name_key)`.execute(db);

  // Sign-in lookup keys (see shared/training/signinMatch.ts): every lookup is a few prefix range scans.
  await sql`CREATE TABLE IF NOT EXISTS training_trainee_keys (
    key TEXT NOT NULL,
    trainee_id TEXT NOT NULL REFERENCES training_trainees(id),
    PRIMARY KEY (key, trainee_id)
  )`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS training_trainee_keys_trainee ON training_trainee_keys (trainee_id)`.execute(db);

  await sql`CREATE TABLE IF NOT EXISTS training_registrations (
    session_id TEXT NOT NULL REFERENCES training_sessions(id),
    trainee_id TEXT NOT NULL REFERENCES training_trainees(id),
    registered_at TEXT NOT NULL,
    PRIMARY KEY (session_id, trainee_id)
  )`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS training_registrations_trainee ON training_registrations (trainee_id)`.execute(db);

  await sql`CREATE TABLE IF NOT EXISTS training_attendance (
    session_id TEXT NOT NULL REFERENCES training_sessions(id),
    trainee_id TEXT NOT NULL REFERENCES training_trainees(id),
    status TEXT NOT NULL CHECK (status IN ('present', 'late', 'excused', 'absent')),
    late_minutes INTEGER NOT NULL DEFAULT 0 CHECK (late_minutes >= 0),
    early_leave_minutes INTEGER NOT NULL DEFAULT 0 CHECK (early_leave_minutes >= 0),
    credited_minutes INTEGER NOT NULL DEFAULT 0 CHECK (credited_minutes >= 0),
    completed INTEGER NOT NULL DEFAULT 0,
    remark TEXT,
    source TEXT NOT NULL CHECK (source IN ('keyboard', 'import', 'manual')),
    signed_in_at TEXT,
    session_date TEXT NOT NULL,
    category TEXT NOT NULL,
    format TEXT NOT NULL,
    role TEXT NOT NULL,
    organization_id TEXT,
    attended INTEGER NOT NULL,
    recorded_by TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (session_id, trainee_id)
  )`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS training_attendance_trainee ON training_attendance (trainee_id, session_date)`.execute(db);
  // Covering indexes of the statistics page, one per dimension.
  for (const dim of ['role', 'category', 'format', 'organization_id']) {
    await sql.raw(`CREATE INDEX IF NOT EXISTS training_attendance_stat_${dim} ON training_attendance
      (attended, session_date, ${dim}, trainee_id, credited_minutes)`).execute(db);
  }

  await sql`CREATE TABLE IF NOT EXISTS training_certificates (
    serial TEXT PRIMARY KEY,
    year INTEGER NOT NULL,
    sequence INTEGER NOT NULL,
    session_id TEXT NOT NULL REFERENCES training_sessions(id),
    trainee_id TEXT NOT NULL REFERENCES training_trainees(id),
    issued_at TEXT NOT NULL,
    issued_by TEXT,
    UNIQUE (session_id, trainee_id),
    UNIQUE (year, sequence)
  )`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS training_certificates_trainee ON training_certificates (trainee_id)`.execute(db);

  await sql`CREATE TABLE IF NOT EXISTS training_exam_candidates (
    id TEXT PRIMARY KEY,
    trainee_id TEXT NOT NULL REFERENCES training_trainees(id),
    year INTEGER NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('assistant', 'intermediate', 'senior')),
    note TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (trainee_id, year, level)
  )`.execute(db);
  await sql`CREATE TABLE IF NOT EXISTS training_exam_scores (
    candidate_id TEXT NOT NULL REFERENCES training_exam_candidates(id),
    subject TEXT NOT NULL,
    score INTEGER CHECK (score IS NULL OR score >= 0),
    PRIMARY KEY (candidate_id, subject)
  )`.execute(db);
}
