import { sql } from 'kysely';
import { randomUUID } from 'node:crypto';
import type { CallInput } from '@shared/contract';
import { DEFAULT_RULES } from '@shared/venues/rules';
import { caller, loginAs, openDemoCore } from '../../helpers/core';
import type { Core } from '../../../electron/core/core';
import { dbErrorInfo } from '../../../electron/core/db/errors';

/** China local time → the instant, for the core's injectable clock. */
export const chinaInstant = (local: string) => new Date(`${local}:00+08:00`);

export type VenueInputRaw = CallInput<'venues.create'>;

export const hallInput = (over: Partial<VenueInputRaw> = {}): VenueInputRaw => ({
  name: '多功能厅',
  hostTypeCode: 'H03',
  hostName: '玉林街道党群服务中心',
  address: '玉林北路 12 号二楼',
  capacity: 40,
  equipment: ['投影仪', '音响'],
  bookable: true,
  openingHours: DEFAULT_RULES.openingHours,
  closed: [{ from: '2026-04-04', to: '2026-04-06', reason: '清明节假期' }],
  minLengthMinutes: 30,
  maxLengthMinutes: 4 * 60,
  minNoticeMinutes: 60,
  maxNoticeDays: 90,
  approvalRequired: true,
  quotas: [],
  note: '',
  ...over,
});

/**
 * A demo core whose clock reads `now` (China time), with two organizations and one venue, and callers for the
 * staff member (zhangli), the approver (liming) and the viewer (zhaoqiang).
 */
export async function venuesFixture(now = '2026-03-01T10:00', opts: { dataDir?: string } = {}) {
  let clock = chinaInstant(now);
  const t = await openDemoCore('admin', { now: () => clock, ...opts });
  const orgs = { choir: randomUUID(), elders: randomUUID(), gone: randomUUID() };
  // Written straight into the table (on either engine): the fixture needs a withdrawn organization as it is stored.
  const iso = clock.toISOString();
  const insertOrg = (id: string, name: string, status: string, withdrawnDate: string | null, reason: string | null) =>
    sql`INSERT INTO organizations (id, name, mgmt_class, status, withdrawn_date, withdrawn_reason, created_at, updated_at)
        VALUES (${id}, ${name}, 'guided', ${status}, ${withdrawnDate}, ${reason}, ${iso}, ${iso})`.execute(t.core.db);
  await insertOrg(orgs.choir, '银龄合唱团', 'active', null, null);
  await insertOrg(orgs.elders, '邻里守望互助队', 'active', null, null);
  await insertOrg(orgs.gone, '已退出的读书会', 'withdrawn', '2026-01-10', '成员解散');
  const hall = (await t.call('venues.create', hallInput())).id;
  const tokens = { admin: t.token, staff: '', approver: '', viewer: '' };
  const login = async () => {
    tokens.admin = await loginAs(t.core, 'admin');
    tokens.staff = await loginAs(t.core, 'zhangli');
    tokens.approver = await loginAs(t.core, 'liming');
    tokens.viewer = await loginAs(t.core, 'zhaoqiang');
  };
  await login();
  // Callers read the current token, so moving the clock (which locks idle sessions) only needs a new login.
  const as =
    (who: keyof typeof tokens): ReturnType<typeof caller> =>
    (name, input) =>
      caller(t.core, tokens[who])(name, input);
  return {
    ...t,
    call: as('admin'),
    orgs,
    hall,
    staff: as('staff'),
    approver: as('approver'),
    viewer: as('viewer'),
    tokens,
    /** Moves the clock and logs everyone in again (a jump past the idle time locks sessions). */
    async setNow(local: string) {
      clock = chinaInstant(local);
      await login();
    },
    /** A one-off request for the choir in the hall. */
    request(over: Partial<CallInput<'venues.bookings.create'>> = {}): CallInput<'venues.bookings.create'> {
      return {
        venueId: hall,
        organizationId: orgs.choir,
        start: '2026-03-02T19:00',
        end: '2026-03-02T21:00',
        purpose: '合唱排练',
        expectedAttendance: 30,
        ...over,
      };
    },
  };
}

/** Rows of a statement with `?` parameters, read straight from the core's database on either engine. */
export async function dbRows<T = Record<string, unknown>>(core: Core, text: string, ...params: unknown[]): Promise<T[]> {
  const parts = text.split('?');
  return (await sql<T>(Object.assign(parts, { raw: parts }) as unknown as TemplateStringsArray, ...params).execute(core.db)).rows;
}

/** What the database answers to a statement that must be refused, read the engine-neutral way (db/errors.ts). */
export async function dbRefusal(write: Promise<unknown>): Promise<{ kind: string; message: string }> {
  try {
    await write;
  } catch (e) {
    const info = dbErrorInfo(e);
    if (!info) throw e;
    return { kind: info.kind, message: info.message };
  }
  throw new Error('expected the database to refuse the statement');
}
