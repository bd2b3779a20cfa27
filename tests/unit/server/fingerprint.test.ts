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

import { callAffected, EVERYTHING } from '@shared/server/live';

describe('live screens: which calls a change makes stale', () => {
  const change = (entity: string) => ({ entity, id: 'x', action: 'a', who: 'zhangli', at: '' });
  it('reloads the calls of the changed area and the screens that show it', () => {
    expect(callAffected('custody.vouchers.list', [change('custody_voucher')])).toBe(true);
    expect(callAffected('dashboard.summary', [change('custody_voucher')])).toBe(true);
    expect(callAffected('venues.calendar', [change('training_session')])).toBe(true);
    expect(callAffected('custody.vouchers.list', [change('organization')])).toBe(true);
    expect(callAffected('audit.list', [change('user')])).toBe(true);
  });
  it('leaves unrelated screens alone', () => {
    expect(callAffected('training.sessions.list', [change('custody_voucher')])).toBe(false);
    expect(callAffected('dashboard.summary', [change('user')])).toBe(false);
    expect(callAffected('dashboard.summary', [change('session')])).toBe(false);
    expect(callAffected('users.list', [change('venue_booking')])).toBe(false);
  });
  it('reloads everything after a reconnect and for an entity it does not know', () => {
    expect(callAffected('users.list', [EVERYTHING])).toBe(true);
    expect(callAffected('venues.list', [change('brand_new_thing')])).toBe(true);
  });
});
