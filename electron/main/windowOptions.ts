import type { BrowserWindowConstructorOptions, Rectangle } from 'electron';

export interface SavedWindowState {
  bounds?: Partial<Rectangle>;
  maximized?: boolean;
}

/**
 * The one place the window's options are made, so a unit test can check the security settings:
 * context isolation and the sandbox on, no Node in the page, no remote content features.
 */
export function createWindowOptions(preloadPath: string, saved: SavedWindowState = {}): BrowserWindowConstructorOptions {
  const b = saved.bounds ?? {};
  return {
    width: clamp(b.width, 1000, 4000, 1366),
    height: clamp(b.height, 640, 3000, 860),
    x: typeof b.x === 'number' ? b.x : undefined,
    y: typeof b.y === 'number' ? b.y : undefined,
    minWidth: 1000,
    minHeight: 640,
    title: '孵化基地管理系统',
    show: false,
    backgroundColor: '#f5f6f8',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      spellcheck: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
    },
  };
}

function clamp(v: number | undefined, min: number, max: number, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, Math.round(v))) : fallback;
}

/** The Content-Security-Policy sent with every page of the app (also set as a meta tag in index.html). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self' blob: data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** The custom scheme the renderer is served from. */
export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://incubase`;

/** Maps a request under app://incubase/ to a file inside `root`, or null when the path escapes it. */
export function resolveAppFile(root: string, requestUrl: string, join: (...p: string[]) => string, normalize: (p: string) => string): string | null {
  let pathname: string;
  try {
    const url = new URL(requestUrl);
    if (`${url.protocol}//${url.host}` !== APP_ORIGIN) return null;
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  const rel = pathname === '/' || pathname === '' ? 'index.html' : pathname.replace(/^\/+/, '');
  const full = normalize(join(root, rel));
  const rootNorm = normalize(join(root, '/'));
  return full.startsWith(rootNorm) ? full : null;
}
