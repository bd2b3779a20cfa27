/** Row types of the organizations area (migration 0002_organizations). */

export interface OrganizationTable {
  id: string;
  name: string;
  /** Full pinyin of the name, for sorting by name the way Chinese lists are sorted. */
  name_pinyin: string;
  short_name: string | null;
  credit_code: string | null;
  /** 1 when a code failing its check was kept because the user confirmed it against the certificate. */
  credit_code_confirmed: number;
  credit_code_confirmed_by: string | null;
  credit_code_confirmed_at: string | null;
  mgmt_class: string;
  registered_kind: string | null;
  region_code: string | null;
  street: string | null;
  community: string | null;
  area_type: string | null;
  field_code: string | null;
  /** JSON array of people_served dictionary codes. */
  people_served: string;
  leader_name: string | null;
  leader_phone: string | null;
  contact_name: string | null;
  contact_phone: string | null;
  member_count: number | null;
  volunteer_count: number | null;
  founded_date: string | null;
  charter_adopted: number;
  party_in_charter: number;
  party_org_form: string;
  party_instructor: string | null;
  /** JSON array of MassOrg. */
  mass_orgs: string;
  /** JSON array of OrgMark. */
  marks: string;
  fixed_activity_time: string | null;
  fixed_activity_place: string | null;
  remark: string | null;
  // incubation, denormalized from org_incubation_events (kept in the same transaction)
  incubation_stage: string | null;
  incubation_date: string | null;
  incubation_mode: string | null;
  admitted_date: string | null;
  mentor: string | null;
  agreement_end: string | null;
  status: string;
  withdrawn_date: string | null;
  withdrawn_reason: string | null;
  /** Lower-case haystack for the search box: name, short name, code, leader, pinyin keys. */
  search_text: string;
  // derived from activities and evaluations (kept in the same transaction as their writes)
  activity_count: number;
  last_activity_date: string | null;
  latest_grade: string | null;
  latest_eval_year: number | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface IncubationEventTable {
  id: string;
  org_id: string;
  from_stage: string | null;
  to_stage: string;
  date: string;
  decided_by: string;
  reason: string;
  mode: string | null;
  space: string | null;
  mentor: string | null;
  agreement_start: string | null;
  agreement_end: string | null;
  recorded_by: string | null;
  recorded_at: string;
}

export interface OrgActivityTable {
  id: string;
  org_id: string;
  title: string;
  series_code: string;
  kind_code: string | null;
  date: string;
  place: string | null;
  expected_attendance: number | null;
  actual_attendance: number | null;
  volunteer_count: number | null;
  /** JSON array of people_served codes. */
  people_served: string;
  status: string;
  /** 1 when the activity is major under the hub's rule at the time of the last write. */
  is_major: number;
  report_filed_date: string | null;
  report_note: string | null;
  description: string | null;
  created_at: string;
  updated_at: string;
}

export interface OrgEvaluationTable {
  id: string;
  org_id: string;
  year: number;
  /** Scores in tenths of a point (integers, like money in fen). */
  basic_x10: number;
  activities_x10: number;
  contribution_x10: number;
  influence_x10: number;
  total_x10: number;
  grade: string;
  evaluator: string | null;
  remark: string | null;
  created_at: string;
  updated_at: string;
}

/** Work reports to the 村(社区)"两委" and information disclosures (信息公开). */
export interface OrgReportTable {
  id: string;
  org_id: string;
  kind: string;
  date: string;
  title: string;
  content: string | null;
  recipient: string | null;
  created_by: string | null;
  created_at: string;
}

export interface OrgAttachmentTable {
  id: string;
  org_id: string;
  sha256: string;
  file_name: string;
  size: number;
  mime_type: string;
  uploaded_by: string | null;
  uploaded_at: string;
}

export interface OrganizationsTables {
  organizations: OrganizationTable;
  org_incubation_events: IncubationEventTable;
  org_activities: OrgActivityTable;
  org_evaluations: OrgEvaluationTable;
  org_reports: OrgReportTable;
  org_attachments: OrgAttachmentTable;
}
