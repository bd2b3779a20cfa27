import type { Kysely } from 'kysely';
import type { SessionUser } from '@shared/contract/admin';
import type { Role } from '@shared/roles';
import type { Database } from '../db/schema';
import type { Core } from '../core';

/** One row of the audit log, written in the same transaction as the change it describes. */
export interface AuditEntry {
  /** What was done: usually the call name, e.g. `organizations.update`. Defaults to the current call. */
  action?: string;
  entity: string;
  entityId?: string | null;
  /** One Chinese line for the audit screen, e.g. 修改组织「邻里守望互助队」. */
  summary: string;
  before?: unknown;
  after?: unknown;
  /** Who acted, when not the session's user (a login, before there is a session). */
  actor?: { id: string; username: string };
}

export type Trx = Kysely<Database>;

/** What every handler receives. */
export interface CallContext {
  core: Core;
  /** Read access; for writes use `write`. */
  db: Kysely<Database>;
  /** The logged-in user, or null for public calls. */
  user: SessionUser | null;
  /** The call being served, e.g. `users.create`. */
  callName: string;
  /** The session token of this call (null for public calls); the unlock handler needs it. */
  token: string | null;
  /** Current time (injectable in tests). */
  now(): Date;
  /** Runs `fn` in one IMMEDIATE transaction (reuses the current one when nested). */
  write<T>(fn: (trx: Trx) => Promise<T>): Promise<T>;
  /** Appends to the audit log inside `trx`. */
  audit(trx: Trx, entry: AuditEntry): Promise<void>;
  /** The user, or an UNAUTHENTICATED error. */
  requireUser(): SessionUser;
  hasRole(...roles: Role[]): boolean;
}
