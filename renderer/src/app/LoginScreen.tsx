import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Spin, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { ApiError, call } from '../api/client';

/**
 * The login form. `starting` (the start-up step, e.g. 正在检查数据库…) shows it while the core still checks the
 * database: the fields can be filled in, 登录 waits until the check is done.
 */
export function LoginScreen({ hubName, demo, onLogin, starting }: { hubName: string; demo: boolean; onLogin: () => Promise<void>; starting?: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      await call('auth.login', v);
      await onLogin();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div style={{ minHeight: '100%', display: 'flex', alignItems: 'center', justifyContent: 'center', padding: 24 }}>
      <Card style={{ width: 400 }}>
        <Typography.Title level={3} style={{ marginTop: 0, marginBottom: 4 }}>
          孵化基地管理系统
        </Typography.Title>
        <Typography.Paragraph type="secondary">{hubName}</Typography.Paragraph>
        {demo && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            title="演示数据库"
            description="可用账户 admin、zhangli、wangfang、liming、zhaoqiang，密码均为 Demo@2026"
          />
        )}
        {starting && (
          <Alert
            type="info"
            icon={<Spin size="small" />}
            showIcon
            style={{ marginBottom: 16 }}
            data-testid="startup-progress"
            title={starting}
            description="系统正在启动，完成后即可登录；数据库较大时需要一些时间，可以先填写用户名和密码。"
          />
        )}
        {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={error} data-testid="login-error" />}
        <Form layout="vertical" onFinish={submit} disabled={busy}>
          <Form.Item name="username" label="用户名" rules={[{ required: true, message: '请输入用户名' }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item name="password" label="密码" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} disabled={!!starting}>
            {starting ? '正在启动…' : '登录'}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
