/** The part of the Web Locks API the leader election needs (navigator.locks fits; tests pass a fake). */
export interface LockManagerLike {
  request(name: string, callback: (lock: unknown) => Promise<unknown>): Promise<unknown>;
}

/**
 * Exactly one tab of the origin drains the outbox: the one holding the Web Lock `name`. Every tab asks for it; the
 * browser grants it to one at a time and hands it to the next waiting tab when the holder closes (or stops). Without
 * Web Locks (very old browsers) each tab leads for itself: the idempotency keys still keep every write single.
 */
export class Leadership {
  private leading = false;
  private release: (() => void) | null = null;
  private stopped = false;

  constructor(private readonly locks: LockManagerLike | undefined, private readonly name = 'listsync-outbox-leader') {}

  get isLeader(): boolean {
    return this.leading;
  }

  /** Starts asking for the lock; `onLead` runs once this tab holds it. */
  start(onLead: () => void): void {
    if (!this.locks) {
      this.leading = true;
      onLead();
      return;
    }
    void this.locks.request(this.name, () => {
      if (this.stopped) return Promise.resolve();
      this.leading = true;
      onLead();
      // Held until stop(): the promise settles only then.
      return new Promise<void>((resolve) => { this.release = resolve; });
    }).catch(() => undefined);
  }

  stop(): void {
    this.stopped = true;
    this.leading = false;
    this.release?.();
    this.release = null;
  }
}
