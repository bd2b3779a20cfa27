import type { Contract } from './define';

/** Calls of the custody area. Add entries with defineCall; the handlers live in electron/core/custody/handlers.ts. */
export const custodyContract = {} satisfies Contract;
