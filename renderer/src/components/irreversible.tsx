import { useCallback, type ReactNode } from 'react';
import { Typography } from 'antd';
import { contract, type CallInput, type CallName, type CallOutput } from '@shared/contract';
import { call } from '../api/client';
import { useConfirm } from './forms';

/**
 * The one way a screen sends a call the contract marks `irreversible` (issue 18): it asks first, with the
 * contract's question and what will happen, plus what the call is about (`subject`, e.g. the booking or the
 * voucher by name). Resolves with the call's output, or `undefined` when the user said 取消; a refusal from the
 * core is thrown as from `call`. tests/unit/admin/irreversible.test.ts checks that no screen sends such a call
 * another way.
 */
export function useIrreversibleCall() {
  const confirm = useConfirm();
  return useCallback(
    async <N extends CallName>(name: N, input: CallInput<N>, subject?: ReactNode): Promise<CallOutput<N> | undefined> => {
      const def = contract[name].irreversible;
      if (def && (!def.when || def.when(input))) {
        const ok = await confirm({
          title: def.question,
          okText: def.okText,
          content: (
            <div data-testid="irreversible-question">
              {subject ? <Typography.Paragraph strong style={{ marginBottom: 8 }}>{subject}</Typography.Paragraph> : null}
              <Typography.Paragraph style={{ marginBottom: 0 }}>{def.effect}</Typography.Paragraph>
            </div>
          ),
        });
        if (!ok) return undefined;
      }
      return call(name, input);
    },
    [confirm],
  );
}
