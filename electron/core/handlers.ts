import type { AppContract } from '@shared/contract';
import type { HandlersFor } from './api/handler';
import { adminHandlers } from './admin/handlers';
import { organizationsHandlers } from './organizations/handlers';
import { venuesHandlers } from './venues/handlers';
import { custodyHandlers } from './custody/handlers';
import { trainingHandlers } from './training/handlers';
import { submissionHandlers } from './submission/handlers';
import { officeHandlers } from './office/handlers';
import { exportsHandlers } from './exporting/handlers';
import { importingHandlers } from './importing/handlers';

/** Every call's handler, by call name. */
export const handlers: HandlersFor<AppContract> = {
  ...adminHandlers,
  ...organizationsHandlers,
  ...venuesHandlers,
  ...custodyHandlers,
  ...trainingHandlers,
  ...submissionHandlers,
  ...officeHandlers,
  ...exportsHandlers,
  ...importingHandlers,
};
