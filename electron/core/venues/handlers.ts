import type { venuesContract } from '@shared/contract/venues';
import type { HandlersFor } from '../api/handler';

/** Handlers of the venues area, one per entry of `venuesContract`. */
export const venuesHandlers: HandlersFor<typeof venuesContract> = {};
