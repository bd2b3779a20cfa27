/**
 * Key fingerprints as people read them over the phone: SHA-256 of the public key's DER bytes, upper-case hex
 * in groups of four (`AB12 CD34 …`, 16 groups). The hashing is done by the caller (node:crypto); these helpers
 * only format and compare.
 */

export function formatFingerprint(hex: string): string {
  const clean = normalizeFingerprint(hex);
  return clean.match(/.{1,4}/g)?.join(' ') ?? '';
}

/** Upper-case hex without separators, so typed-in fingerprints with spaces, colons or lower case compare equal. */
export function normalizeFingerprint(text: string): string {
  return text.replace(/[\s:-]/g, '').toUpperCase();
}

export function isFingerprint(text: string): boolean {
  return /^[0-9A-F]{64}$/.test(normalizeFingerprint(text));
}

export function sameFingerprint(a: string, b: string): boolean {
  return normalizeFingerprint(a) === normalizeFingerprint(b);
}
