import type { Viewer } from '../api/types';

/**
 * Who has one list open, as its socket last said: the whole set (the caller included), or null while the socket is
 * not live (then nobody is shown rather than a set that may be stale). An external store, so that a presence change
 * re-renders only the viewers bar, not the list page.
 */
export class PresenceStore {
  private viewers: readonly Viewer[] | null = null;
  private readonly listeners = new Set<() => void>();

  readonly get = (): readonly Viewer[] | null => this.viewers;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  set(viewers: readonly Viewer[] | null): void {
    if (viewers === this.viewers || (viewers === null && this.viewers === null)) return;
    this.viewers = viewers;
    for (const listener of this.listeners) listener();
  }
}
