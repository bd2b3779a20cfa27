/**
 * Certificates (结业证书): one per trainee and session, issued only to those who completed it, with a
 * serial number unique across the hub: PX-<year of the session>-<six-digit sequence within that year>.
 */
import { countsAsAttended, type AttendanceStatus } from './attendance';

export const SERIAL_PREFIX = 'PX';
const SERIAL_RE = /^PX-(\d{4})-(\d{6})$/;
export const MAX_SERIAL_SEQUENCE = 999_999;

export function formatCertificateSerial(year: number, sequence: number): string {
  if (!Number.isInteger(year) || year < 2000 || year > 9999) throw new Error(`bad certificate year ${year}`);
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > MAX_SERIAL_SEQUENCE) {
    throw new Error(`certificate sequence ${sequence} out of range 1..${MAX_SERIAL_SEQUENCE}`);
  }
  return `${SERIAL_PREFIX}-${year}-${String(sequence).padStart(6, '0')}`;
}

export function parseCertificateSerial(serial: string): { year: number; sequence: number } | null {
  const m = SERIAL_RE.exec(serial.trim().toUpperCase());
  if (!m) return null;
  const sequence = Number(m[2]);
  if (sequence < 1) return null;
  return { year: Number(m[1]), sequence };
}

/**
 * The next serials of a year, given the highest sequence already used in that year (0 if none).
 * Serials are never reused, so a revoked certificate leaves a gap.
 */
export function nextCertificateSerials(year: number, maxUsedSequence: number, count: number): string[] {
  if (maxUsedSequence + count > MAX_SERIAL_SEQUENCE) {
    throw new Error(`${year}年证书编号已用尽（最多${MAX_SERIAL_SEQUENCE}个）`);
  }
  return Array.from({ length: count }, (_, i) => formatCertificateSerial(year, maxUsedSequence + i + 1));
}

export interface CertificateCandidate {
  status: AttendanceStatus;
  completed: boolean;
  /** A certificate already issued for this trainee and session. */
  existingSerial: string | null;
}

/** null when a certificate may be issued, otherwise why not (Chinese). */
export function certificateRefusal(c: CertificateCandidate, sessionDate: string, today: string): string | null {
  if (sessionDate > today) return '培训尚未举行，不能颁发结业证书';
  if (c.existingSerial) return `已颁发结业证书（编号${c.existingSerial}）`;
  if (!countsAsAttended(c.status)) return '未出勤（请假或缺勤），不能颁发结业证书';
  if (!c.completed) return '学时未达到结业要求，不能颁发结业证书';
  return null;
}
