import { Card, Radio, Space, Table, Typography } from 'antd';
import { FONT_SIZES, useDisplay, type FontSize } from '../../app/display';
import { SHORTCUTS } from '../../app/shortcuts';

/** 系统管理 → 显示: 字号 for this user on this PC, and the keyboard shortcuts. */
export function DisplayPage() {
  const { fontSize, setFontSize } = useDisplay();
  return (
    <div style={{ overflow: 'auto', flex: 1, paddingTop: 8 }}>
      <Space direction="vertical" size={16} style={{ width: '100%', maxWidth: 900 }}>
        <Card size="small" title="字号">
          <Space direction="vertical">
            <Radio.Group
              optionType="button"
              buttonStyle="solid"
              value={fontSize}
              onChange={(e) => setFontSize(e.target.value as FontSize)}
              options={FONT_SIZES.map((s) => ({ value: s.value, label: `${s.label}(${s.value})` }))}
              data-testid="font-size"
            />
            <Typography.Text type="secondary">只对本电脑上的当前用户生效；换一台电脑或换一个用户登录，各自保留自己的字号。</Typography.Text>
          </Space>
        </Card>
        <Card size="small" title="快捷键" data-testid="shortcut-list">
          <Table
            size="small"
            rowKey="keys"
            pagination={false}
            dataSource={SHORTCUTS}
            columns={[
              { title: '按键', dataIndex: 'keys', width: 200, render: (k: string) => <Typography.Text keyboard>{k}</Typography.Text> },
              { title: '作用', dataIndex: 'what' },
            ]}
          />
        </Card>
      </Space>
    </div>
  );
}
