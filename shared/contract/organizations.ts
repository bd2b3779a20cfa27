import type { Contract } from './define';

/** Calls of the organizations area. Add entries with defineCall; the handlers live in electron/core/organizations/handlers.ts. */
export const organizationsContract = {} satisfies Contract;
