/**
 * What a screen does when the core refuses a save or a state change because the record changed since it was
 * read (CONFLICT with `StaleDetails`: who changed it and when, and the current version). One mechanism for
 * every screen:
 * - a form save (`saveVersioned`): the record is read again, the fields the other user changed are shown (as
 *   read → now, beside what this user typed), and the user picks 「载入最新并保留我的修改」 (the current record
 *   with this user's own changes laid over it, at the new version, to check and save again) or 「放弃我的修改」;
 * - a state change (`showStale`): the message, and a 刷新 that reloads the record.
 */
import { useCallback, useState, type ReactNode } from 'react';
import { App, Button, Modal, Table, Tag, Typography } from 'antd';
import { isStaleDetails, type StaleDetails } from '@shared/errors';
import { ApiError } from './client';

export type FieldValues = Record<string, unknown>;

/** A refusal because the record changed since it was read. */
export function isStaleError(e: unknown): e is ApiError & { details: StaleDetails } {
  return e instanceof ApiError && e.code === 'CONFLICT' && isStaleDetails(e.details);
}

/** Equal as a user sees them: an empty text is the same as no value. */
const norm = (v: unknown) => JSON.stringify(v === '' || v === undefined ? null : v);
const same = (a: unknown, b: unknown) => norm(a) === norm(b);

/** A value as a user reads it in the comparison table. */
export function showValue(v: unknown): string {
  if (v === null || v === undefined || v === '') return '(空)';
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (Array.isArray(v)) return v.length ? v.map(showValue).join('、') : '(空)';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export interface FieldChange {
  field: string;
  label: string;
  /** As this user read it. */
  base: unknown;
  /** As it is now, after the other user's save. */
  theirs: unknown;
  /** What this user typed. */
  mine: unknown;
  /** Both changed the field, to different values: the user's value wins in 「保留我的修改」, but look at it. */
  clash: boolean;
}

/**
 * The three-way comparison: the fields the other user changed (with this user's value beside), and the values
 * to continue with: the current record with this user's own changes laid over it.
 */
export function mergeChanges(base: FieldValues, theirs: FieldValues, mine: FieldValues, labels: Record<string, string>) {
  const keys = [...new Set([...Object.keys(theirs), ...Object.keys(mine)])];
  const changes: FieldChange[] = [];
  const merged: FieldValues = { ...theirs };
  for (const k of keys) {
    const mineChanged = !same(base[k], mine[k]);
    const theirsChanged = !same(base[k], theirs[k]);
    if (mineChanged) merged[k] = mine[k];
    if (theirsChanged) {
      changes.push({ field: k, label: labels[k] ?? k, base: base[k], theirs: theirs[k], mine: mine[k], clash: mineChanged && !same(mine[k], theirs[k]) });
    }
  }
  return { changes, merged };
}

/** What the dialog needs to recover from a stale refusal that a form already received. */
export type StaleRecovery<V extends FieldValues> = Omit<VersionedSave<V, unknown>, 'save' | 'version'>;

export interface VersionedSave<V extends FieldValues, R> {
  /** The values and version the form was filled from. */
  base: V;
  version: number;
  /** What the user typed now (in the same shape as `base`). */
  mine: V;
  save(values: V, version: number): Promise<R>;
  /** Reads the record again: its current values and version. */
  reload(): Promise<{ values: V; version: number }>;
  /** Field labels for the comparison table. */
  labels: Record<string, string>;
  /** Puts values back into the form, with the base and version they now stand on. */
  apply(next: { values: V; base: V; version: number }): void;
}

interface OpenDialog {
  error: ApiError & { details: StaleDetails };
  changes: FieldChange[];
  onKeepMine(): void;
  onTakeTheirs(): void;
}

/** The conflict dialog: who changed the record, what changed, and the two ways on. */
function StaleDialog({ open, onClose }: { open: OpenDialog; onClose(): void }): ReactNode {
  const clashes = open.changes.filter((c) => c.clash).length;
  return (
    <Modal
      open
      width={760}
      title="记录已被他人修改"
      onCancel={onClose}
      footer={[
        <Button key="close" onClick={onClose}>
          关闭
        </Button>,
        <Button key="theirs" data-testid="stale-take-theirs" onClick={() => (open.onTakeTheirs(), onClose())}>
          放弃我的修改
        </Button>,
        <Button key="mine" type="primary" data-testid="stale-keep-mine" onClick={() => (open.onKeepMine(), onClose())}>
          载入最新并保留我的修改
        </Button>,
      ]}
    >
      <Typography.Paragraph data-testid="stale-message">{open.error.message}</Typography.Paragraph>
      {open.changes.length ? (
        <>
          <Typography.Paragraph type="secondary">
            对方修改了以下 {open.changes.length} 项{clashes ? `，其中 ${clashes} 项您也改了(保留您的修改时以您填写的为准，请核对)` : ''}；载入后请检查再保存。
          </Typography.Paragraph>
          <Table
            size="small"
            pagination={false}
            rowKey="field"
            dataSource={open.changes}
            scroll={{ y: 320 }}
            columns={[
              { title: '项目', dataIndex: 'label', width: 140, render: (l: string, c: FieldChange) => (c.clash ? <span>{l} <Tag color="orange">双方都改了</Tag></span> : l) },
              { title: '您读取时', dataIndex: 'base', render: showValue },
              { title: '现在(对方修改后)', dataIndex: 'theirs', render: showValue },
              { title: '您填写的', dataIndex: 'mine', render: showValue },
            ]}
          />
        </>
      ) : (
        <Typography.Paragraph type="secondary">对方没有改动您表单中的内容(可能改了状态或附件)；载入最新后可直接再保存。</Typography.Paragraph>
      )}
    </Modal>
  );
}

/**
 * `saveVersioned` saves with the version read and handles a stale refusal with the dialog; render `staleDialog`
 * once in the screen. `showStale` is for state changes: the message and a 刷新 button.
 */
export function useStaleRecovery() {
  const { modal } = App.useApp();
  const [open, setOpen] = useState<OpenDialog | null>(null);

  /** For a refusal the form already caught (e.g. `useContractForm`'s `refusal`): true when it was stale. */
  const recover = useCallback(async <V extends FieldValues>(e: unknown, s: StaleRecovery<V>): Promise<boolean> => {
    if (!isStaleError(e)) return false;
    const latest = await s.reload();
    const { changes, merged } = mergeChanges(s.base, latest.values, s.mine, s.labels);
    setOpen({
      error: e,
      changes,
      onKeepMine: () => s.apply({ values: merged as V, base: latest.values, version: latest.version }),
      onTakeTheirs: () => s.apply({ values: latest.values, base: latest.values, version: latest.version }),
    });
    return true;
  }, []);

  const saveVersioned = useCallback(
    async <V extends FieldValues, R>(s: VersionedSave<V, R>): Promise<R | undefined> => {
      try {
        return await s.save(s.mine, s.version);
      } catch (e) {
        if (await recover(e, s)) return undefined;
        throw e;
      }
    },
    [recover],
  );

  const showStale = useCallback(
    (e: unknown, reload: () => void): boolean => {
      if (!isStaleError(e)) return false;
      modal.confirm({ title: '记录已被他人修改', content: e.message, okText: '刷新', cancelText: '关闭', onOk: reload });
      return true;
    },
    [modal],
  );

  const staleDialog = open ? <StaleDialog open={open} onClose={() => setOpen(null)} /> : null;
  return { saveVersioned, recover, showStale, staleDialog };
}
