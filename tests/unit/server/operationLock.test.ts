import { describe, expect, it } from 'vitest';
import { HEARTBEAT_STALE_MS, lockIsStale, type LockRow } from '../../../electron/core/api/operations';

const boot = '2026-12-01T08:00:00.000Z';
const me = { owner: 'me', host: 'office-pc', pid: 100, bootAt: boot, runningOpId: null as string | null };
const now = Date.parse('2026-12-03T10:00:00.000Z');
const row = (over: Partial<LockRow>): LockRow => ({ op_id: 'op1', owner: 'other', host: 'office-pc', pid: 200, boot_at: boot, heartbeat_at: new Date(now).toISOString(), ...over });
const alive = (pids: number[]) => (pid: number) => pids.includes(pid);

describe('a lock left by a dead process is told from a running operation', () => {
  it('same host: the holder is alive however old its heartbeat (a long transaction delays it); a dead pid is stale', () => {
    const old = new Date(now - 10 * HEARTBEAT_STALE_MS).toISOString();
    expect(lockIsStale(row({ heartbeat_at: old }), me, now, alive([200]))).toBe(false);
    expect(lockIsStale(row({}), me, now, alive([]))).toBe(true);
  });

  it('same host rebooted since the lock was taken: stale even when the pid is in use again', () => {
    expect(lockIsStale(row({ boot_at: '2026-11-20T08:00:00.000Z' }), me, now, alive([200]))).toBe(true);
    // Boot times computed from uptime differ a little between processes: not a reboot.
    expect(lockIsStale(row({ boot_at: '2026-12-01T08:00:03.000Z' }), me, now, alive([200]))).toBe(false);
  });

  it('our own process: stale unless it is the operation we run now (a restored backup can carry an old row)', () => {
    expect(lockIsStale(row({ owner: 'me' }), me, now, alive([100]))).toBe(true);
    expect(lockIsStale(row({ owner: 'me' }), { ...me, runningOpId: 'op1' }, now, alive([100]))).toBe(false);
  });

  it('another host (a file on a share): alive while the heartbeat is fresh, stale once it stopped', () => {
    const other = { host: 'desk-3', pid: 100 };
    expect(lockIsStale(row({ ...other, heartbeat_at: new Date(now - 20_000).toISOString() }), me, now, alive([]))).toBe(false);
    expect(lockIsStale(row({ ...other, heartbeat_at: new Date(now - HEARTBEAT_STALE_MS - 1).toISOString() }), me, now, alive([100]))).toBe(true);
    expect(lockIsStale(row({ ...other, heartbeat_at: 'garbage' }), me, now, alive([100]))).toBe(true);
  });
});
