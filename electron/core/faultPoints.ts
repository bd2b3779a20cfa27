/**
 * Named points where tests inject a failure ("the process died here"), to check that every step of a multi-step
 * operation leaves a state the next run completes or undoes. Production code calls `faultPoint(name)` between
 * its steps; with no hook set (always, outside tests) it does nothing.
 */

export type FaultHook = (point: string) => void;

let hook: FaultHook | null = null;

/** Installs (or with null removes) the hook; it throws to make the operation stop at that point. */
export function setFaultHook(h: FaultHook | null): void {
  hook = h;
}

export function faultPoint(point: string): void {
  if (hook) hook(point);
}
