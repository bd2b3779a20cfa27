import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { normalizeFingerprint, sameFingerprint, shortFingerprint } from '@shared/server/fingerprint';

describe('certificate fingerprints', () => {
  const der = Buffer.from('a certificate, as bytes');
  const digest = createHash('sha256').update(der).digest();
  const hex = [...digest].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
  const electron = `sha256/${digest.toString('base64')}`;

  it('reads Node hex, bare hex and Electron sha256/base64 as the same fingerprint', () => {
    expect(normalizeFingerprint(hex)).toBe(hex);
    expect(normalizeFingerprint(hex.replace(/:/g, '').toLowerCase())).toBe(hex);
    expect(normalizeFingerprint(electron)).toBe(hex);
    expect(sameFingerprint(electron, hex)).toBe(true);
  });

  it('never matches a different, short or unreadable one', () => {
    const other = createHash('sha256').update('other').digest('hex');
    expect(sameFingerprint(hex, other)).toBe(false);
    expect(sameFingerprint(hex, hex.slice(0, 20))).toBe(false);
    expect(sameFingerprint('', '')).toBe(false);
    expect(sameFingerprint(null, null)).toBe(false);
    expect(normalizeFingerprint('sha256/!!!')).toBeNull();
    expect(normalizeFingerprint(`sha1/${createHash('sha1').update(der).digest('base64')}`)).toBeNull();
  });

  it('shortens for the eye: first and last four groups', () => {
    expect(shortFingerprint(hex)).toBe(`${hex.split(':').slice(0, 4).join(':')} … ${hex.split(':').slice(-4).join(':')}`);
  });
});
