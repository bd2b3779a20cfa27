import { Alert, App, Button, Card, Divider, Form, Input, Select, Typography } from 'antd';
import { HUB_LEVEL_LABELS, HUB_LEVELS, checkRegionCode, type HubLevel } from '@shared/admin/hub';
import { bridge, call } from '../api/client';
import { useAction } from '../api/hooks';

interface SetupForm {
  hubName: string;
  regionCode: string;
  level: HubLevel;
  adminUsername: string;
  adminDisplayName: string;
  adminPassword: string;
  confirm: string;
}

/** First run: the hub's name, region and level in the five-level chain, and the administrator. */
export function SetupScreen({ onDone }: { onDone: () => void }) {
  const [form] = Form.useForm<SetupForm>();
  const { run, busy } = useAction();
  const { message, modal } = App.useApp();
  /** 先看看演示: the desktop app restarts on the demo hub in its own folder; this real folder stays empty. */
  const openDemo = async () => {
    if (bridge.switchHub) {
      await bridge.switchHub('demo');
      return;
    }
    modal.info({
      title: '先看看演示',
      content: (
        <Typography.Paragraph>
          浏览器版的演示数据库放在单独的演示文件夹中，不会写进本基地的正式数据：在命令行运行
          <Typography.Text code>npm run web</Typography.Text>(不带 <Typography.Text code>--empty</Typography.Text>)即可打开演示；
          桌面版可在这里直接打开演示，或以 <Typography.Text code>--demo</Typography.Text> 启动。
        </Typography.Paragraph>
      ),
    });
  };
  const submit = async (v: SetupForm) => {
    const { confirm: _confirm, ...input } = v;
    const ok = await run(() => call('system.setup', input));
    if (ok) {
      message.success('设置完成，请使用管理员账户登录');
      onDone();
    }
  };
  return (
    <div style={{ minHeight: '100%', display: 'flex', alignItems: 'center', justifyContent: 'center', padding: 24 }}>
      <Card style={{ width: 560 }} title="欢迎使用孵化基地管理系统 — 首次设置">
        <Typography.Paragraph type="secondary">
          请填写本基地的信息和系统管理员账户。区划代码和层级决定上报数据包的归属，之后可在「系统管理 → 基地设置」中修改。
        </Typography.Paragraph>
        <Form form={form} layout="vertical" onFinish={submit} initialValues={{ level: 'township' }} disabled={busy}>
          <Form.Item name="hubName" label="基地名称" rules={[{ required: true, message: '请填写基地名称' }]}>
            <Input placeholder="例如：某某街道社区社会组织孵化基地" maxLength={60} />
          </Form.Item>
          <Form.Item name="level" label="层级" rules={[{ required: true }]}>
            <Select options={HUB_LEVELS.map((l) => ({ value: l, label: HUB_LEVEL_LABELS[l] }))} />
          </Form.Item>
          <Form.Item
            name="regionCode"
            label="行政区划代码"
            extra="县级及以上 6 位，乡镇(街道) 9 位，村(社区) 12 位"
            dependencies={['level']}
            rules={[
              { required: true, message: '请填写行政区划代码' },
              ({ getFieldValue }) => ({
                validator: async (_r, value: string) => {
                  const problem = value ? checkRegionCode(value, getFieldValue('level')) : null;
                  if (problem) throw new Error(problem);
                },
              }),
            ]}
          >
            <Input placeholder="例如：510107" maxLength={12} />
          </Form.Item>
          <Alert type="info" showIcon style={{ marginBottom: 16 }} title="系统管理员账户：负责用户、设置与备份" />
          <Form.Item name="adminUsername" label="管理员用户名" rules={[{ required: true, message: '请填写用户名' }]}>
            <Input autoComplete="username" maxLength={32} />
          </Form.Item>
          <Form.Item name="adminDisplayName" label="管理员姓名" rules={[{ required: true, message: '请填写姓名' }]}>
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item name="adminPassword" label="密码" rules={[{ required: true, min: 8, message: '密码至少 8 位' }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            name="confirm"
            label="再次输入密码"
            dependencies={['adminPassword']}
            rules={[
              { required: true, message: '请再次输入密码' },
              ({ getFieldValue }) => ({
                validator: async (_r, v) => {
                  if (v && v !== getFieldValue('adminPassword')) throw new Error('两次输入的密码不一致');
                },
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            完成设置
          </Button>
        </Form>
        <Divider plain>还没准备好？</Divider>
        <Button block onClick={() => void openDemo()} data-testid="open-demo">
          先看看演示
        </Button>
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0, fontSize: 12 }}>
          演示使用单独的演示文件夹和公开的演示账户，不会动本基地的正式数据。
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
