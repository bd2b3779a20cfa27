import type { Migration } from 'kysely';
import * as s0001 from './0001_foundation';
import * as p0001 from './postgres/0001_foundation';
import * as s0002 from './0002_organizations';
import * as p0002 from './postgres/0002_organizations';
import * as s0003 from './0003_venues';
import * as p0003 from './postgres/0003_venues';
import * as s0004 from './0004_custody';
import * as p0004 from './postgres/0004_custody';
import * as s0005 from './0005_training';
import * as p0005 from './postgres/0005_training';
import * as s0006 from './0006_submission';
import * as p0006 from './postgres/0006_submission';
import * as s0007 from './0007_training_organizer';
import * as p0007 from './postgres/0007_training_organizer';
import * as s0008 from './0008_organizations_list_indexes';
import * as p0008 from './postgres/0008_organizations_list_indexes';
import * as s0009 from './0009_training_stat_cells';
import * as p0009 from './postgres/0009_training_stat_cells';
import * as s0010 from './0010_custody_bank_cover';
import * as p0010 from './postgres/0010_custody_bank_cover';
import * as s0011 from './0011_venues_utilization_cover';
import * as p0011 from './postgres/0011_venues_utilization_cover';
import * as s0012 from './0012_venues_waitlist';
import * as p0012 from './postgres/0012_venues_waitlist';
import * as s0013 from './0013_venues_overlap_guard_index';
import * as p0013 from './postgres/0013_venues_overlap_guard_index';
import * as s0014 from './0014_custody_seq_contiguous';
import * as p0014 from './postgres/0014_custody_seq_contiguous';
import * as s0015 from './0015_venues_report_indexes';
import * as p0015 from './postgres/0015_venues_report_indexes';
import * as s0016 from './0016_submission_custody_by_source';
import * as p0016 from './postgres/0016_submission_custody_by_source';
import * as s0017 from './0017_admin_login_attempts';
import * as p0017 from './postgres/0017_admin_login_attempts';
import * as s0018 from './0018_custody_account_plan';
import * as p0018 from './postgres/0018_custody_account_plan';
import * as s0019 from './0019_record_versions';
import * as p0019 from './postgres/0019_record_versions';
import * as s0020 from './0020_submission_signer_key';
import * as p0020 from './postgres/0020_submission_signer_key';
import * as s0021 from './0021_office_lock';
import * as p0021 from './postgres/0021_office_lock';
import * as s0022 from './0022_venues_booking_rejected';
import * as p0022 from './postgres/0022_venues_booking_rejected';
import * as s0023 from './0023_importing_label_mappings';
import * as p0023 from './postgres/0023_importing_label_mappings';
import * as s0024 from './0024_venues_hub_bookings';
import * as p0024 from './postgres/0024_venues_hub_bookings';
import * as s0025 from './0025_custody_history_import';
import * as p0025 from './postgres/0025_custody_history_import';
import * as s0026 from './0026_custody_voucher_list_order';
import * as p0026 from './postgres/0026_custody_voucher_list_order';
import * as s0027 from './0027_venues_waitlist_queue';
import * as p0027 from './postgres/0027_venues_waitlist_queue';

/**
 * THE list of migrations, in the order they run: one row per migration, its name, its SQLite form and its
 * PostgreSQL twin (`./postgres/<same name>.ts`). Both engines' indexes are read off this list, so a migration
 * without its twin does not compile and the two can never drift. Kept in code so bundling cannot lose one.
 * A new migration: two imports and one row here (numbers are global: take the next free one; never edit a
 * migration that has shipped).
 */
export const MIGRATIONS: readonly (readonly [name: string, sqlite: Migration, postgres: Migration])[] = [
  ['0001_foundation', s0001, p0001],
  ['0002_organizations', s0002, p0002],
  ['0003_venues', s0003, p0003],
  ['0004_custody', s0004, p0004],
  ['0005_training', s0005, p0005],
  ['0006_submission', s0006, p0006],
  ['0007_training_organizer', s0007, p0007],
  ['0008_organizations_list_indexes', s0008, p0008],
  ['0009_training_stat_cells', s0009, p0009],
  ['0010_custody_bank_cover', s0010, p0010],
  ['0011_venues_utilization_cover', s0011, p0011],
  ['0012_venues_waitlist', s0012, p0012],
  ['0013_venues_overlap_guard_index', s0013, p0013],
  ['0014_custody_seq_contiguous', s0014, p0014],
  ['0015_venues_report_indexes', s0015, p0015],
  ['0016_submission_custody_by_source', s0016, p0016],
  ['0017_admin_login_attempts', s0017, p0017],
  ['0018_custody_account_plan', s0018, p0018],
  ['0019_record_versions', s0019, p0019],
  ['0020_submission_signer_key', s0020, p0020],
  ['0021_office_lock', s0021, p0021],
  ['0022_venues_booking_rejected', s0022, p0022],
  ['0023_importing_label_mappings', s0023, p0023],
  ['0024_venues_hub_bookings', s0024, p0024],
  ['0025_custody_history_import', s0025, p0025],
  ['0026_custody_voucher_list_order', s0026, p0026],
  ['0027_venues_waitlist_queue', s0027, p0027],
];
