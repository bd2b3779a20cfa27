import { useState } from 'react';
import { Alert, Button, Form, Select, Space } from 'antd';
import { ImportOutlined } from '@ant-design/icons';
import { useCall } from '../../api/hooks';
import { TableImportDialog } from '../../components/TableImportDialog';
import { useCustodyOverview } from './common';

/**
 * 导入历史台账: the custody history import (voucher-import) on the shared import dialog. The approver — another
 * user with the approving role — and the 代管资金专户 are chosen first; the preview is then the import run dry.
 */
export function HistoryImportButton({ onImported }: { onImported: () => void }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button icon={<ImportOutlined />} onClick={() => setOpen(true)}>
        导入历史
      </Button>
      {open && (
        <HistoryImportDialog
          onClose={(imported) => {
            setOpen(false);
            if (imported) onImported();
          }}
        />
      )}
    </>
  );
}

function HistoryImportDialog({ onClose }: { onClose: (imported: boolean) => void }) {
  const approvers = useCall('custody.approvers', {});
  const overview = useCustodyOverview();
  const banks = (overview.data?.bankAccounts ?? []).filter((b) => b.active && b.holds !== 'own');
  const [approver, setApprover] = useState<string | undefined>(undefined);
  const [bank, setBank] = useState<string | undefined>(undefined);
  const bankId = bank ?? (banks.length === 1 ? banks[0].id : undefined);
  return (
    <TableImportDialog
      title="导入代管资金历史台账"
      rowLabel="组织"
      calls={{ preview: 'custody.vouchers.import.preview', commit: 'custody.vouchers.import.commit', template: 'custody.vouchers.import.template' }}
      extraInput={{ approverUsername: approver, bankAccountId: bankId }}
      onClose={onClose}
      extra={
        <Space direction="vertical" style={{ width: '100%' }}>
          <Alert
            type="info"
            showIcon
            message="各组织的期初余额和以往收支将成为已记账凭证(期初余额记为期初,不计入收入),所在月份随即结账;只能导入系统中已有凭证的月份之前的历史。文件中的余额列会逐行核对。"
          />
          <Form layout="inline">
            <Form.Item label="审批人" required tooltip="另一位有审批权限的用户;经办与审批不能是同一人">
              <Select
                style={{ width: 220 }}
                placeholder="请选择审批人"
                value={approver}
                onChange={setApprover}
                loading={approvers.loading}
                options={(approvers.data ?? []).map((u) => ({ value: u.username, label: `${u.displayName}(${u.username})` }))}
                data-testid="history-approver"
              />
            </Form.Item>
            <Form.Item label="代管资金专户" required>
              <Select
                style={{ width: 340 }}
                placeholder="请选择银行账户"
                value={bankId}
                onChange={setBank}
                options={banks.map((b) => ({ value: b.id, label: `${b.name}(${b.accountNo})` }))}
              />
            </Form.Item>
          </Form>
          {!approver && <Alert type="warning" showIcon message="请先选择审批人:未选审批人时只检查各行,不试做记账和结账,也不能导入。" />}
        </Space>
      }
    />
  );
}
