import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { cleanScreenshots, login, screenshot, settle, startApp } from './harness';
import { NAV_LABELS } from './navLabels';

/**
 * Issue 18: every screen works at 1366×768. On each screen (every area, every tab) the main working areas — the
 * data grids and the pick lists — have a usable height (at least 200 px) and are not covered by another card.
 * Screenshots land in screenshots/layout/ at 1366×768 and 1920×1080.
 */
const MIN_HEIGHT = 200;

async function problems(page: Page): Promise<string[]> {
  return page.evaluate((min) => {
    const out: string[] = [];
    const areas = [...document.querySelectorAll<HTMLElement>('.ag-root-wrapper, [data-testid$="-pane"]')].filter((e) => e.offsetParent !== null && !e.closest('.ant-modal, .ant-drawer'));
    for (const e of areas) {
      const r = e.getBoundingClientRect();
      const name = e.dataset.testid ?? e.closest('[data-testid]')?.getAttribute('data-testid') ?? e.className.split(' ')[0];
      const visibleH = Math.min(r.bottom, window.innerHeight) - Math.max(r.top, 0);
      if (r.height < min) out.push(`${name}: ${Math.round(r.height)} px high`);
      else if (visibleH < min && r.top < window.innerHeight) {
        // partly below the fold is fine only when the page itself can scroll to it
        const scroller = (function find(el: HTMLElement | null): HTMLElement | null {
          for (let p = el?.parentElement ?? null; p; p = p.parentElement) if (p.scrollHeight > p.clientHeight + 1 && /(auto|scroll)/.test(getComputedStyle(p).overflowY)) return p;
          return null;
        })(e);
        if (!scroller) out.push(`${name}: only ${Math.round(visibleH)} px visible and nothing scrolls`);
      }
      // covered by another element (e.g. a card on top of it)?
      const x = r.left + r.width / 2;
      const y = Math.max(r.top, 0) + Math.min(40, r.height / 2);
      if (y < window.innerHeight) {
        const top = document.elementFromPoint(x, y);
        if (top && !e.contains(top) && !top.closest('.ant-message, .ant-notification, .ant-tooltip, .ant-popover')) out.push(`${name}: covered by ${top.className || top.tagName}`);
      }
    }
    return out;
  }, MIN_HEIGHT);
}

describe('layout at 1366×768: every working area usable', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let page: Page;
  beforeAll(async () => {
    cleanScreenshots('layout');
    app = await startApp({ seed: 'demo' });
    page = await app.newPage();
    await login(page, 'admin');
    await page.getByTestId('main-nav').waitFor();
  });
  afterAll(async () => app?.close());

  for (const size of [
    { width: 1366, height: 768 },
    { width: 1920, height: 1080 },
    // 系统管理 → 显示 → 字号 特大 (issue 18: large-font mode checked at 1366×768)
    { width: 1366, height: 768, font: 18 },
  ]) {
    it(`every area and tab at ${size.width}×${size.height}${size.font ? ` with font ${size.font}` : ''}`, async () => {
      await page.setViewportSize({ width: size.width, height: size.height });
      const dir = size.font ? `${size.width}-font${size.font}` : String(size.width);
      await page.evaluate((f) => {
        if (f) localStorage.setItem('incubase.display.fontSize.admin', String(f));
        else localStorage.removeItem('incubase.display.fontSize.admin');
        localStorage.setItem('incubase.display.fontSize', String(f ?? 14));
      }, size.font ?? null);
      await page.reload();
      await page.getByTestId('main-nav').waitFor();
      if (size.font) expect(await page.evaluate(() => document.documentElement.dataset.fontSize)).toBe(String(size.font));
      const found: string[] = [];
      let n = 0;
      for (const area of NAV_LABELS) {
        await page.getByTestId('main-nav').getByText(area, { exact: true }).click();
        await page.waitForTimeout(600);
        const tabs = page.locator('.page > .ant-tabs > .ant-tabs-nav .ant-tabs-tab');
        const count = await tabs.count();
        for (let i = 0; i < Math.max(count, 1); i++) {
          let name = area;
          if (count) {
            await tabs.nth(i).click();
            name = `${area}-${(await tabs.nth(i).innerText()).trim()}`;
          }
          await settle(page);
          await page.waitForTimeout(500);
          await screenshot(page, `layout/${dir}/${String(++n).padStart(2, '0')}-${name}`);
          for (const p of await problems(page)) found.push(`${name}: ${p}`);
        }
      }
      expect(found).toEqual([]);
    });
  }
});
