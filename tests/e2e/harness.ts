import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { Core, type CoreOptions } from '../../electron/core/core';
import { startHost } from '../../electron/host/server';
import { DEMO_PASSWORD } from '../../electron/core/seed';
import { tempDir } from '../helpers/core';

export const CHROMIUM = process.env.INCUBASE_CHROMIUM ?? '/usr/bin/chromium';
const RENDERER_DIR = resolve(__dirname, '../../out/renderer');
export const SCREENSHOT_DIR = resolve(__dirname, '../../screenshots');

/**
 * The real app for an end-to-end test: a core on a temporary data folder, the Node host on a free loopback
 * port serving the built renderer, and Debian's Chromium driven by playwright-core.
 */
export async function startApp(opts: Partial<CoreOptions> & { dataDir?: string } = {}) {
  if (!existsSync(CHROMIUM)) throw new Error(`找不到 Chromium：${CHROMIUM}(apt-get install -y chromium fonts-noto-cjk)`);
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) throw new Error('界面尚未构建：请先运行 npm run build');
  const ownDir = !opts.dataDir;
  const dataDir = opts.dataDir ?? tempDir('incubase-e2e-');
  const core = await Core.open({ seed: 'demo', autoBackup: false, ...opts, dataDir });
  const { url, app } = await startHost({ core, rendererDir: RENDERER_DIR });
  const browser = await launchBrowser();
  return {
    core,
    url,
    dataDir,
    browser,
    async newPage(): Promise<Page> {
      const context = await browser.newContext({ viewport: { width: 1366, height: 820 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
      const page = await context.newPage();
      await page.goto(url);
      return page;
    },
    async close() {
      await browser.close();
      await app.close();
      await core.close();
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** Logs in through the login screen. */
export async function login(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  trackCalls(page);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
}

const callsInFlight = new WeakMap<Page, { n: number; last: number }>();

/** Counts the page's requests except the live change feed, which stays open for as long as the page does. */
function trackCalls(page: Page): { n: number; last: number } {
  let state = callsInFlight.get(page);
  if (state) return state;
  const s = { n: 0, last: Date.now() };
  const counted = (url: string) => !url.includes('/api/events');
  page.on('request', (r) => {
    if (!counted(r.url())) return;
    s.n += 1;
    s.last = Date.now();
  });
  const done = (r: { url(): string }) => {
    if (!counted(r.url())) return;
    s.n = Math.max(0, s.n - 1);
    s.last = Date.now();
  };
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  callsInFlight.set(page, s);
  return s;
}

/**
 * Waits until no call has been in flight for `quietMs`: playwright's 'networkidle' never comes while the change
 * feed (GET /api/events) is open.
 */
export async function settle(page: Page, quietMs = 500, timeoutMs = 30_000): Promise<void> {
  const s = trackCalls(page);
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (s.n === 0 && Date.now() - s.last >= quietMs) return;
    await page.waitForTimeout(100);
  }
  throw new Error(`页面在 ${timeoutMs} ms 内仍有未完成的请求`);
}

/** Writes `screenshots/<name>.png` (ignored by git) so people can look at each screen. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}

export function cleanScreenshots(prefix: string): void {
  if (!existsSync(SCREENSHOT_DIR)) return;
  rmSync(join(SCREENSHOT_DIR, prefix), { recursive: true, force: true });
}

/**
 * Clicks `button` until `gone` is hidden. On a busy machine a click on a dialog still zooming in can land
 * outside the moving button and be lost; the user would simply click again, and so does this.
 */
export async function clickUntilHidden(button: Locator, gone: Locator, attempts = 4): Promise<void> {
  for (let i = 1; ; i++) {
    await button.click();
    try {
      await gone.waitFor({ state: 'hidden', timeout: 5000 });
      return;
    } catch (e) {
      if (!(await button.isVisible())) return gone.waitFor({ state: 'hidden' }); // closing, only slowly
      if (i >= attempts) throw e;
    }
  }
}
