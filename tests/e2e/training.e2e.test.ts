import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { todayInChina } from '@shared/dates/parse';
import { loginAs } from '../helpers/core';
import { clickUntilHidden, cleanScreenshots, login, screenshot, SCREENSHOT_DIR, startApp } from './harness';

/**
 * A training day on the demo hub, by the hub director (approver + staff): raise the year's plan, schedule
 * a session in a venue (booked through the venues rule), sign people in at the door by keyboard (a known
 * trainee by phone tail, an unknown one added on the spot), issue and print certificates, read the statistics.
 */
describe('training end to end (Node host + Chromium)', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let page: Page;
  const today = todayInChina();
  // The core's clock stands at 07:30 today, so a 09:00 session can still be booked and sign-ins are on time;
  // it moves to 11:05, after the session's end, for the certificates (the idle lock is set to 4 hours).
  let now = new Date(`${today}T07:30:00+08:00`);
  let known: { name: string; phone: string };

  const api = (name: string, input: unknown) =>
    page.evaluate(
      async ({ name, input }) => {
        const res = await fetch(`/api/${name}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-incubase-client': '1' }, body: JSON.stringify(input) });
        return (await res.json()) as { ok: boolean; data: unknown; error?: { message: string } };
      },
      { name, input },
    );

  beforeAll(async () => {
    cleanScreenshots('training');
    app = await startApp({ seed: 'demo', now: () => now });
    // A dedicated room open all day without approval, so the test does not depend on the demo bookings.
    const token = await loginAs(app.core, 'admin');
    const day = [{ start: '08:00', end: '22:00' }];
    const r = await app.core.invoke('venues.create', { name: '培训教室(测试)', hostTypeCode: 'H01', capacity: 40, openingHours: [day, day, day, day, day, day, day], approvalRequired: false }, token);
    expect(r.ok).toBe(true);
    expect((await app.core.invoke('settings.update', { settings: { idleLockMinutes: 240 } }, token)).ok).toBe(true);
    page = await app.newPage();
    await login(page, 'liming');
    await page.getByTestId('main-nav').getByText('人员培训').click();
    await page.getByRole('tab', { name: '培训场次' }).waitFor();
  });
  afterAll(async () => app?.close());

  it('raises the plan of the year', async () => {
    await page.getByRole('tab', { name: '计划与统计' }).click();
    await page.getByRole('button', { name: /修改年度计划/ }).click();
    const dialog = page.locator('.ant-modal').filter({ hasText: '年度培训计划' });
    await dialog.getByLabel('全年目标人次').fill('2000');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('已保存培训计划').waitFor();
    await page.locator('.ant-statistic').filter({ hasText: '目标人次' }).getByText('2,000').waitFor();
    await page.locator('canvas').first().waitFor();
    await screenshot(page, 'training/01-plan-and-statistics');
  });

  it('schedules a session in a venue', async () => {
    await page.getByRole('tab', { name: '培训场次' }).click();
    await page.getByRole('button', { name: '新建场次' }).click();
    const dialog = page.locator('.ant-modal').filter({ hasText: '新建培训场次' });
    await dialog.getByLabel('培训主题').fill('社区应急演练实务培训');
    const choose = async (label: string, option: string) => {
      await dialog.getByLabel(label).click();
      await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: option }).first().click();
      // Choosing closes the list; an Escape sent after it has closed would close the whole dialog.
      await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').waitFor({ state: 'hidden' });
    };
    const orgName = ((await api('training.options', {})).data as { organizations: { name: string }[] }).organizations[0].name;
    await choose('培训类别', '应急与安全');
    await choose('培训形式', '现场实训');
    await dialog.getByLabel('授课人').fill('王雪梅');
    await dialog.getByLabel('容量(人)').fill('30');
    await choose('场地(将按场地规则预约)', '培训教室(测试)');
    // A new session is the hub's own by default; this one is run by an incubated organization.
    await dialog.getByText('孵化组织承办').click();
    await dialog.getByLabel('承办组织').fill(orgName);
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: orgName }).first().click();
    await screenshot(page, 'training/02-new-session');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('社区应急演练实务培训').first().waitFor();
    await page.getByText('培训教室(测试)（已批准）').waitFor();
    await screenshot(page, 'training/03-session-booked');
  });

  it('signs people in by keyboard: a known trainee by phone tail, an unknown one added on the spot', async () => {
    const list = (await api('training.trainees.list', { startRow: 0, endRow: 1, sort: [{ colId: 'createdAt', sort: 'asc' }] })).data as { rows: { name: string; phone: string }[] };
    known = list.rows[0];
    await page.getByRole('button', { name: '快速签到' }).click();
    const box = page.getByLabel('签到输入');
    await box.waitFor();
    await box.fill(known.phone.slice(-7));
    await page.getByTestId('signin-candidate').first().waitFor();
    await box.press('Enter');
    await page.getByText(`${known.name} 签到成功：出勤`).waitFor();
    // An unknown person: nothing matches, Enter opens the on-the-spot form.
    await box.fill('oyxm');
    await page.getByText('没有匹配的学员，按 Enter 现场登记').waitFor();
    await box.press('Enter');
    const card = page.locator('.ant-card').filter({ hasText: '现场登记新学员并签到' });
    await card.getByLabel('姓名').fill('欧阳晓明');
    await card.getByLabel('手机号').fill('13312345678');
    await card.getByRole('button', { name: /登记并签到/ }).click();
    await page.getByText('欧阳晓明 （新登记）签到成功：出勤').waitFor();
    // Typing the new person's initials now finds them, already signed in; Enter says so instead of signing twice.
    await box.fill('oyxm');
    await page.getByTestId('signin-candidate').filter({ hasText: '欧阳晓明' }).getByText('已签到').waitFor();
    await box.press('Enter');
    await page.getByText('欧阳晓明已签到，无需重复签到').waitFor();
    await screenshot(page, 'training/04-keyboard-signin');
    const stat = page.locator('.ant-statistic').filter({ hasText: '已签到' });
    await expect(stat.textContent()).resolves.toContain('2');
  });

  it('issues and prints certificates', async () => {
    await page.getByRole('button', { name: '返回场次' }).click();
    now = new Date(`${today}T11:05:00+08:00`);
    await page.getByRole('button', { name: /颁发结业证书/ }).click();
    await page.getByTestId('confirm-ok').click(); // serials cannot be taken back: it asks first
    const notice = page.locator('.ant-modal-confirm').filter({ hasText: '已颁发结业证书 2 份' });
    await notice.waitFor();
    await clickUntilHidden(notice.getByRole('button'), notice);
    const serialCell = page.locator('td').filter({ hasText: /^PX-\d{4}-\d{6}$/ });
    await serialCell.first().waitFor();
    await screenshot(page, 'training/05-certificates-issued');
    const serials = await serialCell.allTextContents();
    expect(serials).toHaveLength(2);
    const printed = await api('training.certificates.print', { serials });
    const html = (printed.data as { html: string }).html;
    expect(html).toContain('欧阳晓明');
    const printPage = await app.browser.newPage();
    await printPage.setViewportSize({ width: 1123, height: 794 });
    await printPage.setContent(html);
    await printPage.screenshot({ path: join(SCREENSHOT_DIR, 'training', '06-certificate-print.png') });
    const pdf = join(SCREENSHOT_DIR, 'training', 'certificates.pdf');
    await printPage.pdf({ path: pdf, format: 'A4', landscape: true, printBackground: true });
    expect(statSync(pdf).size).toBeGreaterThan(10_000);
    await printPage.close();
  });

  it('reads the statistics with the new person-times', async () => {
    const stats = (await api('training.stats', { year: Number(today.slice(0, 4)) })).data as { total: { personTimes: number }; byCategory: { label: string; personTimes: number }[] };
    expect(stats.byCategory.find((c) => c.label === '应急与安全')!.personTimes).toBeGreaterThanOrEqual(2);
    await page.getByRole('tab', { name: '计划与统计' }).click();
    await page.locator('.ant-statistic').filter({ hasText: '培训人次' }).getByText(stats.total.personTimes.toLocaleString('en-US')).waitFor();
    await page.locator('canvas').nth(3).waitFor();
    await screenshot(page, 'training/07-statistics');
    await page.getByRole('tab', { name: '学员' }).click();
    await page.getByPlaceholder('拼音、汉字或手机尾号').fill('oyxm');
    await page.getByPlaceholder('拼音、汉字或手机尾号').press('Enter');
    await page.locator('.ag-row').filter({ hasText: '欧阳晓明' }).click();
    await page.locator('.ant-drawer').getByText('学员培训档案：欧阳晓明').waitFor();
    await page.locator('.ant-drawer').getByText('社区应急演练实务培训').waitFor();
    // The drawer has finished sliding in before the picture is taken.
    await page.waitForFunction(() => document.querySelector('.ant-drawer')?.getAnimations({ subtree: true }).length === 0);
    await screenshot(page, 'training/08-trainee-history');
  });

  it('books a venue for a session the hub runs itself, with no organization as 承办', async () => {
    await page.keyboard.press('Escape');
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.getByRole('tab', { name: '培训场次' }).click();
    await page.getByRole('button', { name: '新建场次' }).click();
    const dialog = page.locator('.ant-modal').filter({ hasText: '新建培训场次' });
    await dialog.getByLabel('培训主题').fill('基地主办社区议事规则培训');
    for (const [label, option] of [['培训类别', '应急与安全'], ['培训形式', '现场实训'], ['场地(将按场地规则预约)', '培训教室(测试)']]) {
      await dialog.getByLabel(label).click();
      await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: option }).first().click();
      // Earlier screens leave their own lists in the page: wait for this field's list to close.
      await expect.poll(() => dialog.getByLabel(label).getAttribute('aria-expanded')).toBe('false');
    }
    await dialog.getByLabel('开始时间').fill('14:00');
    await dialog.getByLabel('开始时间').press('Enter');
    await dialog.getByLabel('授课人').fill('李明');
    await dialog.getByLabel('容量(人)').fill('30');
    // 本基地主办 is the default: no 承办组织 is asked for.
    expect(await dialog.getByLabel('本基地主办').isChecked()).toBe(true);
    expect(await dialog.getByLabel('承办组织').isHidden()).toBe(true);
    await screenshot(page, 'training/09-hub-session-form-1366');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await screenshot(page, 'training/09-hub-session-form-1920');
    await page.setViewportSize({ width: 1366, height: 768 });
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('基地主办社区议事规则培训').first().waitFor();
    await page.getByText('主办方').first().waitFor();
    await page.getByText('本基地主办').first().waitFor();
    await screenshot(page, 'training/10-hub-session-booked');
    // The venues' bookings list names the hub as the booker.
    await page.getByTestId('main-nav').getByText('安家场地').click();
    await page.getByRole('tab', { name: '预约列表' }).click();
    await page.locator('.ag-row').filter({ hasText: '培训教室(测试)' }).filter({ hasText: '本基地' }).first().waitFor();
    await screenshot(page, 'training/11-hub-booking-in-list-1366');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await screenshot(page, 'training/11-hub-booking-in-list-1920');
    await page.setViewportSize({ width: 1366, height: 768 });
  });
});
