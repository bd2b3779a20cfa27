import type { CallInput, CallName, CallOutput, IncubaseBridge } from '@shared/contract';
import type { ApiErrorShape, ErrorCode, ErrorIssue, Result } from '@shared/errors';

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
        headers: { 'content-type': 'application/json', 'x-incubase-client': '1' },
        body: JSON.stringify(input ?? {}),
      });
    } catch {
      return { ok: false, error: { code: 'INTERNAL', message: '无法连接到本机服务，请确认 Incubase 仍在运行' } };
    }
    try {
      return (await res.json()) as Result<unknown>;
    } catch {
      return { ok: false, error: { code: 'INTERNAL', message: `服务返回了无法识别的内容(HTTP ${res.status})` } };
    }
  },
};

export const bridge: IncubaseBridge = window.incubase ?? httpBridge;

type SessionListener = (code: 'UNAUTHENTICATED' | 'SESSION_LOCKED') => void;
const sessionListeners = new Set<SessionListener>();
/** The app shell listens here to show the login or lock screen when any call finds the session gone. */
export function onSessionProblem(l: SessionListener): () => void {
  sessionListeners.add(l);
  return () => sessionListeners.delete(l);
}

/** Calls the core. Typed by the contract: the name picks the input and output types. */
export async function call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
  const r = await bridge.invoke(name, input);
  if (r.ok) return r.data as CallOutput<N>;
  if (r.error.code === 'UNAUTHENTICATED' || r.error.code === 'SESSION_LOCKED') {
    if (name !== 'auth.login' && name !== 'auth.unlock') sessionListeners.forEach((l) => l(r.error.code as 'UNAUTHENTICATED'));
  }
  throw new ApiError(r.error);
}
