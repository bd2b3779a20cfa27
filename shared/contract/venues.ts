import type { Contract } from './define';

/** Calls of the venues area. Add entries with defineCall; the handlers live in electron/core/venues/handlers.ts. */
export const venuesContract = {} satisfies Contract;
