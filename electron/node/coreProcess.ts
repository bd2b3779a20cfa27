import type { CoreOptions, InvokeResult, StartupStep } from '../core/core';
import type { ChangeEvent } from '../core/api/changes';
import { startOfficeServer, type OfficeServer } from '../host/office';
import { openCoreInBackground, STARTUP_LABELS } from '../host/startup';

/**
 * The core in its own process. In the desktop app that is an Electron `utilityProcess` (as Actual runs its
 * server): the main process keeps only windows, menus, dialogs and the protocol, and a long call never stalls
 * the window. The same module runs under plain Node with `child_process.fork`, speaking the same messages,
 * which is how the tests drive it (Electron's binary is not needed).
 */

/** What the parent sends. */
export type ToCore =
  | { type: 'invoke'; id: number; name: string; input: unknown; token: string | null }
  | { type: 'close' };

/** What the core process answers. */
export type FromCore =
  | { type: 'progress'; step: StartupStep; label: string }
  | { type: 'ready'; recovery: string | null; dataDir: string; updateUrl: string; serving: Serving | null; serveError: string | null }
  /** Committed changes of every user (this window's, the office's desks'), for live screens. */
  | { type: 'changes'; changes: ChangeEvent[] }
  | { type: 'result'; id: number; result: InvokeResult }
  | { type: 'fatal'; message: string }
  | { type: 'closed' };

export { STARTUP_LABELS };

/** Where the office server of this process listens (办公室服务器 mode). */
export interface Serving {
  urls: string[];
  fingerprint: string;
  port: number;
}

export interface Ready {
  recovery: string | null;
  dataDir: string;
  updateUrl: string;
  serving: Serving | null;
  /** The office server could not start (the port in use…): the app works on this PC, the others cannot connect. */
  serveError: string | null;
}

/** The options the parent passes as the process's one argument (JSON). */
export type CoreProcessOptions = Pick<CoreOptions, 'dataDir' | 'seed' | 'demoScale' | 'autoBackup'> & {
  /** 办公室服务器 mode: serve the office over HTTPS from this process (the pages from `rendererDir`). */
  serve?: { port: number; host?: string; rendererDir?: string } | null;
};

/** A message channel: Electron's parentPort or a forked child's IPC, wrapped to one shape. */
export interface Channel<Out, In> {
  send(message: Out): void;
  onMessage(listener: (message: In) => void): void;
}

/** The child side: opens the core (reporting each step), then answers every invoke; calls made early wait. */
export function serveCore(channel: Channel<FromCore, ToCore>, options: CoreProcessOptions, onClosed: () => void = () => undefined): void {
  let server: OfficeServer | null = null;
  const startup = openCoreInBackground({
    ...options,
    onProgress: (step) => channel.send({ type: 'progress', step, label: STARTUP_LABELS[step] }),
  });
  const opening = startup.ready;
  // 办公室服务器 mode: the office server listens at once (the desks see 正在启动 with the step meanwhile), as `npm run server`.
  const listening: Promise<{ server: OfficeServer | null; serveError: string | null }> = options.serve
    ? startOfficeServer({ core: startup, port: options.serve.port, host: options.serve.host, rendererDir: options.serve.rendererDir }).then(
        (s) => ({ server: (server = s), serveError: null }),
        (e: NodeJS.ErrnoException) => ({
          server: null,
          serveError: e.code === 'EADDRINUSE' ? `端口 ${options.serve!.port} 已被其他程序占用` : e.message,
        }),
      )
    : Promise.resolve({ server: null, serveError: null });
  opening.then(
    async (core) => {
      core.startMaintenance();
      core.changes.subscribe((changes) => channel.send({ type: 'changes', changes }));
      const updateUrl = core.recovery ? '' : await core.settings().then((s) => s.updateUrl, () => '');
      const listened = await listening;
      const serveError = listened.serveError;
      if (serveError) core.log('error', `办公室服务器未能启动：${serveError}`);
      // A database that failed the check is restored on this PC first: the desks are not served meanwhile.
      if (server && core.recovery) {
        const closing = server;
        server = null;
        await closing.close().catch(() => undefined);
      }
      const serving = server ? { urls: server.urls, fingerprint: server.fingerprint, port: server.port } : null;
      channel.send({ type: 'ready', recovery: core.recovery?.reason ?? null, dataDir: core.dataDir, updateUrl, serving, serveError });
    },
    (e: Error) => {
      void listening.then(() => server?.close()).catch(() => undefined);
      channel.send({ type: 'fatal', message: `数据库无法打开：${e.message}` });
    },
  );
  channel.onMessage(async (msg) => {
    if (msg.type === 'invoke') {
      let result: InvokeResult;
      try {
        const core = await opening;
        result = await core.invoke(msg.name, msg.input, msg.token);
      } catch (e) {
        result = { ok: false, error: { code: 'INTERNAL', message: `数据库无法打开：${(e as Error).message}` } };
      }
      channel.send({ type: 'result', id: msg.id, result });
    } else if (msg.type === 'close') {
      await listening;
      await server?.close().catch(() => undefined);
      await opening.then((core) => core.close()).catch(() => undefined);
      channel.send({ type: 'closed' });
      onClosed();
    }
  });
}

