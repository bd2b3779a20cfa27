/**
 * Named fault points for the reliability tests. Code that must survive a crash or an I/O failure at a given
 * step calls `faultPoint('<area>.<step>')` right before that step. In the app no hook is set and a point costs
 * one null check. The reliability suite sets a hook that throws (an I/O error at that step) or kills the process
 * (a crash at that step, in a child process): see tests/reliability/faults.ts.
 */
export type FaultHook = (point: string) => void | Promise<void>;

let hook: FaultHook | null = null;

export function setFaultHook(next: FaultHook | null): void {
  hook = next;
}

export function faultPoint(point: string): void {
  if (hook) void hook(point);
}

/**
 * An asynchronous point: the same hook, and when it returns a promise the step waits for it, so a test can hold a
 * long step (the start-up check) and look at what the app does meanwhile, without timing anything.
 */
export async function faultPause(point: string): Promise<void> {
  if (hook) await hook(point);
}

/** An error as the file layer reports it (`code` ENOSPC, EROFS, EIO, ...), for injected I/O failures. */
export function ioError(code: string, message = code): NodeJS.ErrnoException {
  const e = new Error(message) as NodeJS.ErrnoException;
  e.code = code;
  return e;
}
