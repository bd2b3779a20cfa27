/**
 * Certificate fingerprints as the office server shows them (SHA-256, `AB:CD:…` upper-case hex) and as the
 * programs hand them over: Node's `fingerprint256` (the same form) and Electron's `sha256/<base64>`.
 * Pure: a pin is compared the same way in the Node client, the Electron shell and the screens.
 */
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function base64ToBytes(text: string): number[] | null {
  const clean = text.replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/]*$/.test(clean)) return null;
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of clean) {
    value = (value << 6) | B64.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >> bits) & 0xff);
    }
  }
  return out;
}

/** The canonical form `AB:CD:…` (32 bytes), or null when the text is no SHA-256 fingerprint. */
export function normalizeFingerprint(text: string | null | undefined): string | null {
  if (!text) return null;
  const t = text.trim();
  let bytes: number[] | null;
  if (/^sha256\//i.test(t)) bytes = base64ToBytes(t.slice(7));
  else {
    const hex = t.replace(/[\s:-]/g, '');
    bytes = /^[0-9a-fA-F]{64}$/.test(hex) ? hex.match(/../g)!.map((h) => parseInt(h, 16)) : null;
  }
  if (!bytes || bytes.length !== 32) return null;
  return bytes.map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
}

/** True when both name the same certificate; an unreadable one never matches. */
export function sameFingerprint(a: string | null | undefined, b: string | null | undefined): boolean {
  const x = normalizeFingerprint(a);
  return x !== null && x === normalizeFingerprint(b);
}

/** The words a user compares by eye: the first and last groups of the fingerprint. */
export function shortFingerprint(text: string): string {
  const n = normalizeFingerprint(text) ?? text;
  const parts = n.split(':');
  return parts.length > 8 ? `${parts.slice(0, 4).join(':')} … ${parts.slice(-4).join(':')}` : n;
}

/** The warning when a pinned server shows another certificate. */
export function changedCertificateMessage(address: string): string {
  return `服务器 ${address} 的证书与第一次连接时记下的不一致，已拒绝连接。可能是服务器重装后生成了新证书，也可能有人冒充服务器：请到服务器电脑上核对证书指纹，确认无误后在「系统管理 → 工作方式」重新连接`;
}
