import type { ReactNode } from 'react';
import { Button, Modal, Result, Space } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import type { CallName } from '@shared/contract';
import { importSummaryLine, type TableImportResult } from '@shared/importing/contract';
import { call } from '../api/client';
import { useAction } from '../api/hooks';
import { downloadBase64 } from '../lib/files';
import { ImportStepsView, useImportSteps } from './ImportSteps';

/** The calls of one importer on the core's import engine (`<area>.….import.preview/commit/template`). */
type PreviewName = { [N in CallName]: N extends `${string}.import.preview` ? N : never }[CallName];
type CommitName = { [N in CallName]: N extends `${string}.import.commit` ? N : never }[CallName];
type TemplateName = { [N in CallName]: N extends `${string}.import.template` ? N : never }[CallName];

/** Untyped access to the importer's three calls: they all share the engine's input and output shapes. */
const callAny = call as unknown as (name: string, input: unknown) => Promise<unknown>;

/**
 * The import dialog of every importer on the import engine: the template, then the steps every importer shares
 * (ImportStepsView: upload, column and label mapping, the preview as a dry run, 全部导入 / 只导入无误的行) and the result.
 */
export function TableImportDialog(props: {
  title: string;
  /** What one row is, for the list's first column (组织 · 活动, 场地名称…). */
  rowLabel: string;
  calls: { preview: PreviewName; commit: CommitName; template: TemplateName };
  onClose: (imported: boolean) => void;
  /** What this importer takes besides the file (the history import's approver and bank account), sent with every call. */
  extraInput?: Record<string, unknown>;
  /** The controls for `extraInput`, shown above the steps. */
  extra?: ReactNode;
}) {
  const { run } = useAction();
  const steps = useImportSteps<TableImportResult>({
    preview: async (input) => (await callAny(props.calls.preview, { ...input, ...props.extraInput })) as TableImportResult,
    commit: async (input) => (await callAny(props.calls.commit, { ...input, ...props.extraInput })) as TableImportResult,
  });
  const done = steps.done;
  const fieldOptions = (steps.preview?.fields ?? []).map((f) => ({ value: f.key, label: f.required ? `${f.title}(必填)` : f.title }));
  return (
    <Modal
      open
      width={1040}
      title={props.title}
      onCancel={() => props.onClose(!!done)}
      footer={done ? <Button type="primary" onClick={() => props.onClose(true)}>完成</Button> : <Button onClick={() => props.onClose(false)}>关闭</Button>}
      styles={{ body: { maxHeight: 'calc(100vh - 220px)', overflow: 'auto' } }}
      data-testid="table-import"
    >
      {done ? (
        <Result status="success" title="导入完成" subTitle={importSummaryLine(done)} />
      ) : (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Button icon={<DownloadOutlined />} onClick={() => run(async () => downloadBase64((await callAny(props.calls.template, {})) as { fileName: string; mimeType: string; base64: string }))}>
            下载模板
          </Button>
          {props.extra}
          <ImportStepsView
            steps={steps}
            fieldOptions={fieldOptions}
            rowTitle={props.rowLabel}
            rowName={(r) => r.label}
            accept=".xlsx,.xls,.et,.ods,.csv,.txt,.htm,.html,.xml"
            hint={
              <>
                <p>点击或拖入文件(Excel .xlsx/.xls、WPS、CSV,GBK 或 UTF-8 均可)</p>
                <p style={{ color: '#8c8c8c' }}>与模板标题相同或相近的列会自动对应;表头上方的标题行和表尾的填表人、合计行会被跳过</p>
              </>
            }
          />
        </Space>
      )}
    </Modal>
  );
}
