import type { CallDef } from './define';
import { adminContract } from './admin';
import { organizationsContract } from './organizations';
import { venuesContract } from './venues';
import { custodyContract } from './custody';
import { trainingContract } from './training';
import { submissionContract } from './submission';
import { officeContract } from './office';
import { exportsContract } from './exports';
import { importingContract } from './importing';

/**
 * The one list of every call the UI can make. The Electron main process, the preload, the Node host and the
 * renderer's client are all derived from it.
 */
export const contract = {
  ...adminContract,
  ...organizationsContract,
  ...venuesContract,
  ...custodyContract,
  ...trainingContract,
  ...submissionContract,
  ...officeContract,
  ...exportsContract,
  ...importingContract,
};

export type AppContract = typeof contract;
export type CallName = keyof AppContract & string;
export type CallInput<N extends CallName> = import('zod').input<AppContract[N]['input']>;
export type CallOutput<N extends CallName> = import('zod').output<AppContract[N]['output']>;

export const isCallName = (name: string): name is CallName => Object.prototype.hasOwnProperty.call(contract, name);
export const callDef = (name: CallName): CallDef => contract[name] as CallDef;

export * from './define';

/** What the preload exposes on `window.incubase` (and what the HTTP client imitates). */
export interface IncubaseBridge {
  invoke(name: string, input: unknown): Promise<import('../errors').Result<unknown>>;
  /** Desktop only: print an HTML document to a PDF and let the user save it. */
  printToPdf?(html: string, suggestedName: string): Promise<{ saved: boolean; path?: string }>;
  /** Desktop (办公室服务器 mode): the committed changes of every user, for live screens. */
  onChanges?(listener: (changes: import('../server/live').LiveChange[]) => void): () => void;
  platform: 'electron' | 'web';
  /** Desktop only: restart the app on the demo hub (its own folder) or back on the real data. */
  switchHub?(to: 'demo' | 'real'): Promise<void>;
  /** Desktop only: the core's start-up steps (正在检查数据库… / 正在升级数据库… / 正在备份…) while the window waits. */
  onStartupProgress?(listener: (label: string) => void): () => void;
}
