import type { QueryClient } from '@tanstack/react-query';
import type { ApiClient } from '../api/client';
import { listKeys } from '../api/queryKeys';
import { backoffDelay } from '../realtime/backoff';
import type { LiveLists } from '../realtime/LiveLists';
import { classify, refusalReason } from './classify';
import { applyConfirmed } from './confirm';
import type { Leadership } from './leader';
import { sendWrite } from './send';
import type { OutboxStore } from './store';
import { newUuid, writeKey, type QueuedWrite, type WriteOp } from './writes';

/** A write the server refused and that was rolled back, with the words to tell the user. */
export interface Refusal {
  id: number;
  listId: string;
  message: string;
}

/** Between tabs: "the queue changed, read it again", and the outcome of a write (so every tab updates its screen). */
type Message =
  | { type: 'changed' }
  | { type: 'confirmed'; write: QueuedWrite; answer: unknown }
  | { type: 'refused'; write: QueuedWrite; message: string };

export interface ChannelLike {
  postMessage(message: unknown): void;
  onmessage: ((event: MessageEvent) => void) | null;
  close(): void;
}

export interface OutboxDeps {
  store: OutboxStore;
  api: ApiClient;
  client: QueryClient;
  liveLists: LiveLists;
  /** The signed-in user, or null: only that user's writes are sent. */
  userId: () => string | null;
  leadership: Leadership;
  channel: ChannelLike | null;
  random?: () => number;
  now?: () => number;
}

interface Waiter {
  resolve: (answer: unknown) => void;
  reject: (error: Error) => void;
}

/** Rejects a write's promise when the server refused it; the change is already rolled back on screen. */
export class WriteRefused extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = 'WriteRefused';
  }
}

/**
 * The durable write queue. Every change is stored (IndexedDB) before the screen shows it, and stays until the server
 * answered it: confirmed (the answer goes into the cache) or refused (rolled back, and said in words). The leader tab
 * sends the writes one at a time in the order they were made, each with its own Idempotency-Key on every attempt, and
 * retries network errors and 5xx with backoff; the other tabs follow over a BroadcastChannel.
 */
export class Outbox {
  private writes: QueuedWrite[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly refusalListeners = new Set<(refusal: Refusal) => void>();
  private readonly waiters = new Map<string, Waiter>();
  /** Every store operation of this tab, in order: a write is in the store before a later reload reads it. */
  private chain: Promise<unknown> = Promise.resolve();
  private draining = false;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private refusalSeq = 0;
  private rev = 0;
  private hasLoaded = false;
  private started = false;
  /** The first read of the store: nothing is sent before it. */
  private ready: Promise<void> = Promise.resolve();

  constructor(private readonly deps: OutboxDeps) {}

  start(): Promise<void> {
    if (this.started) return this.ready;
    this.started = true;
    if (this.deps.channel) this.deps.channel.onmessage = (event) => this.onMessage(event.data as Message);
    this.ready = this.reload();
    this.deps.leadership.start(() => this.kick());
    return this.ready;
  }

  stop(): void {
    clearTimeout(this.retryTimer);
    this.deps.leadership.stop();
    this.deps.channel?.close();
  }

  /** The writes waiting (for `listId`, or all), of the signed-in user, in order. */
  pending(listId?: string): QueuedWrite[] {
    const user = this.deps.userId();
    return this.writes.filter((w) => w.userId === user && (listId === undefined || w.listId === listId));
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  onRefusal(listener: (refusal: Refusal) => void): () => void {
    this.refusalListeners.add(listener);
    return () => this.refusalListeners.delete(listener);
  }

  /**
   * Queues a change. Resolves with the server's answer once it is confirmed (which may be after a reload in another
   * tab: then never here), rejects with {@link WriteRefused} when the server refuses it.
   */
  enqueue(listId: string, op: WriteOp, label: string): Promise<unknown> {
    const user = this.deps.userId();
    if (!user) return Promise.reject(new Error('You are signed out.'));
    const now = (this.deps.now ?? Date.now)();
    const write: QueuedWrite = {
      key: writeKey(now), listId: String(listId), userId: user, idempotencyKey: newUuid(), op, label, createdAt: now,
    };
    const settled = new Promise<unknown>((resolve, reject) => this.waiters.set(write.key, { resolve, reject }));
    this.serial(async () => {
      await this.deps.store.put(write);
      this.writes = [...this.writes, write].sort((a, b) => (a.key < b.key ? -1 : 1));
      this.emit();
      this.broadcast({ type: 'changed' });
      this.kick();
    });
    return settled;
  }

  /** The server is reachable (socket open, a request succeeded, the browser says online): send now, backoff reset. */
  kick(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.attempt = 0;
    void this.drain();
  }

  /** Some request got an answer: if the queue is waiting out a backoff, the server is back, so send now. */
  reachable(): void {
    if (this.retryTimer !== undefined) this.kick();
  }

  /** Forgets every waiting write (signing out for good). */
  clear(): Promise<void> {
    return this.serial(async () => {
      await this.deps.store.clear();
      this.writes = [];
      this.emit();
      this.broadcast({ type: 'changed' });
    });
  }

  private async drain(): Promise<void> {
    if (this.draining || !this.deps.leadership.isLeader) return;
    this.draining = true;
    const touched = new Set<string>();
    try {
      await this.ready;
      for (;;) {
        const next = this.pending()[0];
        if (!next) break;
        let answer: unknown;
        try {
          answer = await sendWrite(this.deps.api, next);
        } catch (error) {
          const verdict = classify(error);
          if (verdict === 'refuse') {
            touched.add(next.listId);
            await this.refuse(next, error);
            continue;
          }
          if (verdict === 'retry') this.scheduleRetry();
          break; // signed out: wait for the next sign-in (which kicks)
        }
        this.attempt = 0;
        touched.add(next.listId);
        await this.confirm(next, answer);
      }
    } finally {
      this.draining = false;
    }
    // No echo comes for a list without a live socket: read it again now that the queue is through.
    for (const listId of touched) {
      if (!this.deps.liveLists.isLive(listId) && this.pending(listId).length === 0) {
        void this.deps.client.invalidateQueries({ queryKey: listKeys.scope(listId) });
      }
    }
  }

  private scheduleRetry(): void {
    clearTimeout(this.retryTimer);
    const delay = backoffDelay(this.attempt++, this.deps.random ?? Math.random);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.drain();
    }, delay);
  }

