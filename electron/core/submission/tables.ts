/** Row types of the submission area (migration 0006_submission). Money columns are INTEGER fen. */
export interface SubBuildTable {
  id: string;
  package_id: string;
  kind: string;
  period: string;
  created_at: string;
  file_name: string;
  file_size: number;
  manifest_sha256: string;
  record_counts_json: string;
  measures_json: string;
  confirmed_warnings_json: string;
  built_by: string | null;
}

export interface SubMemberHubTable {
  id: string;
  hub_id: string;
  name: string;
  region_code: string;
  level: string;
  public_key_pem: string;
  fingerprint: string;
  contact: string;
  note: string;
  active: number;
  registered_at: string;
  updated_at: string;
}

export interface SubMemberOrgTable {
  id: string;
  name: string;
  credit_code: string | null;
  member_type: string;
  contact_name: string;
  contact_phone: string;
  joined_on: string;
  annual_dues_fen: number;
  status: string;
  left_on: string | null;
  note: string;
  created_at: string;
  updated_at: string;
}

export interface SubMemberDuesTable {
  id: string;
  member_org_id: string;
  year: number;
  amount_fen: number;
  paid_on: string;
  receipt_no: string;
  recorded_by: string | null;
  recorded_at: string;
}

export interface SubPackageTable {
  package_id: string;
  hub_id: string;
  hub_name: string;
  region_code: string;
  level: string;
  period: string;
  kind: string;
  created_at: string;
  manifest_sha256: string;
  manifest_json: string;
  signer_fingerprint: string;
  /** PEM of the key that verified the package (0020); NULL for packages imported before. */
  signer_key_pem: string | null;
  file_name: string;
  file_size: number;
  record_counts_json: string;
  status: string;
  superseded_by: string | null;
  imported_at: string;
  imported_by: string | null;
}

export interface SubPackageOriginTable {
  package_id: string;
  origin_hub_id: string;
  hub_name: string;
  region_code: string;
  level: string;
  period: string;
  origin_package_id: string;
  origin_created_at: string;
}

export interface SubRecordTable {
  package_id: string;
  table_name: string;
  gid: string;
  origin_hub_id: string;
  data_json: string;
}

export interface SubmissionTables {
  sub_builds: SubBuildTable;
  sub_member_hubs: SubMemberHubTable;
  sub_member_orgs: SubMemberOrgTable;
  sub_member_dues: SubMemberDuesTable;
  sub_packages: SubPackageTable;
  sub_package_origins: SubPackageOriginTable;
  sub_records: SubRecordTable;
}
