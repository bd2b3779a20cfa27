import type { Contract } from './define';

/** Calls of the submission area. Add entries with defineCall; the handlers live in electron/core/submission/handlers.ts. */
export const submissionContract = {} satisfies Contract;
