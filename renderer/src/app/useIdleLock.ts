import { useEffect } from 'react';

const INPUT_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const;
const CHECK_EVERY_MS = 15_000;

/**
 * Covers the screen once nobody has touched it for the hub's idle limit, so custody figures and personal data
 * do not stay on an unattended screen. The core applies the same limit to the session on its next call; this
 * only makes the lock visible without waiting for one.
 */
export function useIdleLock(idleMinutes: number, active: boolean, onIdle: () => void): void {
  useEffect(() => {
    if (!active) return;
    let lastInput = Date.now();
    const seen = () => {
      lastInput = Date.now();
    };
    for (const e of INPUT_EVENTS) window.addEventListener(e, seen, { passive: true, capture: true });
    const timer = window.setInterval(() => {
      if (Date.now() - lastInput > idleMinutes * 60_000) onIdle();
    }, CHECK_EVERY_MS);
    return () => {
      window.clearInterval(timer);
      for (const e of INPUT_EVENTS) window.removeEventListener(e, seen, { capture: true });
    };
  }, [idleMinutes, active, onIdle]);
}
