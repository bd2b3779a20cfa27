import { useState } from 'react';
import { Alert, Button, Form, Input, Modal, Space, Typography } from 'antd';
import type { SessionUser } from '@shared/contract/admin';
import { ApiError, call } from '../api/client';

/** Idle lock: the screen stays as it was underneath; only the password brings it back. */
export function LockScreen({ user, onUnlocked, onLogout }: { user: SessionUser; onUnlocked: () => void; onLogout: () => void }) {
  const [error, setError] = useState<string | null>(null);
  return (
    <Modal open closable={false} mask={{ closable: false }} footer={null} title="已锁定" styles={{ mask: { backdropFilter: 'blur(6px)' } }}>
      <Typography.Paragraph>长时间未操作，系统已自动锁定。请输入「{user.displayName}」的密码继续。</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form
        onFinish={async (v: { password: string }) => {
          try {
            await call('auth.unlock', v);
            onUnlocked();
          } catch (e) {
            setError(e instanceof ApiError ? e.message : String(e));
          }
        }}
      >
        <Form.Item name="password" rules={[{ required: true, message: '请输入密码' }]}>
          <Input.Password autoFocus autoComplete="current-password" />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit">
            解锁
          </Button>
          <Button onClick={onLogout}>切换用户</Button>
        </Space>
      </Form>
    </Modal>
  );
}
