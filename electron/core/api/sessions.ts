import { randomBytes, randomUUID } from 'node:crypto';
import { AppError } from '@shared/errors';

/** Where a session was opened from: shown in 系统管理 → 在线用户. */
export interface SessionClient {
  /** The network address of the client ('本机' for the desktop window). */
  address: string;
  /** The program: 桌面程序, a browser's name, or the Node client. */
  program: string;
}

interface Session {
  /** A public handle for the admin's list (the token itself never leaves the transport). */
  id: string;
  userId: string;
  createdAt: number;
  lastActivity: number;
  locked: boolean;
  client: SessionClient;
}

export interface SessionInfo {
  id: string;
  userId: string;
  createdAt: number;
  lastActivity: number;
  locked: boolean;
  address: string;
  program: string;
}

const UNKNOWN_CLIENT: SessionClient = { address: '本机', program: '桌面程序' };

/**
 * Login sessions held in memory: a desktop app has few, and a restart should ask for the password again.
 * Idle sessions lock (the user re-enters the password) rather than end, so unsaved screens survive.
 */
export class SessionStore {
  private sessions = new Map<string, Session>();
  private endedListeners = new Set<(tokens: string[]) => void>();

  create(userId: string, now: number, client: SessionClient = UNKNOWN_CLIENT): string {
    const token = randomBytes(32).toString('base64url');
    this.sessions.set(token, { id: randomUUID(), userId, createdAt: now, lastActivity: now, locked: false, client });
    return token;
  }

  /** Validates a token for a call, updating its idle clock. */
  touch(token: string | null | undefined, now: number, idleMs: number, allowLocked: boolean): Session {
    const s = token ? this.sessions.get(token) : undefined;
    if (!s) throw new AppError('UNAUTHENTICATED', '尚未登录或登录已失效，请重新登录');
    if (!s.locked && now - s.lastActivity > idleMs) s.locked = true;
    if (s.locked && !allowLocked) throw new AppError('SESSION_LOCKED', '长时间未操作，已自动锁定，请输入密码解锁');
    if (!s.locked) s.lastActivity = now;
    return s;
  }

  /** The session behind a token without touching its idle clock (the event stream is not user activity). */
  peek(token: string | null | undefined): SessionInfo | null {
    const s = token ? this.sessions.get(token) : undefined;
    return s ? info(s) : null;
  }

  unlock(token: string, now: number): void {
    const s = this.sessions.get(token);
    if (s) {
      s.locked = false;
      s.lastActivity = now;
    }
  }

  list(): SessionInfo[] {
    return [...this.sessions.values()].map(info);
  }

  /** Ends the session with this public id; false when there is none. */
  endById(id: string): boolean {
    for (const [t, s] of this.sessions)
      if (s.id === id) {
        this.remove([t]);
        return true;
      }
    return false;
  }

  end(token: string | null | undefined): void {
    if (token && this.sessions.has(token)) this.remove([token]);
  }

  /** Ends every session of `userId` except `keep` (the caller's own, when it changes its password). */
  endAllOf(userId: string, keep?: string | null): void {
    this.remove([...this.sessions].filter(([t, s]) => s.userId === userId && t !== keep).map(([t]) => t));
  }

  clear(): void {
    this.remove([...this.sessions.keys()]);
  }

  /** Transports holding a connection per session (the event stream) close it when the session ends. */
  onEnded(l: (tokens: string[]) => void): () => void {
    this.endedListeners.add(l);
    return () => this.endedListeners.delete(l);
  }

  private remove(tokens: string[]): void {
    if (!tokens.length) return;
    for (const t of tokens) this.sessions.delete(t);
    for (const l of this.endedListeners) l(tokens);
  }
}

function info(s: Session): SessionInfo {
  return { id: s.id, userId: s.userId, createdAt: s.createdAt, lastActivity: s.lastActivity, locked: s.locked, address: s.client.address, program: s.client.program };
}