  private async confirm(write: QueuedWrite, answer: unknown): Promise<void> {
    applyConfirmed(this.deps.client, write, answer);
    await this.forget(write);
    this.broadcast({ type: 'confirmed', write, answer });
    this.settle(write.key, (w) => w.resolve(answer));
  }

  private async refuse(write: QueuedWrite, error: unknown): Promise<void> {
    const message = `Not saved: ${write.label} (${refusalReason(error)}). It was undone here.`;
    await this.forget(write);
    void this.deps.client.invalidateQueries({ queryKey: listKeys.scope(write.listId) });
    this.broadcast({ type: 'refused', write, message });
    this.tellRefusal(write.listId, message);
    this.settle(write.key, (w) => w.reject(new WriteRefused(message, error)));
  }

  private forget(write: QueuedWrite): Promise<void> {
    return this.serial(async () => {
      await this.deps.store.remove(write.key);
      this.writes = this.writes.filter((w) => w.key !== write.key);
      this.emit();
    });
  }

  private settle(key: string, done: (waiter: Waiter) => void): void {
    const waiter = this.waiters.get(key);
    this.waiters.delete(key);
    if (waiter) done(waiter);
  }

  private tellRefusal(listId: string, message: string): void {
    const refusal = { id: ++this.refusalSeq, listId, message };
    for (const listener of this.refusalListeners) listener(refusal);
  }

  private onMessage(message: Message): void {
    if (message.type === 'confirmed') {
      applyConfirmed(this.deps.client, message.write, message.answer);
      this.settle(message.write.key, (w) => w.resolve(message.answer));
    } else if (message.type === 'refused') {
      void this.deps.client.invalidateQueries({ queryKey: listKeys.scope(message.write.listId) });
      this.tellRefusal(message.write.listId, message.message);
      this.settle(message.write.key, (w) => w.reject(new WriteRefused(message.message, null)));
    }
    void this.reload().then(() => {
      if (message.type === 'changed') this.kick();
    });
  }

  /** Whether the stored writes have been read once (before that, the screen would show the server's state only). */
  get loaded(): boolean {
    return this.hasLoaded;
  }

  private reload(): Promise<void> {
    return this.serial(async () => {
      this.writes = await this.deps.store.all().catch(() => this.writes);
      this.hasLoaded = true;
      this.emit();
    });
  }

  private serial(task: () => Promise<void>): Promise<void> {
    const run = this.chain.then(task);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private broadcast(message: Message): void {
    try {
      this.deps.channel?.postMessage(message);
    } catch {
      // a closed channel: nothing to tell
    }
  }

  /** Changes whenever what {@link pending} returns may have changed (for useSyncExternalStore). */
  get revision(): number {
    return this.rev;
  }

  /** The signed-in user changed: their writes are the ones to show and send now. */
  userChanged(): void {
    this.emit();
    this.kick();
  }

  private emit(): void {
    this.rev += 1;
    for (const listener of this.listeners) listener();
  }
}
