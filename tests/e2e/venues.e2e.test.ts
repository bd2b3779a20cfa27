import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { cleanScreenshots, login, screenshot, startApp } from './harness';
import { loginAs } from '../helpers/core';
import { toMinutes } from '@shared/venues/time';

const pad = (n: number) => String(n).padStart(2, '0');
const fmt = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** Tuesday of next week in the browser's (and China's) calendar: the bookings of this test land there. */
function nextTuesday(): string {
  const now = new Date(Date.now() + 8 * 3600_000);
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const toMonday = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - toMonday + 8);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** Drags over the week view's Tuesday column from hour `from` to hour `to` (the grid starts at 07:00). */
async function dragSlot(page: Page, fromHour: number, toHour: number) {
  const column = page.locator('.rbc-time-content .rbc-day-slot').nth(1);
  const first = column.locator('.rbc-timeslot-group').nth(fromHour - 7);
  const last = column.locator('.rbc-timeslot-group').nth(toHour - 8);
  await last.scrollIntoViewIfNeeded();
  const a = (await first.boundingBox())!;
  const b = (await last.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + 3);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2, a.y + 20, { steps: 4 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height - 3, { steps: 8 });
  await page.mouse.up();
}

async function pickOption(page: Page, label: string, nth: number) {
  await page.locator(`.ant-modal:visible .ant-form-item:has(label[title="${label}"]) .ant-select`).first().click();
  const options = page.locator('.ant-select-dropdown:visible .ant-select-item-option');
  await options.first().waitFor();
  await options.nth(nth).click();
}

