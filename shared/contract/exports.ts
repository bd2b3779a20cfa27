import { z } from 'zod';
import { ANY_ROLE } from '../roles';
import { zExportColumn } from '../exporting/table';
import { defineCall, zFileDownload } from './define';

const zListInput = z.object({
      /** The list call the screen shows (a read; its own roles apply). */
      call: z.string().min(1).max(80),
      /** That call's input, exactly as the screen sends it (filters, search, sort). */
      input: z.record(z.string(), z.unknown()).default({}),
      /** Where the rows are in the call's output when it is not the array itself or its `rows`. */
      rowsKey: z.string().max(40).optional(),
      columns: z.array(zExportColumn).min(1).max(80),
      /** Sheet title and file name, e.g. 学员名单. */
      title: z.string().trim().min(1).max(60),
});

export const exportsContract = {
  'exports.table': defineCall({ title: '导出列表', access: ANY_ROLE, write: false, input: zListInput, output: zFileDownload.extend({ rows: z.number().int() }) }),
  'exports.print': defineCall({ title: '打印列表', access: ANY_ROLE, write: false, input: zListInput, output: z.object({ html: z.string(), fileName: z.string(), rows: z.number().int() }) }),
};
