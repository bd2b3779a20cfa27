import { Button, Result } from 'antd';
import { useNavigate } from 'react-router-dom';
import type { ImportResult } from '@shared/contract/organizations';
import { ORG_COLUMNS } from '@shared/organizations/columns';
import { call } from '../../api/client';
import { ImportStepsView, useImportSteps } from '../../components/ImportSteps';

const FIELD_OPTIONS = ORG_COLUMNS.map((c) => ({ value: c.key, label: c.header }));

/**
 * 台账导入: pick a file, check the column mapping (remembered per file layout), read the preview — the real import
 * run without writing — then import everything (only when there is no error) or only the valid rows.
 */
export function ImportPage() {
  const navigate = useNavigate();
  const steps = useImportSteps<ImportResult>({
    preview: (input) => call('organizations.import.preview', input),
    commit: (input) => call('organizations.import.commit', { ...input, mapping: input.mapping ?? [] }),
  });
  const done = steps.done;

  if (done) {
    return (
      <Result
        status="success"
        title="导入完成"
        subTitle={`新增 ${done.counts.create} 个、更新 ${done.counts.update} 个、未变 ${done.counts.unchanged} 个${done.counts.error ? `,跳过有错误的 ${done.counts.error} 行` : ''}`}
        extra={[
          <Button type="primary" key="list" onClick={() => navigate('/organizations/list')}>查看台账</Button>,
          <Button key="again" onClick={steps.reset}>继续导入</Button>,
        ]}
      />
    );
  }

  return (
    <div style={{ overflow: 'auto', flex: 1 }}>
      <ImportStepsView
        steps={steps}
        fieldOptions={FIELD_OPTIONS}
        rowTitle="组织名称"
        rowName={(r) => r.name}
        accept=".xlsx,.xls,.et,.ods,.csv,.tsv,.txt,.htm,.html,.xml"
        hint={
          <>
            <p>点击或拖入台账文件(.xlsx / .xls 工作簿,WPS 表格,或 UTF-8 / GBK 编码的 CSV)</p>
            <p style={{ color: '#8c8c8c' }}>与导出文件标题相同的列会自动对应;表头上方的标题行会被跳过;日期可写 2021-03-05、2021/3/5、2021年3月5日</p>
          </>
        }
      />
    </div>
  );
}
