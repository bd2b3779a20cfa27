/**
 * Limits of the intake layer shared by the readers (core) and the contract (outputs): a file wider than
 * `IMPORT_MAX_COLUMNS` is refused by the reader with a Chinese message, so no call ever tries to return more
 * columns than its output schema allows.
 */
export const IMPORT_MAX_COLUMNS = 200;
/** Data rows one file may hold. */
export const IMPORT_MAX_ROWS = 200_000;
/** Formats the intake layer reads (detected from the content, never the extension). */
export const TABLE_FORMATS = ['xlsx', 'xls', 'ods', 'html', 'xml', 'csv', 'pdf'] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];
export const TABLE_FORMAT_LABELS: Record<TableFormat, string> = {
  xlsx: 'Excel 工作簿 (.xlsx)',
  xls: 'Excel 97-2003 / WPS 工作簿 (.xls/.et)',
  ods: 'OpenDocument 表格 (.ods)',
  html: '网页表格 (HTML)',
  xml: 'XML 表格 (Excel 2003 XML)',
  csv: '文本表格 (CSV/TSV)',
  pdf: 'PDF 文本',
};

/**
 * The names a column may be known by when its title came from a header over two or three rows (`负责人·联系电话`):
 * the whole title, the group and sub-header run together (`负责人联系电话`), the group with 电话 for 联系电话
 * (`负责人电话`), the group alone for a 姓名/名称 sub-header (`负责人`), and last the sub-header alone.
 */
export function headerVariants(title: string): string[] {
  const parts = title.split('·').filter((p) => p !== '');
  if (parts.length < 2) return [title];
  const out: string[] = [title];
  const add = (s: string) => {
    if (s && !out.includes(s)) out.push(s);
  };
  const last = parts[parts.length - 1];
  const group = parts.slice(0, -1).join('');
  add(parts.join(''));
  add(group + last.replace(/^联系/, ''));
  if (/^(姓名|名称|名字)$/.test(last)) add(group);
  for (let i = parts.length - 2; i >= 0; i--) add(parts.slice(i).join(''));
  add(last);
  return out;
}
