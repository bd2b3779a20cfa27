/**
 * Global record identity in submission packages.
 *
 * Every record that travels carries `gid = "<originHubId>:<localId>"`: the id of the hub where the record was
 * first created, a colon, and that hub's own primary key of the record (never a row number of a file).
 * Hub ids contain no colon, so the first colon splits the two parts; local ids may contain anything printable.
 * A federation that imports a record keeps its gid unchanged, stores it, and sends the same gid upward in its
 * own consolidated package, so the same record sent twice, or by two hubs, is recognized at every level.
 * Records a federation creates itself get its own hub id as prefix.
 */

export const HUB_ID_RE = /^[0-9A-Za-z][0-9A-Za-z_-]{0,63}$/;
const LOCAL_ID_RE = /^[\x21-\x7e]{1,128}$/;

export function isHubId(value: unknown): value is string {
  return typeof value === 'string' && HUB_ID_RE.test(value);
}

export function makeGid(hubId: string, localId: string | number): string {
  const local = String(localId);
  if (!isHubId(hubId)) throw new Error(`上报单位编号“${hubId}”格式错误`);
  if (!LOCAL_ID_RE.test(local)) throw new Error(`记录编号“${local}”格式错误`);
  return `${hubId}:${local}`;
}

export function parseGid(gid: string): { hubId: string; localId: string } | null {
  const i = gid.indexOf(':');
  if (i <= 0) return null;
  const hubId = gid.slice(0, i);
  const localId = gid.slice(i + 1);
  if (!HUB_ID_RE.test(hubId) || !LOCAL_ID_RE.test(localId)) return null;
  return { hubId, localId };
}

export function isGid(value: unknown): value is string {
  return typeof value === 'string' && parseGid(value) !== null;
}

/** The hub where the record was created. */
export function gidOrigin(gid: string): string | null {
  return parseGid(gid)?.hubId ?? null;
}

/**
 * Package ids are UUIDs in lower case (`crypto.randomUUID()`), nothing else: the id names the kept file of a
 * package at the federation, so a path (`../x`) or a case variant of another id (one file on Windows/macOS)
 * must never pass as an id.
 */
export const PACKAGE_ID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isPackageId(value: unknown): value is string {
  return typeof value === 'string' && PACKAGE_ID_RE.test(value);
}
