import type { trainingContract } from '@shared/contract/training';
import type { HandlersFor } from '../api/handler';

/** Handlers of the training area, one per entry of `trainingContract`. */
export const trainingHandlers: HandlersFor<typeof trainingContract> = {};
