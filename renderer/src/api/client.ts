import { callDef, isCallName, type CallInput, type CallName, type CallOutput, type IncubaseBridge } from '@shared/contract';
import type { ApiErrorShape, ErrorCode, ErrorIssue, Result } from '@shared/errors';
import { APP_VERSION } from '@shared/version';
import { connectionState, reportUnreachable } from './live';

declare global {
  interface Window {
    incubase?: IncubaseBridge;
  }
}

/** A refused call, carrying the Chinese message to show. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly issues?: ErrorIssue[];
  readonly details?: Record<string, unknown>;
  constructor(e: ApiErrorShape) {
    super(e.message);
    this.code = e.code;
    this.issues = e.issues;
    this.details = e.details;
  }
}

/** Over HTTP to the Node host: same calls, same results as the preload bridge. */
const httpBridge: IncubaseBridge = {
  platform: 'web',
  async invoke(name, input) {
    let res: Response;
    try {
      res = await fetch(`/api/${encodeURIComponent(name)}`, {
        method: 'POST',
        credentials: 'same-origin',
        // The version travels with every call: the office server refuses writes from another version.
        headers: { 'content-type': 'application/json', 'x-incubase-client': '1', 'x-incubase-version': APP_VERSION },
        body: JSON.stringify(input ?? {}),
      });
    } catch {
      reportUnreachable();
      return { ok: false, error: { code: 'INTERNAL', message: OFFLINE_MESSAGE } };
    }
    try {
      return (await res.json()) as Result<unknown>;
    } catch {
      return { ok: false, error: { code: 'INTERNAL', message: `服务返回了无法识别的内容(HTTP ${res.status})` } };
    }
  },
};

const OFFLINE_MESSAGE = '与服务器的连接已断开，暂时不能读取或保存；正在自动重新连接，连上后请再操作一次';

/**
 * The desktop window talks to its core through the preload; a page served over the network (the office
 * server, also when the desktop app is connected to one) talks to the server that served it.
 */
export const bridge: IncubaseBridge = window.incubase && location.protocol !== 'https:' ? window.incubase : httpBridge;

type SessionListener = (code: 'UNAUTHENTICATED' | 'SESSION_LOCKED') => void;
const sessionListeners = new Set<SessionListener>();
/** The app shell listens here to show the login or lock screen when any call finds the session gone. */
export function onSessionProblem(l: SessionListener): () => void {
  sessionListeners.add(l);
  return () => sessionListeners.delete(l);
}

/** The live connection found the session ended (by the admin, or a server restart): show the login screen. */
export function notifySessionEnded(): void {
  sessionListeners.forEach((l) => l('UNAUTHENTICATED'));
}

/** Calls the core. Typed by the contract: the name picks the input and output types. */
export async function call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
  // No hidden local queue: while the server is away a write is refused at once, with the reason.
  if (connectionState() === 'offline' && isCallName(name) && callDef(name).write) throw new ApiError({ code: 'INTERNAL', message: OFFLINE_MESSAGE });
  const r = await bridge.invoke(name, input);
  if (r.ok) return r.data as CallOutput<N>;
  if (r.error.code === 'UNAUTHENTICATED' || r.error.code === 'SESSION_LOCKED') {
    if (name !== 'auth.login' && name !== 'auth.unlock') sessionListeners.forEach((l) => l(r.error.code as 'UNAUTHENTICATED'));
  }
  throw new ApiError(r.error);
}
