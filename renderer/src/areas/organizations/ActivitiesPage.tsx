import { useState } from 'react';
import { Alert, Button, Segmented, Space, Spin } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useCall } from '../../api/hooks';
import { useCan } from '../../app/session';
import { TableImportDialog } from '../../components/TableImportDialog';
import { ShapedExportButton } from '../../components/ShapedExportButton';
import { ActivityTable } from './OrgDetailPage';

/** Activities of all organizations; "待处理" lists the major activities whose report is missing, overdue or late. */
export function ActivitiesPage() {
  const [mode, setMode] = useState<'attention' | 'major' | 'all'>('attention');
  const canWrite = useCan('admin', 'staff');
  const [importing, setImporting] = useState(false);
  const { data, reload } = useCall(
    'organizations.activities.list',
    { attention: mode === 'attention', majorOnly: mode === 'major', startRow: 0, endRow: 500 },
    [mode],
  );
  return (
    <div style={{ overflow: 'auto', flex: 1 }}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Space wrap>
          <Segmented
            value={mode}
            onChange={(v) => setMode(v as typeof mode)}
            options={[
              { value: 'attention', label: '重大活动待处理' },
              { value: 'major', label: '全部重大活动' },
              { value: 'all', label: '全部活动' },
            ]}
          />
          {canWrite && (
            <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="activity-import">
              导入活动记录
            </Button>
          )}
          <ShapedExportButton call="organizations.activities.export" label="导出活动记录(导入格式)" done="已导出活动记录" testId="activity-export" />
        </Space>
        {importing && (
          <TableImportDialog
            title="导入活动记录"
            rowLabel="组织 · 活动"
            calls={{ preview: 'organizations.activities.import.preview', commit: 'organizations.activities.import.commit', template: 'organizations.activities.import.template' }}
            onClose={(imported) => {
              setImporting(false);
              if (imported) {
                setMode('all');
                reload();
              }
            }}
          />
        )}
        {mode === 'attention' && (
          <Alert type="info" showIcon message="节庆活动、文化演出、体育竞赛、人员集会,或预计人数超过基地设置阈值的活动是重大活动:须在活动日期之前登记重大活动报告,否则不能标记为已举办。" />
        )}
        {!data ? <Spin /> : <ActivityTable rows={data.rows} canWrite={canWrite} onChanged={reload} showOrg />}
        {data && data.total > data.rows.length && <span>共 {data.total} 条,显示前 {data.rows.length} 条</span>}
      </Space>
    </div>
  );
}
