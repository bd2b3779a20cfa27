import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { Spin } from 'antd';
import type { CallOutput } from '@shared/contract';
import { ApiError, bridge, call, onSessionProblem } from '../api/client';
import { SetupScreen } from './SetupScreen';
import { LoginScreen } from './LoginScreen';
import { RecoveryScreen } from './RecoveryScreen';
import { LockScreen } from './LockScreen';
import { Shell } from './Shell';
import { StatusBanners } from './StatusBanners';
import { SessionContext, type Me } from './session';
import { useIdleLock } from './useIdleLock';

type Status = CallOutput<'system.status'>;

/** Decides what the user sees: recovery, first-run setup, login, or the app (with the idle lock on top). */
export function Root() {
  const [status, setStatus] = useState<Status | null>(null);
  const [me, setMe] = useState<Me | null>(null);
  const [locked, setLocked] = useState(false);
  const [checked, setChecked] = useState(false);
  const [progress, setProgress] = useState('正在打开…');
  /** The Node host answers STARTING while its core runs the start-up check: the folder's existing hub or not. */
  const [starting, setStarting] = useState<{ existing: boolean } | null>(null);
  useEffect(() => bridge.onStartupProgress?.(setProgress), []);

  const loadStatus = useCallback(async (): Promise<void> => {
    let next: Status;
    try {
      next = await call('system.status', {});
    } catch (e) {
      if (!(e instanceof ApiError) || e.code !== 'STARTING') throw e;
      const d = e.details as { label?: string; existing?: boolean } | undefined;
      setProgress(d?.label ?? e.message);
      setStarting({ existing: d?.existing ?? false });
      await new Promise((r) => setTimeout(r, 500));
      return loadStatus();
    }
    setStarting(null);
    setStatus(next);
    try {
      setMe(await call('auth.me', {}));
    } catch {
      setMe(null);
    }
    setChecked(true);
  }, []);

  useEffect(() => {
    void loadStatus();
  }, [loadStatus]);

  // The title bar (Electron shows the page title) says when this is the demo hub.
  useEffect(() => {
    document.title = status?.demo ? '孵化基地管理系统 — 演示数据' : '孵化基地管理系统';
  }, [status?.demo]);

  useEffect(
    () =>
      onSessionProblem((code) => {
        if (code === 'SESSION_LOCKED') setLocked(true);
        else setMe(null);
      }),
    [],
  );

  const lockNow = useCallback(() => setLocked(true), []);
  useIdleLock(me?.settings.idleLockMinutes ?? 15, !!me && !locked, lockNow);

  // A hub that exists gets its login screen at once, with the start-up step, while the check runs.
  if (starting?.existing)
    return (
      <WithBanners status={null}>
        <LoginScreen hubName="" demo={false} starting={progress} onLogin={async () => undefined} />
      </WithBanners>
    );
  if (!checked || !status) return <Spin fullscreen tip={progress} />;
  if (status.recovery) return <RecoveryScreen recovery={status.recovery} onRecovered={loadStatus} />;
  if (!status.initialized) return <SetupScreen onDone={loadStatus} />;
  if (!me)
    return (
      <WithBanners status={status}>
        <LoginScreen
          hubName={status.hub?.name ?? ''}
          demo={status.demo}
          onLogin={async () => {
            setLocked(false);
            setMe(await call('auth.me', {}));
          }}
        />
      </WithBanners>
    );
  return (
    <SessionContext.Provider
      value={{
        me,
        demo: status.demo,
        refresh: async () => setMe(await call('auth.me', {})),
        logout: async () => {
          await call('auth.logout', {}).catch(() => undefined);
          setMe(null);
        },
      }}
    >
      <WithBanners status={status}>
        <Shell />
      </WithBanners>
      {locked && (
        <LockScreen
          user={me.user}
          onUnlocked={() => setLocked(false)}
          onLogout={async () => {
            await call('auth.logout', {}).catch(() => undefined);
            setLocked(false);
            setMe(null);
          }}
        />
      )}
    </SessionContext.Provider>
  );
}

/** The read-only banner and start-up notices above a screen that fills the rest of the window. */
function WithBanners({ status, children }: { status: Status | null; children: ReactNode }) {
  return (
    <div style={{ height: '100%', display: 'flex', flexDirection: 'column' }}>
      {status && <StatusBanners status={status} />}
      <div style={{ flex: 1, minHeight: 0 }}>{children}</div>
    </div>
  );
}
