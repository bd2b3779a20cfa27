import { describe, expect, it } from 'vitest';
import { changeableMembers, initialState, planSeriesAction, stateAfterChange, transition, type BookingState } from '@shared/venues/state';

const b = (state: BookingState, start = '2026-03-10T19:00', end = '2026-03-10T21:00') => ({ state, start, end });
const now = '2026-03-05T12:00';

describe('booking state machine', () => {
  it('requested → approved → used / no-show', () => {
    expect(transition(b('requested'), 'approve', now)).toEqual({ ok: true, to: 'approved' });
    const after = '2026-03-10T19:30';
    expect(transition(b('approved'), 'markUsed', after)).toEqual({ ok: true, to: 'used' });
    expect(transition(b('approved'), 'markNoShow', after)).toEqual({ ok: true, to: 'no_show' });
  });
  it('cancel from requested or approved, reason required', () => {
    expect(transition(b('requested'), 'cancel', now, '活动延期')).toEqual({ ok: true, to: 'cancelled' });
    expect(transition(b('approved'), 'cancel', now, '活动延期')).toEqual({ ok: true, to: 'cancelled' });
    expect(transition(b('approved'), 'cancel', now, '  ')).toEqual({ ok: false, message: '取消预约须填写原因' });
    expect(transition(b('approved'), 'cancel', now)).toEqual({ ok: false, message: '取消预约须填写原因' });
  });
  it('refuses every other transition with a Chinese message', () => {
    expect(transition(b('used'), 'cancel', now, 'x')).toEqual({ ok: false, message: '已使用的预约不能取消' });
    expect(transition(b('cancelled'), 'approve', now)).toEqual({ ok: false, message: '已取消的预约不能批准' });
    expect(transition(b('requested'), 'markUsed', '2026-03-11T00:00')).toEqual({ ok: false, message: '待审批的预约不能登记已使用' });
    expect(transition(b('approved'), 'approve', now).ok).toBe(false);
    expect(transition(b('no_show'), 'markUsed', '2026-03-11T00:00').ok).toBe(false);
  });
  it('time guards: no approving the past, no used before start, no cancelling a started approved booking', () => {
    expect(transition(b('requested'), 'approve', '2026-03-10T19:01')).toEqual({ ok: false, message: '开始时间已过的预约不能再批准' });
    expect(transition(b('approved'), 'markUsed', now)).toEqual({ ok: false, message: '预约尚未开始,不能登记已使用' });
    expect(transition(b('approved'), 'cancel', '2026-03-10T19:00', '临时')).toEqual({ ok: false, message: '已开始的预约不能取消,请登记为已使用或未到场' });
    expect(transition(b('requested'), 'cancel', '2026-03-10T19:30', '过期未批')).toEqual({ ok: true, to: 'cancelled' });
  });
  it('initial state and state after a change', () => {
    expect(initialState(true)).toBe('requested');
    expect(initialState(false)).toBe('approved');
    expect(stateAfterChange('approved', true, false)).toBe('requested');
    expect(stateAfterChange('approved', true, true)).toBe('approved');
    expect(stateAfterChange('approved', false, false)).toBe('approved');
    expect(stateAfterChange('requested', true, true)).toBe('requested');
  });
});

describe('series actions', () => {
  const series = [
    { id: 's0', ...b('used', '2026-03-03T19:00', '2026-03-03T21:00') },
    { id: 's1', ...b('approved', '2026-03-10T19:00', '2026-03-10T21:00') },
    { id: 's2', ...b('requested', '2026-03-17T19:00', '2026-03-17T21:00') },
    { id: 's3', ...b('cancelled', '2026-03-24T19:00', '2026-03-24T21:00') },
    { id: 's4', ...b('requested', '2026-03-31T19:00', '2026-03-31T21:00') },
  ];
  it('approve the whole series approves the requested ones and lists the rest', () => {
    const p = planSeriesAction(series, 'approve', { kind: 'all' }, now);
    expect(p.apply.map((a) => [a.member.id, a.to])).toEqual([
      ['s2', 'approved'],
      ['s4', 'approved'],
    ]);
    expect(p.skipped.map((s) => [s.member.id, s.message])).toEqual([
      ['s0', '已使用的预约不能批准'],
      ['s1', '已批准的预约不能批准'],
      ['s3', '已取消的预约不能批准'],
    ]);
  });
  it('cancel from one date on leaves earlier occurrences alone', () => {
    const p = planSeriesAction(series, 'cancel', { kind: 'from', date: '2026-03-17' }, now, '场地改期');
    expect(p.apply.map((a) => a.member.id)).toEqual(['s2', 's4']);
    expect(p.skipped.map((s) => s.member.id)).toEqual(['s3']);
  });
  it('one occurrence only', () => {
    const p = planSeriesAction(series, 'cancel', { kind: 'one', date: '2026-03-10' }, now, '临时有事');
    expect(p.apply.map((a) => a.member.id)).toEqual(['s1']);
  });
  it('changeable members: live and not started', () => {
    const c = changeableMembers(series, { kind: 'all' }, '2026-03-10T20:00');
    expect(c.change.map((m) => m.id)).toEqual(['s2', 's4']);
    expect(c.keep.map((k) => [k.member.id, k.message])).toEqual([
      ['s0', '已使用的预约不能修改'],
      ['s1', '已开始的预约不能修改'],
      ['s3', '已取消的预约不能修改'],
    ]);
  });
});
