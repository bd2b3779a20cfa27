import { Button, Popconfirm } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { call } from '../api/client';
import { useAction } from '../api/hooks';
import { downloadBase64 } from '../lib/files';

/** The exporters in an importer's own shape (a workbook the same importer reads back unchanged). */
type ShapedExport = 'venues.export' | 'organizations.activities.export' | 'training.trainees.exportRoster';

/**
 * The button of an export in its importer's shape, beside that importer's 导入 button: the file downloads, the
 * message names what was exported. `confirm`: a question first (the trainee roster carries full ID numbers and
 * its export is written to the audit log).
 */
export function ShapedExportButton(props: { call: ShapedExport; label: string; done: string; confirm?: string; testId?: string }) {
  const { run, busy } = useAction();
  const go = () =>
    run(async () => {
      const file = await call(props.call, {});
      downloadBase64(file);
      return file;
    }, props.done);
  const button = (
    <Button icon={<DownloadOutlined />} loading={busy} onClick={props.confirm ? undefined : () => void go()} data-testid={props.testId}>
      {props.label}
    </Button>
  );
  if (!props.confirm) return button;
  return (
    <Popconfirm title={props.confirm} okText="导出" cancelText="取消" onConfirm={() => void go()}>
      {button}
    </Popconfirm>
  );
}
