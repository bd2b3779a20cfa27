/** Row types of the venues area (migration 0003_venues). Datetimes are local China 'YYYY-MM-DDTHH:mm'. */
export interface VenueTable {
  id: string;
  name: string;
  /** Code of the `venue_host_type` dictionary (街道/社区综合服务设施, 社会工作服务站, 党群服务中心). */
  host_type_code: string;
  /** The facility's own name, e.g. 玉林街道党群服务中心. */
  host_name: string;
  address: string;
  capacity: number;
  equipment_json: string; // JSON string[]
  bookable: number; // 0/1
  opening_hours_json: string; // JSON WeeklyHours
  closed_json: string; // JSON ClosedPeriod[]
  min_length_minutes: number | null;
  max_length_minutes: number | null;
  min_notice_minutes: number | null;
  max_notice_days: number | null;
  approval_required: number; // 0/1
  quotas_json: string; // JSON Quota[]
  note: string;
  created_at: string;
  updated_at: string;
  /** Raised by one with every change (0019; electron/core/api/versions.ts). */
  version: number;
}

export interface VenueBookingSeriesTable {
  id: string;
  venue_id: string;
  /** null: the hub's own series (本基地, migration 0024). */
  organization_id: string | null;
  recurrence_kind: string; // once | weekly | biweekly
  until_date: string | null;
  skip_json: string; // JSON LocalDate[]
  created_by: string | null;
  created_at: string;
}

export interface VenueBookingTable {
  id: string;
  series_id: string;
  /** Position in the series (0 for one-off bookings). */
  occ_index: number;
  venue_id: string;
  /** null: the hub's own booking (本基地主办, migration 0024). */
  organization_id: string | null;
  start_at: string;
  end_at: string;
  state: string; // BookingState
  purpose: string;
  activity_series_code: string | null;
  activity_kind_code: string | null;
  expected_attendance: number;
  /** The organization's activity record this booking is for (its major-activity report is checked). */
  activity_id: string | null;
  /** Who made it: 'venues' (the booking screens) or another area that books through the same rule. */
  source: string;
  source_ref: string | null;
  cancel_reason: string | null;
  /** 1 when an approver refused the request (驳回, migration 0022); the reason is in cancel_reason. */
  rejected: number;
  decided_by: string | null;
  decided_at: string | null;
  sequence: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  /** Raised by one with every change (0019; electron/core/api/versions.ts). */
  version: number;
}

/** The waiting list (migration 0012): a wish for a slot an approved booking holds. */
export interface VenueWaitlistTable {
  id: string;
  venue_id: string;
  organization_id: string;
  start_at: string;
  end_at: string;
  purpose: string;
  expected_attendance: number;
  activity_series_code: string | null;
  activity_kind_code: string | null;
  activity_id: string | null;
  state: string; // waiting | booked | withdrawn
  booking_id: string | null;
  withdraw_reason: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface VenuesTables {
  venues: VenueTable;
  venue_booking_series: VenueBookingSeriesTable;
  venue_bookings: VenueBookingTable;
  venue_waitlist: VenueWaitlistTable;
}
