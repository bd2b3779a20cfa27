import { app, BrowserWindow, dialog, ipcMain, net, protocol, session, shell, utilityProcess, type WebContents } from 'electron';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CoreClient, type FromCore } from '../node/coreProcess';
import { certificateVerdict, mayNavigate, servingSummary, shellPlan } from '../node/shellMode';
import { readWorkMode, writeWorkMode } from '../core/office/workMode';
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
// 单机 / 办公室服务器 / 连接到服务器 (work-mode.json in the data folder): what starts and what the window loads.
const plan = shellPlan(readWorkMode(args.dataDir));
const pin = plan.mode === 'client' ? plan.pin : null;
let titleSuffix = plan.mode === 'client' ? ` — 已连接到 ${pin!.origin}` : '';
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
  if (plan.startCore) core = startCoreProcess();
  // 连接到服务器: exactly the pinned certificate for the server's host (self-signed; no CA vouches for it).
  if (pin) session.defaultSession.setCertificateVerifyProc((request, callback) => callback(certificateVerdict({ hostname: request.hostname, certificatePem: request.certificate.data }, pin)));

  protocol.handle(APP_SCHEME, (request) => {
    const file = resolveAppFile(rendererRoot, request.url, join, normalize);
    if (!file || !existsSync(file)) return new Response('Not found', { status: 404 });
    return net.fetch(pathToFileURL(file).toString());
  });

  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    // The pinned server's pages carry the office server's own policy.
    if (pin && details.url.startsWith(`${pin.origin}/`)) return callback({ responseHeaders: details.responseHeaders });
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
      if (!mayNavigate(url, APP_ORIGIN, pin)) event.preventDefault();
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
  const serve = plan.serve ? { port: plan.serve.port, rendererDir: rendererRoot } : null;
  const child = utilityProcess.fork(join(__dirname, 'core.js'), [JSON.stringify({ dataDir: args.dataDir, seed: args.seed, serve })], {
    serviceName: 'Incubase 数据服务',
    stdio: 'inherit',
  });
  const client = new CoreClient({ send: (m) => child.postMessage(m), onMessage: (l) => child.on('message', (m: FromCore) => l(m)) });
  client.onProgress((label) => mainWindow?.webContents.send('incubase:progress', label));
  // Live screens over IPC: every desk's committed changes reach the app's own windows.
  client.onChanges((changes) => {
    for (const w of BrowserWindow.getAllWindows()) if (!w.isDestroyed() && isTrustedSender(w.webContents.mainFrame)) w.webContents.send('incubase:changes', changes);
  });
  child.on('exit', (code) => {
    client.failAll('数据服务意外退出，请重新启动程序');
    if (code !== 0 && !quitting) dialog.showErrorBox('数据服务意外退出', `数据服务已退出(代码 ${code})。请重新启动程序；数据停留在最后一次保存的状态。`);
  });
  client.ready.then(
    (r) => {
      if (r.serving) {
        process.stdout.write(`${servingSummary(r.serving)}\n`);
        titleSuffix = ` — 办公室服务器 ${r.serving.urls[0] ?? ''}`;
        mainWindow?.setTitle(`${windowTitle(args.demo)}${titleSuffix}`);
      }
      if (r.serveError) dialog.showErrorBox('办公室服务器未能启动', `${r.serveError}。本机照常使用，其他电脑暂时无法连接：请在 系统管理 → 工作方式 中更换端口后重新启动。`);
      startUpdates(r.updateUrl, (line) => process.stderr.write(`${line}\n`));
    },
    (e: Error) => dialog.showErrorBox('无法打开数据库', e.message),
  );
  return client;
}

function createWindow() {
  const saved = readWindowState();
  const options = createWindowOptions(join(__dirname, '../preload/index.cjs'), saved);
  // The server's pages talk to it over HTTPS like a browser's: no bridge into this machine.
  if (!plan.window.preload) delete options.webPreferences!.preload;
  mainWindow = new BrowserWindow({ ...options, title: `${windowTitle(args.demo)}${titleSuffix}` });
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
  if (plan.mode === 'client') {
    mainWindow.webContents.on('did-fail-load', (_e, code, description, url, isMainFrame) => {
      if (isMainFrame) void serverUnreachable(description, url);
    });
    void mainWindow.loadURL(plan.window.url);
  } else void mainWindow.loadURL(`${APP_ORIGIN}/index.html`);
}

/** 连接到服务器 and the server is not there (or shows another certificate): retry, work standalone, or quit. */
async function serverUnreachable(description: string, url: string) {
  const certificate = /CERT/i.test(description);
  const choice = await dialog.showMessageBox({
    type: 'warning',
    title: '无法连接到办公室服务器',
    message: certificate ? `服务器 ${pin!.origin} 的证书与第一次连接时记下的不同，已拒绝连接。` : `无法连接到办公室服务器 ${pin!.origin}。`,
    detail: certificate
      ? '可能有人冒充服务器，或服务器重新生成了证书。请向管理员核对服务器显示的证书指纹后，在本机改为单机使用再重新连接。'
      : `请确认服务器电脑已开机、程序在运行，且本机与它在同一网络。(${description}：${url})`,
    buttons: ['重试', '改为单机使用', '退出'],
    defaultId: 0,
    cancelId: 2,
  });
  if (choice.response === 0) void mainWindow?.loadURL(plan.window.url);
  else if (choice.response === 1) {
    writeWorkMode(args.dataDir, { ...readWorkMode(args.dataDir), mode: 'standalone' });
    app.relaunch();
    app.exit(0);
  } else app.quit();
}

let quitting = false;
app.on('window-all-closed', async () => {
  quitting = true;
  await core?.close();
  app.quit();
});
