import { useCallback, useState, type ReactNode } from 'react';
import { Alert, App, Drawer, Modal, type DrawerProps, type FormInstance, type ModalProps } from 'antd';
import { contract, type CallInput, type CallName, type CallOutput } from '@shared/contract';
import { checkInput, issueText, labelPath } from '@shared/contract/labels';
import type { ErrorIssue } from '@shared/errors';
import { ApiError, call } from '../api/client';

/**
 * The one way refusals reach a form. Before sending, the call's own contract schema runs on what the form is
 * about to send (the same zod rules as the core, not re-typed); a refusal from the core (VALIDATION with issues)
 * goes through the same mapping. Every issue is placed beside its field (matched by path, with the contract's
 * Chinese labels for whatever sits deeper than the field), and the ones no field shows are listed at the top,
 * so one save shows every problem at once. Other refusals (RULE, CONFLICT, …) are kept in `refusal` for the
 * form to show at the top (a conflict component can take them from there).
 */
type Seg = string | number;
export type FieldPath = Seg | Seg[];

export interface ContractFormOptions {
  /** Where the form's fields sit inside the call's input, e.g. `['input']` for organizations.update. */
  prefix?: Seg[];
  /** Input keys whose form field has another name: `{ amountFen: 'amount' }`. */
  fieldOf?: Record<string, FieldPath>;
}

const asPath = (p: FieldPath): Seg[] => (Array.isArray(p) ? p : [p]);
const segs = (path: string): Seg[] => path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
const startsWith = (a: Seg[], b: Seg[]) => b.length <= a.length && b.every((s, i) => String(s) === String(a[i]));

/** Places issues on the form's registered fields; returns the issues no field could show. */
export function placeIssues(form: FormInstance, callName: string, issues: readonly ErrorIssue[], opts: ContractFormOptions = {}): ErrorIssue[] {
  const fields = form.getFieldsError().map((f) => asPath(f.name as FieldPath));
  const byField = new Map<string, { name: Seg[]; errors: string[] }>();
  const rest: ErrorIssue[] = [];
  for (const issue of issues) {
    if (!issue.path || issue.row !== undefined) {
      rest.push(issue);
      continue;
    }
    let p = segs(issue.path);
    const prefix = opts.prefix ?? [];
    if (prefix.length && startsWith(p, prefix)) p = p.slice(prefix.length);
    const alias = opts.fieldOf?.[String(p[0])];
    if (alias) p = [...asPath(alias), ...p.slice(1)];
    let best: Seg[] | undefined;
    for (const f of fields) if (startsWith(p, f) && (!best || f.length > best.length)) best = f;
    if (!best) {
      rest.push(issue);
      continue;
    }
    const deeper = p.slice(best.length);
    const full = segs(issue.path);
    let sub = '';
    if (deeper.length) {
      const whole = labelPath(callName, full);
      const parent = labelPath(callName, full.slice(0, full.length - deeper.length));
      sub = `${whole.startsWith(`${parent}·`) ? whole.slice(parent.length + 1) : whole}：`;
    }
    const key = best.join('.');
    const entry = byField.get(key) ?? { name: best, errors: [] };
    entry.errors.push(`${sub}${issue.message}`);
    byField.set(key, entry);
  }
  const clear = fields.map((name) => ({ name, errors: [] as string[] }));
  form.setFields([...clear, ...[...byField.values()].map((e) => ({ name: e.name, errors: e.errors }))]);
  const first = [...byField.values()][0];
  if (first) form.scrollToField(first.name, { block: 'center' });
  return rest;
}

