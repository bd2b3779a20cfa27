import type { organizationsContract } from '@shared/contract/organizations';
import type { HandlersFor } from '../api/handler';

/** Handlers of the organizations area, one per entry of `organizationsContract`. */
export const organizationsHandlers: HandlersFor<typeof organizationsContract> = {};
