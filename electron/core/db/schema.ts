import type { Generated } from 'kysely';
import type { CustodyTables } from '../custody/tables';
import type { TrainingTables } from '../training/tables';
import type { OrganizationsTables } from '../organizations/tables';
import type { VenuesTables } from '../venues/tables';
import type { SubmissionTables } from '../submission/tables';

/**
 * Row types of the foundation tables. Each area declares its own tables in `electron/core/<area>/tables.ts`
 * and adds them to `Database` below (one line each).
 */
export interface HubTable {
  id: number; // always 1
  hub_id: string;
  name: string;
  region_code: string;
  level: string;
  created_at: string;
}

export interface SettingTable {
  key: string;
  value: string; // JSON
}

export interface UserTable {
  id: string;
  username: string;
  display_name: string;
  roles: string; // JSON array of Role
  password_hash: string;
  disabled: number;
  failed_attempts: number;
  locked_until: string | null;
  last_login_at: string | null;
  created_at: string;
  updated_at: string;
  /** Raised by one with every change (0019; electron/core/api/versions.ts). */
  version: number;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  user_id: string | null;
  username: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  summary: string;
  before_json: string | null;
  after_json: string | null;
}

export interface DictionaryEntryTable {
  kind: string;
  code: string;
  label: string;
  sort_order: number;
  active: number;
}

/** Saved grid views per user and screen (column state, filters). */
export interface SavedViewTable {
  id: string;
  user_id: string;
  screen: string;
  name: string;
  state_json: string;
  created_at: string;
}

/** Remembered column mappings of importers, per importer and source signature. */
export interface ImportMappingTable {
  importer: string;
  source_key: string;
  mapping_json: string;
  updated_at: string;
}

/** A remembered label mapping of the import mapping step (0023). */
export interface ImportLabelMappingTable {
  vocabulary: string;
  label: string;
  code: string;
  updated_at: string;
}

/** Failed-login counts of usernames without an account (0017). */
export interface LoginAttemptTable {
  username_key: string;
  failed_attempts: number;
  locked_until: string | null;
  updated_at: string;
}

/** The office-wide operation running now, seen by every process on the file (0021; api/operations.ts). */
export interface OfficeLockTable {
  slot: string;
  op_id: string;
  call_name: string;
  label: string;
  excludes_json: string;
  by_name: string;
  started_at: string;
  owner: string;
  host: string;
  pid: number;
  boot_at: string;
  heartbeat_at: string;
}

export interface FoundationTables {
  hub: HubTable;
  settings: SettingTable;
  users: UserTable;
  audit_log: AuditLogTable;
  dictionary_entries: DictionaryEntryTable;
  saved_views: SavedViewTable;
  import_mappings: ImportMappingTable;
  import_label_mappings: ImportLabelMappingTable;
  login_attempts: LoginAttemptTable;
  office_lock: OfficeLockTable;
}

// Area tables are merged in here, one `extends` each.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Database extends FoundationTables, TrainingTables, CustodyTables, OrganizationsTables, VenuesTables, SubmissionTables {}
