import { app, BrowserWindow, dialog, ipcMain, net, protocol, session, shell, utilityProcess, type WebContents } from 'electron';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CoreClient, type FromCore } from '../node/coreProcess';
import { startUpdates } from './updater';
import { parseStartArgs, switchHubArgs, windowTitle } from '../node/dataDir';
import {
  APP_ORIGIN,
  APP_SCHEME,
  CONTENT_SECURITY_POLICY,
  createWindowOptions,
  resolveAppFile,
  type SavedWindowState,
} from './windowOptions';

// The Electron shell: windows, dialogs and the protocol. The core runs in a utilityProcess (out/main/core.js,
// electron/node/coreEntry.ts) and every call goes to it over its message port; the window shows at once with the
// start-up steps and never waits for the database check.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

// The installed app opens an empty hub (first-run setup); the demo only with --demo, in its own folder.
const args = parseStartArgs(process.argv.slice(1), process.env, { host: 'desktop', userDataDir: app.getPath('userData') });
const rendererRoot = join(__dirname, '../renderer');
const windowStateFile = join(args.dataDir, 'window-state.json');
/** Session token per webContents: it never reaches the page. */
const tokens = new Map<number, string>();
let core: CoreClient | null = null;
let mainWindow: BrowserWindow | null = null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });
  app.whenReady().then(start).catch((e) => {
    dialog.showErrorBox('启动失败', (e as Error).message);
    app.quit();
  });
}

function readWindowState(): SavedWindowState {
  try {
    return JSON.parse(readFileSync(windowStateFile, 'utf8')) as SavedWindowState;
  } catch {
    return {};
  }
}

function isTrustedSender(frame: Electron.WebFrameMain | null): boolean {
  return !!frame && new URL(frame.url).origin === APP_ORIGIN;
}

async function start() {
  core = startCoreProcess();

  protocol.handle(APP_SCHEME, (request) => {
    const file = resolveAppFile(rendererRoot, request.url, join, normalize);
    if (!file || !existsSync(file)) return new Response('Not found', { status: 404 });
    return net.fetch(pathToFileURL(file).toString());
  });

  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

  ipcMain.handle('incubase:invoke', async (event, name: unknown, input: unknown) => {
    if (!isTrustedSender(event.senderFrame)) return { ok: false, error: { code: 'FORBIDDEN', message: '请求来源不可信' } };
    if (typeof name !== 'string') return { ok: false, error: { code: 'VALIDATION', message: '调用名无效' } };
    const id = event.sender.id;
    if (!core) return { ok: false, error: { code: 'INTERNAL', message: '数据服务未启动' } };
    const result = await core.invoke(name, input, tokens.get(id) ?? null);
    if (result.sessionToken) tokens.set(id, result.sessionToken);
    if (result.endSession) tokens.delete(id);
    return result.ok ? { ok: true, data: result.data } : { ok: false, error: result.error };
  });

  ipcMain.handle('incubase:startupProgress', (event) => (isTrustedSender(event.senderFrame) ? core?.lastProgress ?? null : null));

  ipcMain.handle('incubase:switchHub', (event, to: unknown) => {
    if (!isTrustedSender(event.senderFrame) || (to !== 'demo' && to !== 'real')) return;
    app.relaunch({ args: switchHubArgs(process.argv.slice(1), to) });
    app.exit(0);
  });

  ipcMain.handle('incubase:printToPdf', async (event, html: unknown, suggestedName: unknown) => {
    if (!isTrustedSender(event.senderFrame) || typeof html !== 'string') return { saved: false };
    const win = new BrowserWindow({ show: false, webPreferences: { sandbox: true, contextIsolation: true, javascript: false } });
    try {
      await win.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(html)}`);
      const pdf = await win.webContents.printToPDF({ pageSize: 'A4', printBackground: true });
      const parent = BrowserWindow.fromWebContents(event.sender);
      const options = { defaultPath: `${String(suggestedName || '打印')}.pdf`, filters: [{ name: 'PDF', extensions: ['pdf'] }] };
      const target = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
      if (target.canceled || !target.filePath) return { saved: false };
      writeFileSync(target.filePath, pdf);
      return { saved: true, path: target.filePath };
    } finally {
      win.destroy();
    }
  });

  app.on('web-contents-created', (_e, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (new URL(url).origin !== APP_ORIGIN) event.preventDefault();
    });
    contents.setWindowOpenHandler(({ url }) => {
      // Only plain web links go to the system browser; nothing opens inside the app.
      if (/^https:\/\//.test(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.on('destroyed', () => tokens.delete(contents.id));
  });

  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}

/** The core's process: its steps go to the window as they happen; a crash is said in Chinese, not a blank window. */
function startCoreProcess(): CoreClient {
  const child = utilityProcess.fork(join(__dirname, 'core.js'), [JSON.stringify({ dataDir: args.dataDir, seed: args.seed })], {
    serviceName: 'Incubase 数据服务',
    stdio: 'inherit',
  });
  const client = new CoreClient({ send: (m) => child.postMessage(m), onMessage: (l) => child.on('message', (m: FromCore) => l(m)) });
  client.onProgress((label) => mainWindow?.webContents.send('incubase:progress', label));
  child.on('exit', (code) => {
    client.failAll('数据服务意外退出，请重新启动程序');
    if (code !== 0 && !quitting) dialog.showErrorBox('数据服务意外退出', `数据服务已退出(代码 ${code})。请重新启动程序；数据停留在最后一次保存的状态。`);
  });
  client.ready.then(
    (r) => startUpdates(r.updateUrl, (line) => process.stderr.write(`${line}\n`)),
    (e: Error) => dialog.showErrorBox('无法打开数据库', e.message),
  );
  return client;
}

function createWindow() {
  const saved = readWindowState();
  mainWindow = new BrowserWindow({ ...createWindowOptions(join(__dirname, '../preload/index.cjs'), saved), title: windowTitle(args.demo) });
  if (saved.maximized) mainWindow.maximize();
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('close', () => {
    if (!mainWindow) return;
    const state: SavedWindowState = { bounds: mainWindow.getNormalBounds(), maximized: mainWindow.isMaximized() };
    try {
      writeFileSync(windowStateFile, JSON.stringify(state));
    } catch {
      // not worth failing a close over
    }
  });
  void mainWindow.loadURL(`${APP_ORIGIN}/index.html`);
}

let quitting = false;
app.on('window-all-closed', async () => {
  quitting = true;
  await core?.close();
  app.quit();
});
