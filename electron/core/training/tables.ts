/** Row types of the training tables (migration 0005_training). */
export interface TrainingPlanTable {
  id: string;
  year: number;
  title: string;
  target_total: number;
  note: string | null;
  created_at: string;
  updated_at: string;
}

export interface TrainingPlanTargetTable {
  plan_id: string;
  dimension: 'role' | 'category';
  code: string;
  person_times: number;
}

export interface TrainingSessionTable {
  id: string;
  title: string;
  category: string;
  format: string;
  date: string;
  start_time: string | null;
  minutes: number;
  trainer: string;
  capacity: number | null;
  venue_id: string | null;
  booking_id: string | null;
  /** Organization in whose name the venue is booked (migration 0007). */
  organizer_id: string | null;
  location: string | null;
  status: 'planned' | 'cancelled';
  note: string | null;
  created_at: string;
  updated_at: string;
  /** Raised by one with every change (0019; electron/core/api/versions.ts). */
  version: number;
}

export interface TrainingTraineeTable {
  id: string;
  name: string;
  name_key: string;
  phone: string | null;
  phone_digits: string | null;
  id_number: string | null;
  role: string;
  organization_id: string | null;
  unit_name: string | null;
  readings: string;
  note: string | null;
  created_at: string;
  updated_at: string;
  /** Raised by one with every change (0019; electron/core/api/versions.ts). */
  version: number;
}

export interface TrainingTraineeKeyTable {
  key: string;
  trainee_id: string;
}

export interface TrainingRegistrationTable {
  session_id: string;
  trainee_id: string;
  registered_at: string;
}

export interface TrainingAttendanceTable {
  session_id: string;
  trainee_id: string;
  status: 'present' | 'late' | 'excused' | 'absent';
  late_minutes: number;
  early_leave_minutes: number;
  credited_minutes: number;
  completed: number;
  remark: string | null;
  source: 'keyboard' | 'import' | 'manual';
  signed_in_at: string | null;
  session_date: string;
  category: string;
  format: string;
  role: string;
  organization_id: string | null;
  attended: number;
  recorded_by: string | null;
  updated_at: string;
}

export interface TrainingCertificateTable {
  serial: string;
  year: number;
  sequence: number;
  session_id: string;
  trainee_id: string;
  issued_at: string;
  issued_by: string | null;
}

export interface TrainingExamCandidateTable {
  id: string;
  trainee_id: string;
  year: number;
  level: 'assistant' | 'intermediate' | 'senior';
  note: string | null;
  created_at: string;
  updated_at: string;
}

export interface TrainingExamScoreTable {
  candidate_id: string;
  subject: string;
  score: number | null;
}

/** Statistics kept by the triggers of migration 0009_training_stat_cells (attended rows only). */
export interface TrainingStatCellTable {
  year: number;
  /** 'total' | 'role' | 'category' | 'format' | 'month' | 'organization' */
  dim: string;
  /** The dictionary code, 'YYYY-MM' for months, the organization id ('' when none), '' for the total. */
  key: string;
  person_times: number;
  persons: number;
  minutes: number;
}

export interface TrainingStatPersonCellTable {
  year: number;
  dim: string;
  key: string;
  trainee_id: string;
  n: number;
}

export interface TrainingTables {
  training_plans: TrainingPlanTable;
  training_plan_targets: TrainingPlanTargetTable;
  training_sessions: TrainingSessionTable;
  training_trainees: TrainingTraineeTable;
  training_trainee_keys: TrainingTraineeKeyTable;
  training_registrations: TrainingRegistrationTable;
  training_attendance: TrainingAttendanceTable;
  training_certificates: TrainingCertificateTable;
  training_exam_candidates: TrainingExamCandidateTable;
  training_exam_scores: TrainingExamScoreTable;
  training_stat_cells: TrainingStatCellTable;
  training_stat_person_cells: TrainingStatPersonCellTable;
}
