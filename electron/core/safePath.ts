import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { AppError } from '@shared/errors';

/**
 * Paths built from data that came from outside (an id in a package, an upload's name, a hash): every part must be
 * one plain file or folder name, and the result must stay inside its folder. Used by every place that writes a
 * file named after outside data (kept packages, attachments, exports into folders), so an id like
 * `../../x` or `..\\imports\\<other id>` is refused whatever the platform, never followed.
 */

/** Chinese reason why `name` is not a single safe path segment, or null. */
export function unsafeSegmentReason(name: string): string | null {
  if (name.length === 0) return '名称为空';
  if (name.length > 255) return '名称过长';
  if (name === '.' || name === '..') return `名称“${name}”会指向上级或当前文件夹`;
  // Both separators on every platform: a name safe on Linux must stay safe when the same data reaches Windows.
  if (name.includes('/') || name.includes('\\')) return `名称“${printable(name)}”含路径分隔符`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return `名称“${printable(name)}”含控制字符`;
  if (name.includes(':')) return `名称“${printable(name)}”含冒号(盘符或备用数据流)`;
  if (/[. ]$/.test(name)) return `名称“${printable(name)}”以点或空格结尾`;
  return null;
}

/**
 * `folder/part1/part2…`, refused with a Chinese VALIDATION error when a part is not a plain name or the resolved
 * path is not strictly inside `folder` (resolve + relative check, so no combination of parts can escape).
 */
export function pathInside(folder: string, ...parts: string[]): string {
  for (const p of parts) {
    const reason = unsafeSegmentReason(p);
    if (reason) throw new AppError('VALIDATION', `文件路径不安全：${reason}`, { details: { folder, parts } });
  }
  const base = resolve(folder);
  const target = resolve(base, ...parts);
  const rel = relative(base, target);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
    throw new AppError('VALIDATION', '文件路径不安全：会写到所在文件夹之外', { details: { folder, parts } });
  }
  return target;
}

/** `<path>.<pid>-<uuid>.tmp`: the writing process is in the name, so a later run can tell a dead writer's leftovers. */
export const TEMP_NAME_RE = /\.(\d+)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.tmp$/;

/** Whether a temporary file named by `writeTempSynced` was left by a process that is gone. */
export function tempWriterGone(name: string): boolean {
  const m = TEMP_NAME_RE.exec(name);
  if (!m) return false;
  const pid = Number(m[1]);
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Writes `bytes` to `<path>.<pid>-<uuid>.tmp`, flushes it to disk, and returns the temporary path: the caller renames
 * it into place (`commitTemp`) when the file may appear, or removes it. A crash leaves either no file or a
 * complete one, never a half-written file under the final name.
 */
export function writeTempSynced(path: string, bytes: Uint8Array): string {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}-${randomUUID()}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  return tmp;
}

/** Renames a synced temporary file into place (atomic on one file system) and flushes the folder entry. */
export function commitTemp(tmp: string, path: string): void {
  renameSync(tmp, path);
  try {
    const dfd = openSync(dirname(path), 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // Windows cannot open a folder for fsync; NTFS journals the rename itself.
  }
}

/** Writes a file atomically: complete under its final name, or not there at all. */
export function writeFileAtomic(path: string, bytes: Uint8Array): void {
  commitTemp(writeTempSynced(path, bytes), path);
}

function printable(name: string): string {
  // eslint-disable-next-line no-control-regex
  const s = name.replace(/[\u0000-\u001f\u007f]/g, '?');
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
