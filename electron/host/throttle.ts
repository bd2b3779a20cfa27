/**
 * Per-address throttling of login attempts in the office server (the per-user lockout lives in the core).
 * An attempt takes a slot before the password is checked, so parallel guesses count at once; a successful
 * login gives its slot back. Slots expire after the window.
 */
export class LoginThrottle {
  private attempts = new Map<string, number[]>();
  private seq = 0;
  private ids = new Map<string, number[]>();

  constructor(
    readonly max: number,
    readonly windowMs: number,
  ) {}

  /** A slot id, or null when this address has used up its attempts for the window. */
  take(address: string, now: number): number | null {
    this.prune(address, now);
    const times = this.attempts.get(address) ?? [];
    const ids = this.ids.get(address) ?? [];
    if (times.length >= this.max) return null;
    const id = ++this.seq;
    times.push(now);
    ids.push(id);
    this.attempts.set(address, times);
    this.ids.set(address, ids);
    return id;
  }

  release(address: string, id: number): void {
    const ids = this.ids.get(address);
    const i = ids?.indexOf(id) ?? -1;
    if (i < 0) return;
    ids!.splice(i, 1);
    this.attempts.get(address)!.splice(i, 1);
  }

  retryAfterMs(address: string, now: number): number {
    const times = this.attempts.get(address) ?? [];
    return times.length ? Math.max(1000, times[0] + this.windowMs - now) : 0;
  }

  private prune(address: string, now: number): void {
    const times = this.attempts.get(address);
    if (!times) return;
    const ids = this.ids.get(address)!;
    while (times.length && now - times[0] >= this.windowMs) {
      times.shift();
      ids.shift();
    }
    if (!times.length) {
      this.attempts.delete(address);
      this.ids.delete(address);
    }
  }
}
