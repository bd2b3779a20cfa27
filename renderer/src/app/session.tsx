import { createContext, useContext } from 'react';
import type { CallOutput } from '@shared/contract';
import type { Role } from '@shared/roles';

export type Me = CallOutput<'auth.me'>;

export interface SessionState {
  me: Me;
  /** The demo hub (its own folder, published password): marked in the header and the title bar. */
  demo?: boolean;
  /** Refresh hub, settings and user after they change. */
  refresh(): Promise<void>;
  logout(): Promise<void>;
}

export const SessionContext = createContext<SessionState | null>(null);

export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside the logged-in shell');
  return s;
}

/** UI hint only: the core checks roles on every call whatever the UI shows. */
export function useCan(...roles: Role[]): boolean {
  const { me } = useSession();
  return me.user.roles.some((r) => roles.includes(r));
}
