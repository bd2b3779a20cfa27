import type { custodyContract } from '@shared/contract/custody';
import type { HandlersFor } from '../api/handler';

/** Handlers of the custody area, one per entry of `custodyContract`. */
export const custodyHandlers: HandlersFor<typeof custodyContract> = {};
