import { Component, type ReactNode } from 'react';
import { Button, Result, Typography } from 'antd';

interface Props {
  /** Changes when the user navigates: a new screen gets a fresh chance. */
  resetKey: string;
  children: ReactNode;
}
interface State {
  error: Error | null;
}

/**
 * One broken screen must not blank the whole window (and with it the navigation): the failure is shown in
 * place, the rest of the app keeps working, and moving to another screen clears it.
 */
export class ScreenErrorBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidUpdate(prev: Props): void {
    if (prev.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }

  override componentDidCatch(error: Error): void {
    console.error('screen failed', error);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    const stale = /dynamically imported module|Failed to fetch|Loading chunk/i.test(error.message);
    return (
      <Result
        status="error"
        title={stale ? '界面文件已更新，请重新加载' : '此页面出现错误，未能显示'}
        subTitle={
          <Typography.Text type="secondary">
            数据没有受到影响：每次保存都在服务端整体完成或整体不做。可以切换到其他页面继续工作，或重新加载。
            {!stale && <div style={{ marginTop: 8, fontFamily: 'monospace', fontSize: 12 }}>{error.message}</div>}
          </Typography.Text>
        }
        extra={
          <Button type="primary" onClick={() => window.location.reload()}>
            重新加载
          </Button>
        }
      />
    );
  }
}
