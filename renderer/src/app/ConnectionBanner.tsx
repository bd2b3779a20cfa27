import { Alert } from 'antd';
import { bridge, notifySessionEnded } from '../api/client';
import { connectionOfflineSince, useConnectionState, useLiveConnection } from '../api/live';

const subscribe = bridge.onChanges ? (l: Parameters<NonNullable<typeof bridge.onChanges>>[0]) => bridge.onChanges!(l) : undefined;

/**
 * Follows the change feed while logged in, and says so at once when the server is lost: nothing is saved
 * until it is back (no hidden local queue); it reconnects by itself and the screens reload.
 */
export function ConnectionBanner() {
  useLiveConnection({ web: bridge.platform === 'web' || location.protocol === 'https:', subscribe, onSessionEnded: notifySessionEnded });
  const state = useConnectionState();
  if (state !== 'offline') return null;
  const since = connectionOfflineSince();
  const at = since ? new Date(since).toLocaleTimeString('zh-CN', { hour12: false }) : '';
  return (
    <Alert
      type="error"
      banner
      showIcon
      data-testid="connection-banner"
      message={`与服务器的连接已断开${at ? `(${at} 起)` : ''}：现在不能保存任何修改，正在自动重新连接…`}
    />
  );
}
