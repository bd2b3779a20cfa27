import type { Contract } from './define';

/** Calls of the training area. Add entries with defineCall; the handlers live in electron/core/training/handlers.ts. */
export const trainingContract = {} satisfies Contract;
