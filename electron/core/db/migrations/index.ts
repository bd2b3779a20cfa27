import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation';
import * as m0002 from './0002_organizations';
import * as m0003 from './0003_venues';
import * as m0004 from './0004_custody';
import * as m0005 from './0005_training';
import * as m0006 from './0006_submission';
import * as m0007 from './0007_training_organizer';
import * as m0008 from './0008_organizations_list_indexes';
import * as m0009 from './0009_training_stat_cells';
import * as m0010 from './0010_custody_bank_cover';
import * as m0011 from './0011_venues_utilization_cover';
import * as m0012 from './0012_venues_waitlist';
import * as m0013 from './0013_venues_overlap_guard_index';
import * as m0014 from './0014_custody_seq_contiguous';
import * as m0015 from './0015_venues_report_indexes';
import * as m0016 from './0016_submission_custody_by_source';
import * as m0017 from './0017_admin_login_attempts';
import * as m0018 from './0018_custody_account_plan';
import * as m0019 from './0019_record_versions';
import * as m0020 from './0020_submission_signer_key';
import * as m0021 from './0021_office_lock';
import * as m0022 from './0022_venues_booking_rejected';
import * as m0023 from './0023_importing_label_mappings';
import * as m0024 from './0024_venues_hub_bookings';
import * as m0025 from './0025_custody_history_import';
import * as m0026 from './0026_custody_voucher_list_order';

/**
 * Every migration, in order, kept in code so bundling cannot lose one. Add one line per new migration
 * (numbers are global: 0002 organizations, 0003 venues, 0004 custody, 0005 training, 0006 submission;
 * later ones of an area take the next free number). Never edit a migration that has shipped.
 */
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_organizations': m0002,
  '0003_venues': m0003,
  '0004_custody': m0004,
  '0005_training': m0005,
  '0006_submission': m0006,
  '0007_training_organizer': m0007,
  '0008_organizations_list_indexes': m0008,
  '0009_training_stat_cells': m0009,
  '0010_custody_bank_cover': m0010,
  '0011_venues_utilization_cover': m0011,
  '0012_venues_waitlist': m0012,
  '0013_venues_overlap_guard_index': m0013,
  '0014_custody_seq_contiguous': m0014,
  '0015_venues_report_indexes': m0015,
  '0016_submission_custody_by_source': m0016,
  '0017_admin_login_attempts': m0017,
  '0018_custody_account_plan': m0018,
  '0019_record_versions': m0019,
  '0020_submission_signer_key': m0020,
  '0021_office_lock': m0021,
  '0022_venues_booking_rejected': m0022,
  '0023_importing_label_mappings': m0023,
  '0024_venues_hub_bookings': m0024,
  '0025_custody_history_import': m0025,
  '0026_custody_voucher_list_order': m0026,
};

export const LATEST_SCHEMA_VERSION = Object.keys(migrations).length;
