import type { importingContract } from '@shared/contract/importing';
import type { HandlersFor } from '../api/handler';
import { IMPORT_PREVIEW_KIND } from './engine';
import { previewPage } from './previewStore';

export const importingHandlers: HandlersFor<typeof importingContract> = {
  'importing.previewRows': (ctx, input) => {
    const page = previewPage<never>(ctx.core, IMPORT_PREVIEW_KIND, ctx.user?.id ?? null, input.previewId, input.offset, input.limit, input.filter ?? '');
    return { total: page.total, rows: page.rows };
  },
};
