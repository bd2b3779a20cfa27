import { ANY_ROLE } from '../roles';
import { zImportPreviewRowsInput, zImportPreviewRowsOutput } from '../importing/contract';
import { defineCall } from './define';

/** Calls every importer on the import engine shares. */
export const importingContract = {
  /**
   * A page of an import preview's rows (all, or those of one action) that the preview kept in the core because
   * they were too many to send at once (its `previewId`); only for the user who made the preview.
   */
  'importing.previewRows': defineCall({ title: '预览导入（翻页）', access: ANY_ROLE, write: false, input: zImportPreviewRowsInput, output: zImportPreviewRowsOutput }),
};
