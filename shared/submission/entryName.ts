/**
 * Safety rules for names of entries inside a package zip. A package is never extracted to disk, but names are
 * still checked so that a file written by another tool (or a later "save attachments" feature) cannot escape
 * its folder, and so that the entry set compares exactly with the signed manifest.
 */

export const MANIFEST_ENTRY = 'manifest.json';
export const SIGNATURE_ENTRY = 'manifest.sig';
export const WORKBOOK_ENTRY = 'tables.xlsx';
/** Key rotation certificates of the signing hub (format 2): old key → new key, each signed by the old key. */
export const ROTATION_ENTRY = 'key-rotations.json';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const MEMBER_RE = new RegExp(`^members/(${UUID})\\.(incubase|key\\.json)$`);

/** A consolidated package's copy of a member's original signed package, and the key its federation registered. */
export function memberPackageEntry(packageId: string): string {
  return `members/${packageId}.incubase`;
}
export function memberKeyEntry(packageId: string): string {
  return `members/${packageId}.key.json`;
}
export function memberOfEntry(name: string): { packageId: string; kind: 'package' | 'key' } | null {
  const m = MEMBER_RE.exec(name);
  return m ? { packageId: m[1], kind: m[2] === 'incubase' ? 'package' : 'key' } : null;
}
export const TABLE_NAME_RE = /^[a-z][a-z0-9_]{0,63}$/;

export function tableEntryName(table: string): string {
  return `data/${table}.jsonl`;
}

export function tableOfEntry(name: string): string | null {
  const m = /^data\/([a-z][a-z0-9_]{0,63})\.jsonl$/.exec(name);
  return m ? m[1] : null;
}

/** Chinese reason why an entry name is unsafe, or null when it is acceptable. */
export function unsafeEntryNameReason(name: string): string | null {
  if (name.length === 0) return '条目名称为空';
  if (name.length > 255) return `条目名称过长(${name.length} 个字符)`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return `条目“${printable(name)}”的名称含控制字符`;
  if (name.includes('\\')) return `条目“${printable(name)}”的路径含反斜杠，可能逃出目标文件夹`;
  if (name.startsWith('/')) return `条目“${printable(name)}”是绝对路径`;
  if (/^[A-Za-z]:/.test(name)) return `条目“${printable(name)}”带盘符，是绝对路径`;
  const parts = name.split('/');
  if (parts.some((p) => p === '..')) return `条目“${printable(name)}”的路径含“..”，会逃出目标文件夹`;
  if (parts.some((p) => p === '.' || p === '')) {
    if (name.endsWith('/')) return `条目“${printable(name)}”是文件夹，包内不应有文件夹条目`;
    return `条目“${printable(name)}”的路径含空段或“.”段`;
  }
  if (parts.some((p) => p.includes(':'))) return `条目“${printable(name)}”的名称含冒号`;
  return null;
}

/** The entries a package may hold besides the manifest and its signature. */
export function isAllowedPayloadEntry(name: string): boolean {
  return name === WORKBOOK_ENTRY || name === ROTATION_ENTRY || tableOfEntry(name) !== null || memberOfEntry(name) !== null;
}

function printable(name: string): string {
  // eslint-disable-next-line no-control-regex
  const s = name.replace(/[\u0000-\u001f\u007f]/g, '?');
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
