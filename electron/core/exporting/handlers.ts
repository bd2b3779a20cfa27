import type { HandlersFor } from '../api/handler';
import type { exportsContract } from '@shared/contract/exports';
import { exportTable, printTable } from './table';

export const exportsHandlers: HandlersFor<typeof exportsContract> = {
  'exports.table': (ctx, input) => exportTable(ctx, input),
  'exports.print': (ctx, input) => printTable(ctx, input),
};
