import { useEffect, useSyncExternalStore } from 'react';
import { EVERYTHING, type LiveChange } from '@shared/server/live';
import { createSseParser } from '@shared/server/sse';

/**
 * The connection to the data and its change feed. In a browser (the office server, or `npm run web`) the page
 * follows GET /api/events; in the desktop window the shell may push changes through the bridge. The stream
 * is also the heartbeat: when it breaks the banner shows at once and writes are refused until it is back.
 */
export type ConnectionState = 'connecting' | 'online' | 'offline';

type ChangeListener = (changes: LiveChange[]) => void;
const changeListeners = new Set<ChangeListener>();
const stateListeners = new Set<() => void>();
let state: ConnectionState = 'online';
let offlineSince: number | null = null;
let running = false;
let abort: AbortController | null = null;
let retryTimer: ReturnType<typeof setTimeout> | null = null;
let retryDelay = 500;
let pending: LiveChange[] = [];
let flushTimer: ReturnType<typeof setTimeout> | null = null;
let sessionEnded: (() => void) | null = null;

function setState(next: ConnectionState): void {
  if (next === state) return;
  const wasOffline = state === 'offline';
  state = next;
  offlineSince = next === 'offline' ? Date.now() : null;
  stateListeners.forEach((l) => l());
  // Back after a break: whatever changed meanwhile was not heard; every open screen reloads.
  if (wasOffline && next === 'online') deliver([EVERYTHING]);
}

function deliver(changes: LiveChange[]): void {
  pending.push(...changes);
  if (flushTimer) return;
  // Several writes of one action arrive together: one reload per screen.
  flushTimer = setTimeout(() => {
    const batch = pending;
    pending = [];
    flushTimer = null;
    changeListeners.forEach((l) => l(batch));
  }, 150);
}

/** Every committed change, in batches. */
export function onChanges(l: ChangeListener): () => void {
  changeListeners.add(l);
  return () => changeListeners.delete(l);
}

export function connectionState(): ConnectionState {
  return state;
}
export function connectionOfflineSince(): number | null {
  return offlineSince;
}

/** The shell's banner and the write guard read this. */
export function useConnectionState(): ConnectionState {
  return useSyncExternalStore(
    (l) => {
      stateListeners.add(l);
      return () => stateListeners.delete(l);
    },
    () => state,
  );
}

/** A call could not reach the server at all: treat the connection as lost and start reconnecting. */
export function reportUnreachable(): void {
  if (!running) return;
  setState('offline');
  abort?.abort();
  scheduleRetry();
}

function scheduleRetry(): void {
  if (!running || retryTimer) return;
  retryTimer = setTimeout(() => {
    retryTimer = null;
    void connect();
  }, retryDelay);
  retryDelay = Math.min(retryDelay * 2, 4000);
}

async function connect(): Promise<void> {
  if (!running) return;
  abort?.abort();
  const controller = new AbortController();
  abort = controller;
  let res: Response;
  try {
    res = await fetch('/api/events', { credentials: 'same-origin', headers: { accept: 'text/event-stream' }, signal: controller.signal, cache: 'no-store' });
  } catch {
    if (controller.signal.aborted && !running) return;
    setState('offline');
    scheduleRetry();
    return;
  }
  if (res.status === 401) {
    // The session is gone (ended by the admin, or the server restarted): the login screen, not a banner.
    setState('online');
    stop();
    sessionEnded?.();
    return;
  }
  if (!res.ok || !res.body) {
    setState('offline');
    scheduleRetry();
    return;
  }
  retryDelay = 500;
  setState('online');
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let ended = false;
  const parser = createSseParser(({ event, data }) => {
    if (ended) return;
    if (event === 'change') deliver(JSON.parse(data) as LiveChange[]);
    else if (event === 'session-ended') ended = true;
  });
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      parser.push(value);
      if (ended) {
        stop();
        sessionEnded?.();
        return;
      }
    }
  } catch {
    // the stream broke: the server went away or the network did
  }
  if (!running || controller.signal.aborted) return;
  setState('offline');
  scheduleRetry();
}

function stop(): void {
  running = false;
  abort?.abort();
  abort = null;
  if (retryTimer) clearTimeout(retryTimer);
  retryTimer = null;
}

/**
 * Follows the change feed while a user is logged in (the shell mounts this). `onSessionEnded` shows the login
 * screen when the admin ends the session.
 */
export function useLiveConnection(opts: { web: boolean; subscribe?: (l: (c: LiveChange[]) => void) => () => void; onSessionEnded: () => void }): void {
  useEffect(() => {
    sessionEnded = opts.onSessionEnded;
    if (opts.subscribe) {
      const off = opts.subscribe((c) => deliver(c));
      return () => {
        off();
        sessionEnded = null;
      };
    }
    if (!opts.web) return;
    running = true;
    retryDelay = 500;
    void connect();
    return () => {
      stop();
      setState('online');
      sessionEnded = null;
    };
  }, [opts.web, opts.subscribe]);
}
