/** One committed change, as the change feed tells it: which record, what was done, by whom. */
export interface ChangeEvent {
  entity: string;
  id: string | null;
  action: string;
  who: string | null;
  at: string;
}

export type ChangeListener = (changes: ChangeEvent[]) => void;

/**
 * The change feed: the audit rows of each committed write transaction, told to every listener (the office
 * server's event stream, the desktop window) after COMMIT — never for a rolled-back one.
 */
export class ChangeFeed {
  private listeners = new Set<ChangeListener>();

  subscribe(l: ChangeListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  emit(changes: ChangeEvent[]): void {
    if (!changes.length) return;
    for (const l of this.listeners) {
      try {
        l(changes);
      } catch {
        // a broken listener never fails the write that already committed
      }
    }
  }

  get size(): number {
    return this.listeners.size;
  }
}
