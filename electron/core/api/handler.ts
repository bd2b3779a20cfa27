import type { CallDef, Contract, OutputOf, ParsedInputOf } from '@shared/contract/define';
import type { CallContext } from './context';

export type Handler<C extends CallDef> = (ctx: CallContext, input: ParsedInputOf<C>) => Promise<OutputOf<C>> | OutputOf<C>;

/** One handler per contract entry; the type makes a missing handler a compile error. */
export type HandlersFor<C extends Contract> = { [K in keyof C]: Handler<C[K]> };