/** This process's channel: Electron's `process.parentPort` in a utilityProcess, else Node's fork IPC. */
export function processChannel(): Channel<FromCore, ToCore> {
  const parentPort = (process as unknown as { parentPort?: { postMessage(m: unknown): void; on(e: 'message', l: (ev: { data: unknown }) => void): void } }).parentPort;
  if (parentPort) {
    return { send: (m) => parentPort.postMessage(m), onMessage: (l) => parentPort.on('message', (ev) => l(ev.data as ToCore)) };
  }
  if (!process.send) throw new Error('core process started without a parent channel');
  return { send: (m) => process.send!(m), onMessage: (l) => process.on('message', (m) => l(m as ToCore)) };
}

/** The parent side (Electron main, tests): typed invoke over the channel, progress and readiness events. */
export class CoreClient {
  private nextId = 1;
  private readonly pending = new Map<number, (r: InvokeResult) => void>();
  private readonly progressListeners = new Set<(label: string, step: StartupStep) => void>();
  private readonly changeListeners = new Set<(changes: ChangeEvent[]) => void>();
  private closedResolve: (() => void) | null = null;
  lastProgress: string | null = null;
  readonly ready: Promise<Ready>;

  constructor(private readonly channel: Channel<ToCore, FromCore>) {
    let resolveReady!: (v: Ready) => void;
    let rejectReady!: (e: Error) => void;
    this.ready = new Promise((res, rej) => {
      resolveReady = res;
      rejectReady = rej;
    });
    this.ready.catch(() => undefined);
    channel.onMessage((msg) => {
      if (msg.type === 'progress') {
        this.lastProgress = msg.label;
        for (const l of this.progressListeners) l(msg.label, msg.step);
      } else if (msg.type === 'ready') {
        resolveReady({ recovery: msg.recovery, dataDir: msg.dataDir, updateUrl: msg.updateUrl, serving: msg.serving, serveError: msg.serveError });
      } else if (msg.type === 'changes') {
        for (const l of this.changeListeners) l(msg.changes);
      }
      else if (msg.type === 'fatal') rejectReady(new Error(msg.message));
      else if (msg.type === 'result') {
        this.pending.get(msg.id)?.(msg.result);
        this.pending.delete(msg.id);
      } else if (msg.type === 'closed') this.closedResolve?.();
    });
  }

  onProgress(listener: (label: string, step: StartupStep) => void): () => void {
    this.progressListeners.add(listener);
    return () => this.progressListeners.delete(listener);
  }

  /** Every committed change (the shell forwards them to its windows: live screens over IPC). */
  onChanges(listener: (changes: ChangeEvent[]) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  invoke(name: string, input: unknown, token: string | null): Promise<InvokeResult> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.channel.send({ type: 'invoke', id, name, input, token });
    });
  }

  /** The process ended (crash): every waiting call gets a Chinese error instead of hanging. */
  failAll(message: string): void {
    for (const [id, resolve] of this.pending) resolve({ ok: false, error: { code: 'INTERNAL', message } });
    this.pending.clear();
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.closedResolve = resolve;
      this.channel.send({ type: 'close' });
    });
  }
}
