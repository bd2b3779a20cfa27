import { randomBytes } from 'node:crypto';
import { AppError } from '@shared/errors';

interface Session {
  userId: string;
  lastActivity: number;
  locked: boolean;
}

/**
 * Login sessions held in memory: a desktop app has few, and a restart should ask for the password again.
 * Idle sessions lock (the user re-enters the password) rather than end, so unsaved screens survive.
 */
export class SessionStore {
  private sessions = new Map<string, Session>();

  create(userId: string, now: number): string {
    const token = randomBytes(32).toString('base64url');
    this.sessions.set(token, { userId, lastActivity: now, locked: false });
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

  unlock(token: string, now: number): void {
    const s = this.sessions.get(token);
    if (s) {
      s.locked = false;
      s.lastActivity = now;
    }
  }

  end(token: string | null | undefined): void {
    if (token) this.sessions.delete(token);
  }

  /** Ends every session of `userId` except `keep` (the caller's own, when it changes its password). */
  endAllOf(userId: string, keep?: string | null): void {
    for (const [t, s] of this.sessions) if (s.userId === userId && t !== keep) this.sessions.delete(t);
  }

  clear(): void {
    this.sessions.clear();
  }
}