describe('venues end to end: book, see the conflict refused, approve, read the utilization', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let page: Page;
  const tuesday = nextTuesday();
  beforeAll(async () => {
    cleanScreenshots('venues');
    app = await startApp({ seed: 'demo' });
    // A venue of its own, open 08:00–22:00 every day, so demo bookings never stand in the way.
    const token = await loginAs(app.core, 'admin');
    const r = await app.core.invoke(
      'venues.create',
      {
        name: '测试厅(端到端)',
        hostTypeCode: 'H03',
        hostName: '测试街道党群服务中心',
        capacity: 50,
        openingHours: Array.from({ length: 7 }, () => [{ start: '08:00', end: '22:00' }]),
        minLengthMinutes: 30,
        maxLengthMinutes: 240,
        minNoticeMinutes: 60,
        maxNoticeDays: 60,
        approvalRequired: true,
      },
      token,
    );
    expect(r.ok).toBe(true);
    page = await app.newPage();
    await login(page, 'liming'); // approver + staff
    await page.getByTestId('main-nav').getByText('安家场地').click();
    await page.locator('.rbc-time-view').waitFor();
  });
  afterAll(async () => app?.close());

  it('shows a demo venue week with bookings coloured by state', async () => {
    await page.locator('.rbc-event').first().waitFor();
    expect(await page.locator('.rbc-event').count()).toBeGreaterThan(0);
    await screenshot(page, 'venues/01-week-demo-venue');
  });

  it('books by dragging on the test venue week, then the approver approves it', async () => {
    await page.getByTestId('venue-select').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '测试厅(端到端)' }).click();
    await page.getByRole('button', { name: '下一页' }).click();
    await page.getByText(new RegExp(`${tuesday.slice(5)}`)).first().waitFor();
    await dragSlot(page, 19, 21);
    const modal = page.locator('.ant-modal:visible');
    await modal.getByText('预约场地').waitFor();
    await screenshot(page, 'venues/02-booking-form-from-drag');
    await pickOption(page, '组织', 0);
    await page.getByLabel('用途').fill('合唱排练(端到端)');
    await page.getByLabel('预计人数').fill('30');
    await modal.getByRole('button', { name: /检查可用性/ }).click();
    await page.getByTestId('check-summary').getByText('共 1 次,全部可以预约').waitFor();
    await screenshot(page, 'venues/02-booking-form-checked');
    await page.getByTestId('book-submit').click();
    await page.getByText(/已预约 1 次\(待审批\)/).waitFor();
    const event = page.locator('.rbc-event', { hasText: '合唱排练(端到端)' });
    await event.waitFor();
    expect(await event.getAttribute('class')).toContain('booking-state-requested');
    await event.click();
    const drawer = page.locator('.ant-drawer:visible');
    await drawer.getByText(`${tuesday} 19:00–21:00`).waitFor();
    await drawer.getByRole('button', { name: /批\s*准/ }).click();
    await page.getByText('已批准').first().waitFor();
    await screenshot(page, 'venues/03-approved-drawer');
    await drawer.locator('.ant-drawer-close').click();
    await page.locator('.ant-drawer-mask').waitFor({ state: 'hidden' });
    await page.waitForFunction(() => document.querySelector('.rbc-event.booking-state-approved') !== null);
  });

  it('refuses an overlapping booking with the conflict named', async () => {
    // Starts on a free slot and ends over the approved booking (pressing on the booking itself would move it).
    await dragSlot(page, 18, 20);
    const modal = page.locator('.ant-modal:visible');
    await modal.getByText('预约场地').waitFor();
    await pickOption(page, '组织', 1);
    await page.getByLabel('用途').fill('议事协商会');
    await page.getByTestId('book-submit').click();
    const err = page.getByTestId('booking-error');
    await err.waitFor();
    expect(await err.textContent()).toMatch(new RegExp(`${tuesday} 18:00–20:00 与已批准的预约冲突:${tuesday} 19:00–21:00`));
    await page.getByTestId('check-summary').waitFor();
    await screenshot(page, 'venues/04-conflict-refused');
    // The slot is taken: wait for it instead (nothing is booked).
    await page.getByTestId('waitlist-join').click();
    await page.getByText(/已加入候补名单\(第 1 位\)/).waitFor();
    expect(await page.locator('.rbc-event', { hasText: '议事协商会' }).count()).toBe(0);
  });

  it('shows the waiting entry, blocked by the approved booking', async () => {
    await page.getByRole('tab', { name: '候补名单' }).click();
    const row = page.locator('[data-testid="waitlist"] .ant-table-row', { hasText: '测试厅(端到端)' });
    await row.waitFor();
    expect(await row.textContent()).toContain(`被占用:${tuesday} 19:00–21:00`);
    expect(await row.textContent()).toContain('第 1 位');
    await screenshot(page, 'venues/04-waitlist');
    await page.getByRole('tab', { name: '预约日历' }).click();
    await page.locator('.rbc-time-view').waitFor();
  });

  it('shows the day view across venues and the list', async () => {
    await page.getByText('全部场地日视图').click();
    await page.locator('.rbc-time-header .rbc-row-resource').first().waitFor();
    await screenshot(page, 'venues/05-day-across-venues');
    await page.getByRole('tab', { name: '预约列表' }).click();
    await page.locator('[data-testid="booking-grid"] .ag-row').first().waitFor();
    await screenshot(page, 'venues/06-list');
    // The approver's queue: only requests, soonest first.
    await page.getByTestId('pending-queue').click();
    await page.waitForFunction(() => {
      const cells = [...document.querySelectorAll('[data-testid="booking-grid"] .ag-cell[col-id="state"]')];
      return cells.length > 0 && cells.every((c) => c.textContent === '待审批');
    });
    expect(await page.getByTestId('pending-queue').textContent()).toMatch(/待审批 \d+ 条/);
    await screenshot(page, 'venues/06-pending-queue');
  });

  it('reads the utilization with its chart', async () => {
    await page.getByRole('tab', { name: '使用率' }).click();
    const totals = page.getByTestId('utilization-totals');
    await totals.waitFor();
    expect(await totals.textContent()).toContain('预约小时');
    await page.locator('canvas').first().waitFor();
    await screenshot(page, 'venues/07-utilization');
    const year = new Date().getFullYear();
    const r = await app.core.invoke('venues.utilization', { from: `${year}-01-01`, to: `${year}-12-31` }, await loginAs(app.core, 'zhaoqiang'));
    const report = r.data as { venues: { venueName: string; total: { bookedMinutes: number } }[] };
    const test = report.venues.find((v) => v.venueName === '测试厅(端到端)');
    if (tuesday.startsWith(String(year))) expect(test?.total.bookedMinutes).toBe(120);
  });

  it('moves the approved booking with the mouse; the approver keeps it approved and the waiting entry is freed', async () => {
    await page.getByRole('tab', { name: '预约日历' }).click();
    await page.getByTestId('venue-select').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '测试厅(端到端)' }).click();
    await page.getByRole('button', { name: '下一页' }).click();
    const event = page.locator('.rbc-event', { hasText: '合唱排练(端到端)' });
    await event.waitFor();
    await event.scrollIntoViewIfNeeded();
    const from = (await event.boundingBox())!;
    const target = page.locator('.rbc-time-content .rbc-day-slot').nth(1).locator('.rbc-timeslot-group').nth(15 - 7);
    await target.scrollIntoViewIfNeeded();
    const ev = (await event.boundingBox())!;
    const to = (await target.boundingBox())!;
    await page.mouse.move(ev.x + ev.width / 2, ev.y + 25);
    await page.mouse.down();
    await page.mouse.move(ev.x + ev.width / 2, ev.y + 35, { steps: 4 });
    await page.mouse.move(to.x + to.width / 2, to.y + 25, { steps: 10 });
    await page.mouse.up();
    expect(from.height).toBeGreaterThan(0);
    await page.getByText(/已调整 1 次/).waitFor();
    const moved = page.locator('.rbc-event', { hasText: '合唱排练(端到端)' });
    await page.waitForFunction(() =>
      [...document.querySelectorAll('.rbc-event')].some((e) => e.textContent?.includes('合唱排练(端到端)') && !e.textContent.includes('19:00–21:00')),
    );
    // Read back from the core: same day, earlier in the afternoon, still two hours, still approved.
    const token = await loginAs(app.core, 'zhaoqiang');
    const r = await app.core.invoke('venues.bookings.page', { startRow: 0, endRow: 5, sort: [], filter: { text: '合唱排练(端到端)' } }, token);
    const [b] = (r.data as { rows: { start: string; end: string; state: string }[] }).rows;
    expect(b.start.slice(0, 10)).toBe(tuesday);
    expect(b.start.slice(11) < '19:00' && b.start.slice(11) >= '14:00').toBe(true);
    expect(toMinutes(b.end) - toMinutes(b.start)).toBe(120);
    expect(b.state).toBe('approved');
    expect(await moved.textContent()).toContain(`${b.start.slice(11)}–${b.end.slice(11)}`);
    expect(await moved.getAttribute('class')).toContain('booking-state-approved');
    await screenshot(page, 'venues/09-moved-by-drag');
    await page.getByRole('tab', { name: '候补名单' }).click();
    const row = page.locator('[data-testid="waitlist"] .ant-table-row', { hasText: '测试厅(端到端)' });
    await row.getByText('时段已空出').waitFor();
  });

  it('a weekly request names the colliding date and books the free ones', async () => {
    await page.getByRole('tab', { name: '预约日历' }).click();
    await page.getByTestId('venue-select').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '测试厅(端到端)' }).click();
    await page.getByRole('button', { name: '下一页' }).click();
    await page.locator('.rbc-event', { hasText: '合唱排练(端到端)' }).waitFor();
    // Monday 15:00–16:00 by mouse, then the date set to Tuesday, where the moved booking holds 14:30–16:30.
    const monday = page.locator('.rbc-time-content .rbc-day-slot').nth(0);
    const a = monday.locator('.rbc-timeslot-group').nth(15 - 7);
    await a.scrollIntoViewIfNeeded();
    const box = (await a.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + 3);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y + 20, { steps: 4 });
    await page.mouse.move(box.x + box.width / 2, box.y + box.height - 3, { steps: 6 });
    await page.mouse.up();
    const modal = page.locator('.ant-modal:visible');
    await modal.getByText('预约场地').waitFor();
    await pickOption(page, '组织', 2);
    const date = modal.locator('.ant-form-item:has(label[title="日期"]) input');
    await date.click();
    await date.fill(tuesday);
    await date.press('Enter');
    await modal.getByText('每周').click();
    const until = modal.locator('.ant-form-item:has(label[title="截止日期(含)"]) input');
    await until.click();
    const last = new Date(`${tuesday}T00:00:00Z`);
    last.setUTCDate(last.getUTCDate() + 21);
    await until.fill(last.toISOString().slice(0, 10));
    await until.press('Enter');
    await page.getByLabel('用途').fill('太极拳练习(端到端)');
    await modal.getByRole('button', { name: /检查可用性/ }).click();
    const summary = page.getByTestId('check-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toBe(`共 4 次,其中 1 次不能预约;时间冲突的日期:${tuesday};其余 3 次可以预约`);
    await screenshot(page, 'venues/10-weekly-check');
    await page.getByTestId('book-free').click();
    await page.getByText('已预约 3 次(待审批),1 个日期未预约').waitFor();
  });

  it('lists the venues with their host facility, hours and rules', async () => {
    await page.getByRole('tab', { name: '场地管理' }).click();
    await page.locator('.ant-table-row', { hasText: '测试厅(端到端)' }).waitFor();
    expect(await page.locator('.ant-table-row').count()).toBeGreaterThan(5);
    await screenshot(page, 'venues/08-venues');
  });
});