export function useContractForm<N extends CallName>(form: FormInstance, callName: N, opts: ContractFormOptions = {}) {
  const { message } = App.useApp();
  const [unplaced, setUnplaced] = useState<ErrorIssue[]>([]);
  const [refusal, setRefusal] = useState<ApiError | null>(null);
  const [count, setCount] = useState(0);
  const [busy, setBusy] = useState(false);

  const showIssues = useCallback(
    (issues: readonly ErrorIssue[]) => {
      setCount(issues.length);
      setUnplaced(placeIssues(form, callName, issues, opts));
    },
    [form, callName, opts.prefix?.join('.')],
  );

  /** Runs the contract's schema on `input`; shows every problem and returns false when there is one. */
  const check = useCallback(
    (input: unknown): boolean => {
      const issues = checkInput(contract[callName].input, callName, input);
      showIssues(issues);
      return issues.length === 0;
    },
    [callName, showIssues],
  );

  const reset = useCallback(() => {
    setUnplaced([]);
    setRefusal(null);
    setCount(0);
  }, []);

  /** Shows a refusal where it belongs: field issues beside their fields, anything else at the top. */
  const showRefusal = useCallback(
    (e: unknown) => {
      const err = e instanceof ApiError ? e : new ApiError({ code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) });
      if (err.code === 'VALIDATION' && err.issues?.length) {
        showIssues(err.issues);
        setRefusal(null);
      } else {
        setRefusal(err);
        if (err.code !== 'UNAUTHENTICATED' && err.code !== 'SESSION_LOCKED') message.error(err.message);
      }
      return err;
    },
    [showIssues, message],
  );

  /**
   * Validates with antd's own rules (required marks etc.), builds the input, checks it against the contract and
   * sends it. Resolves with the call's output, or undefined when something was refused (and shown).
   */
  const submit = useCallback(
    async (build: (values: any) => CallInput<N>, success?: string): Promise<CallOutput<N> | undefined> => {
      let values: unknown;
      try {
        values = await form.validateFields({ recursive: true });
      } catch (e) {
        values = (e as { values?: unknown }).values ?? form.getFieldsValue(true);
        // Still run the contract check so every problem (not only the required marks) shows at once.
        const input = build(values);
        const issues = checkInput(contract[callName].input, callName, input);
        const antdErrors = form.getFieldsError().filter((f) => f.errors.length);
        const rest = placeIssues(form, callName, issues, opts);
        // placeIssues cleared the antd errors: put them back beside the schema's.
        form.setFields(antdErrors.map((f) => ({ name: f.name, errors: [...new Set([...f.errors, ...(form.getFieldError(f.name) ?? [])])] })));
        setUnplaced(rest);
        setCount(issues.length + antdErrors.length);
        return undefined;
      }
      const input = build(values);
      if (!check(input)) return undefined;
      setRefusal(null);
      setBusy(true);
      try {
        const out = await call(callName, input);
        if (success) message.success(success);
        reset();
        return out;
      } catch (e) {
        showRefusal(e);
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [form, callName, check, showRefusal, reset, message],
  );

  const banner: ReactNode =
    refusal || unplaced.length || count ? (
      <Alert
        type="error"
        showIcon
        style={{ marginBottom: 12 }}
        data-testid="form-refusal"
        message={refusal ? refusal.message : `有 ${count} 处需要修改${unplaced.length < count ? '，已在对应栏目下用红字标出' : ''}`}
        description={
          unplaced.length ? (
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {unplaced.map((i, n) => (
                <li key={n}>{issueText(callName, i)}</li>
              ))}
            </ul>
          ) : undefined
        }
      />
    ) : null;

  return { check, submit, showRefusal, showIssues, reset, banner, refusal, busy };
}

/** Asks before throwing away what was typed. One mechanism for every modal and drawer form. */
export function useCloseGuard(form: FormInstance | undefined, onClose: () => void) {
  const { modal } = App.useApp();
  return useCallback(() => {
    if (!form || !form.isFieldsTouched()) {
      onClose();
      return;
    }
    modal.confirm({
      title: '放弃填写的内容？',
      content: '关闭后，刚才填写的内容不会保存。',
      okText: '放弃并关闭',
      okButtonProps: { danger: true },
      cancelText: '继续填写',
      onOk: onClose,
    });
  }, [form, onClose, modal]);
}

/** A modal holding a form: Esc, the × and 取消 ask first when something was typed; a click outside does nothing. */
export function FormModal({ form, onClose, ...props }: Omit<ModalProps, 'onCancel'> & { form: FormInstance | undefined; onClose(): void }) {
  const guarded = useCloseGuard(form, onClose);
  return <Modal maskClosable={false} destroyOnHidden {...props} onCancel={guarded} />;
}

/** The drawer twin of FormModal. */
export function FormDrawer({ form, onClose, ...props }: Omit<DrawerProps, 'onClose'> & { form: FormInstance | undefined; onClose(): void }) {
  const guarded = useCloseGuard(form, onClose);
  return <Drawer maskClosable={false} destroyOnHidden {...props} onClose={guarded} />;
}

/** 「确定要…？」 with what will happen, before an irreversible action. Resolves true when confirmed. */
export function useConfirm() {
  const { modal } = App.useApp();
  return useCallback(
    (o: { title: string; content: ReactNode; okText?: string; danger?: boolean }) =>
      new Promise<boolean>((resolve) => {
        modal.confirm({
          title: o.title,
          content: o.content,
          okText: o.okText ?? '确定',
          cancelText: '取消',
          okButtonProps: { danger: o.danger ?? true, ...({ 'data-testid': 'confirm-ok' } as Record<`data-${string}`, string>) },
          onOk: () => resolve(true),
          onCancel: () => resolve(false),
        });
      }),
    [modal],
  );
}
