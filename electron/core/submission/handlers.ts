import type { submissionContract } from '@shared/contract/submission';
import type { HandlersFor } from '../api/handler';

/** Handlers of the submission area, one per entry of `submissionContract`. */
export const submissionHandlers: HandlersFor<typeof submissionContract> = {};
