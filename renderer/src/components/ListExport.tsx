import { Button, Space, Tooltip } from 'antd';
import { DownloadOutlined, PrinterOutlined } from '@ant-design/icons';
import { LIST_EXPORTS, type ListExportName } from '@shared/exporting/lists';
import { call } from '../api/client';
import { useAction } from '../api/hooks';
import { downloadBase64, printHtml } from '../lib/files';

/**
 * 导出 Excel / 打印 for a list screen: sends the list's own call input (its current filters, search and sort)
 * and the list's columns (shared/exporting/lists.ts); the core reads the same rows the screen shows and writes
 * a workbook with number and date cells, or a printable page. One mechanism for every list.
 */
type Input = Record<string, unknown>;

/** `input`: the list call's input as the screen sends it now (a function for grids whose filters live in refs). */
/** `compact`: the print button shows its icon only (its tooltip names it), for a toolbar that must stay on one line. */
export function ListExportButton({ list, input, print = true, compact = false }: { list: ListExportName; input?: Input | (() => Input); print?: boolean; compact?: boolean }) {
  const { run, busy } = useAction();
  const spec = LIST_EXPORTS[list];
  const req = () => ({ call: spec.call, input: (typeof input === 'function' ? input() : input) ?? {}, columns: spec.columns, title: spec.title, rowsKey: spec.rowsKey });
  const exportXlsx = () => run(async () => downloadBase64(await call('exports.table', req())));
  const printIt = () =>
    run(async () => {
      const p = await call('exports.print', req());
      await printHtml(p.html, p.fileName);
    });
  return (
    <Space.Compact>
      <Tooltip title={`把「${spec.title}」当前筛选的全部行导出为 Excel(金额、数量为数字，日期为日期格式)`}>
        <Button icon={<DownloadOutlined />} loading={busy} onClick={exportXlsx} data-testid={`export-${list}`}>
          导出 Excel
        </Button>
      </Tooltip>
      {print && (
        <Tooltip title="打印当前筛选的全部行(A4 横向)">
          <Button icon={<PrinterOutlined />} disabled={busy} onClick={printIt} data-testid={`print-${list}`} aria-label="打印">
            {compact ? null : '打印'}
          </Button>
        </Tooltip>
      )}
    </Space.Compact>
  );
}
