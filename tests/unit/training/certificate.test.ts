import { describe, expect, it } from 'vitest';
import {
  certificateRefusal,
  formatCertificateSerial,
  nextCertificateSerials,
  parseCertificateSerial,
} from '@shared/training/certificate';

describe('certificate serials', () => {
  it('formats and parses PX-YYYY-NNNNNN', () => {
    expect(formatCertificateSerial(2026, 123)).toBe('PX-2026-000123');
    expect(parseCertificateSerial('px-2026-000123')).toEqual({ year: 2026, sequence: 123 });
    expect(parseCertificateSerial('PX-2026-000000')).toBeNull();
    expect(parseCertificateSerial('PX-2026-12345')).toBeNull();
    expect(() => formatCertificateSerial(2026, 0)).toThrow();
    expect(() => formatCertificateSerial(2026, 1_000_000)).toThrow();
  });

  it('continues after the highest used sequence of the year and never repeats', () => {
    expect(nextCertificateSerials(2026, 0, 3)).toEqual(['PX-2026-000001', 'PX-2026-000002', 'PX-2026-000003']);
    const batch = nextCertificateSerials(2026, 41, 5);
    expect(batch[0]).toBe('PX-2026-000042');
    expect(new Set(batch).size).toBe(5);
    expect(() => nextCertificateSerials(2026, 999_998, 2)).toThrow('2026年证书编号已用尽');
  });

  it('round-trips every sequence', () => {
    for (const seq of [1, 9, 10, 99_999, 999_999]) {
      expect(parseCertificateSerial(formatCertificateSerial(2031, seq))).toEqual({ year: 2031, sequence: seq });
    }
  });
});

describe('certificateRefusal (completion rule)', () => {
  const ok = { status: 'present' as const, completed: true, existingSerial: null };
  it('allows a completed attendance of a past session', () => {
    expect(certificateRefusal(ok, '2026-03-05', '2026-03-05')).toBeNull();
    expect(certificateRefusal({ ...ok, status: 'late' }, '2026-03-05', '2026-04-01')).toBeNull();
  });
  it('refuses with the reason', () => {
    expect(certificateRefusal(ok, '2026-03-06', '2026-03-05')).toBe('培训尚未举行，不能颁发结业证书');
    expect(certificateRefusal({ ...ok, existingSerial: 'PX-2026-000001' }, '2026-03-05', '2026-03-05')).toBe('已颁发结业证书（编号PX-2026-000001）');
    expect(certificateRefusal({ ...ok, status: 'excused', completed: false }, '2026-03-05', '2026-03-05')).toBe('未出勤（请假或缺勤），不能颁发结业证书');
    expect(certificateRefusal({ ...ok, completed: false }, '2026-03-05', '2026-03-05')).toBe('学时未达到结业要求，不能颁发结业证书');
  });
});
