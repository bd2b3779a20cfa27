import { useCallback, useEffect, useRef, useState } from 'react';
import { App } from 'antd';
import type { CallInput, CallName, CallOutput } from '@shared/contract';
import { callAffected } from '@shared/server/live';
import { ApiError, call } from './client';
import { isStaleError } from './staleRecovery';
import { onChanges } from './live';

/**
 * Loads a call's result; `reload` runs it again. Errors are shown as a message and kept in `error`.
 * Live: when another user's committed change touches this call's data (the change feed), it reloads quietly
 * (no spinner, no error toast), so open lists, detail pages, calendars and the 工作台 follow within a second.
 */
export function useCall<N extends CallName>(name: N, input: CallInput<N>, deps: unknown[] = []) {
  const [data, setData] = useState<CallOutput<N> | undefined>();
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const inputRef = useRef(input);
  inputRef.current = input;
  const { message } = App.useApp();
  const reload = useCallback(async () => {
    setLoading(true);
    try {
      setData(await call(name, inputRef.current));
      setError(null);
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError({ code: 'INTERNAL', message: String(e) });
      setError(err);
      if (err.code !== 'UNAUTHENTICATED' && err.code !== 'SESSION_LOCKED') message.error(err.message);
    } finally {
      setLoading(false);
    }
  }, [name, ...deps]);
  useEffect(() => {
    void reload();
  }, [reload]);
  useEffect(
    () =>
      onChanges((changes) => {
        if (!callAffected(name, changes)) return;
        call(name, inputRef.current).then(
          (d) => {
            setData(d);
            setError(null);
          },
          () => undefined, // a quiet refresh keeps what is shown; the next action reports any problem
        );
      }),
    [name, ...deps],
  );
  return { data, error, loading, reload };
}

/**
 * Runs a write and reports the outcome: success text, or the core's Chinese refusal. A refusal because the
 * record changed since it was read (stale version) is shown as a dialog naming who changed it, with 刷新
 * calling `onStale` (the screen reloads the record) — see staleRecovery.tsx for forms.
 */
export function useAction(opts: { onStale?: () => void } = {}) {
  const { message, modal } = App.useApp();
  const onStale = useRef(opts.onStale);
  onStale.current = opts.onStale;
  const [busy, setBusy] = useState(false);
  const run = useCallback(
    async <T,>(fn: () => Promise<T>, success?: string): Promise<T | undefined> => {
      setBusy(true);
      try {
        const r = await fn();
        // undefined: the user said 取消 to the question before an irreversible call (nothing was sent).
        if (success && r !== undefined) message.success(success);
        return r;
      } catch (e) {
        if (isStaleError(e)) {
          const reload = onStale.current;
          if (reload) modal.confirm({ title: '记录已被他人修改', content: e.message, okText: '刷新', cancelText: '关闭', onOk: reload });
          else modal.warning({ title: '记录已被他人修改', content: e.message });
          return undefined;
        }
        message.error(e instanceof Error ? e.message : String(e));
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [message, modal],
  );
  return { run, busy };
}
