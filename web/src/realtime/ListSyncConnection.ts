import type { QueryCacheNotifyEvent, QueryClient } from '@tanstack/react-query';
import { listKeys } from '../api/queryKeys';
import type { Id, Viewer } from '../api/types';
import { applyEvent, invalidateBehind, invalidateList } from './cache';
import { CloseCode, isListEvent, parseMessage, type ListEvent, type ServerMessage } from './events';
import { LiveSocket, type RealtimeOptions, type SocketLike } from './LiveSocket';

export type SyncStatus =
  /** First connection under way. */
  | 'connecting'
  /** `hello` received: events flow. */
  | 'live'
  /** Lost; a retry is scheduled at `nextRetryAt`. */
  | 'reconnecting'
  /** The browser says it is offline; we retry when it comes back (and on the backoff schedule, in case it is wrong). */
  | 'offline'
  /** Stopped for good: access ended, the list is gone, or the session ended. `error` says which. */
  | 'stopped';

export interface SyncState {
  status: SyncStatus;
  /** Epoch ms of the next attempt while reconnecting or offline. */
  nextRetryAt: number | null;
  /** Words for the user when syncing stopped (no access, list deleted, signed out). */
  error: string | null;
  /** Why syncing stopped, for screens that react to it (4403/4404). */
  closeCode: number | null;
}

export const initialSyncState: SyncState = { status: 'connecting', nextRetryAt: null, error: null, closeCode: null };

// the socket's own types live with the socket; re-exported for the callers that know them from here
export { defaultRealtimeOptions, type RealtimeOptions, type SocketFactory, type SocketLike } from './LiveSocket';

export interface ConnectionDeps {
  listId: Id;
  client: QueryClient;
  /** A valid access token (refreshed if about to expire), or null when signed out. */
  accessToken: () => Promise<string | null>;
  /** Rotates the tokens after a 4401; null when the session ended. */
  refreshToken: () => Promise<string | null>;
  /** The version of the data on screen, used as `since` for the first connection. */
  shownVersion: () => number | null;
  onState: (state: SyncState) => void;
  /** Each new event, just before it is applied to the cache (so the cache still shows what it changes). */
  onEvent?: (event: ListEvent) => void;
  /** Given, the socket asks for presence (`presence=true`) and this gets the whole set of viewers on each change. */
  onPresence?: (viewers: Viewer[]) => void;
  options: RealtimeOptions;
}

/** Said when the server closes with 4404, and by the list page when a GET answers 404: the same fact, the same words. */
export const LIST_GONE = 'This list was deleted, or you are not a member of it.';
/** How long the replay after `hello` may take before the connection counts as live anyway. */
const CATCH_UP_LIMIT_MS = 3_000;
/** Closes after which a list socket stops for good, and what the list page says. */
const HALTS: Record<number, string> = {
  [CloseCode.Forbidden]: 'Your access to this list has ended.',
  [CloseCode.NotFound]: LIST_GONE,
  [CloseCode.PolicyViolation]: 'The server refused the live connection from this address (origin not allowed).',
};

/**
 * Keeps one list's cached queries in step with the server over a WebSocket, for as long as it runs.
 *
 * Version bookkeeping: `streamVersion` is the last version this socket stream has delivered (from `hello`, `resync` or an
 * event). Events at or below it are repeats and are dropped; anything newer goes to {@link applyEvent}, which applies or
 * refetches each cache entry by its own version. A reconnect asks for `since=streamVersion`, so nothing in between is lost.
 */
export class ListSyncConnection {
  private readonly live: LiveSocket;
  private streamVersion: number | null = null;
  /** The `since` the current socket was opened with. */
  private sentSince: number | null = null;
  private unsubscribeCache: (() => void) | null = null;
  /** The server's version at `hello` while its replay of what came after `since` is still arriving; null when caught up. */
  private catchUpTo: number | null = null;
  private catchUpTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly deps: ConnectionDeps) {
    this.live = new LiveSocket(deps, {
      url: (token) => {
        this.catchUpTo = null;
        this.sentSince = this.streamVersion ?? this.deps.shownVersion();
        return socketUrl(this.deps.listId, token, this.sentSince, !!this.deps.onPresence);
      },
      onFrame: (text, socket) => {
        const message = parseMessage(text);
        if (message) this.handle(message, socket);
      },
      haltFor: (code) => HALTS[code] ?? null,
      onRetrying: (offline, nextRetryAt) =>
        this.setState({ status: offline ? 'offline' : 'reconnecting', nextRetryAt, error: null, closeCode: null }),
      onHalted: (error, closeCode) => {
        this.setState({ status: 'stopped', nextRetryAt: null, error, closeCode });
        if (closeCode === CloseCode.Forbidden || closeCode === CloseCode.NotFound) {
          void this.deps.client.invalidateQueries({ queryKey: listKeys.overview() });
        }
      },
      onSocketGone: () => {
        clearTimeout(this.catchUpTimer);
        this.catchUpTo = null;
      },
    });
  }

  start(): void {
    this.unsubscribeCache ??= this.deps.client.getQueryCache().subscribe(this.onCacheEvent);
    this.live.start();
  }

  stop(): void {
    this.unsubscribeCache?.();
    this.unsubscribeCache = null;
    this.live.stop();
  }

  /** "Retry now": skips the rest of the backoff wait. Does nothing while connected or stopped. */
  retryNow(): void {
    this.live.retryNow();
  }

  private handle(message: ServerMessage, socket: SocketLike): void {
    const { client, listId } = this.deps;
    if (message.type === 'ping') {
      socket.send(JSON.stringify({ type: 'pong' }));
      return;
    }
    if (message.type === 'presence') {
      if (Array.isArray(message.viewers)) this.deps.onPresence?.(message.viewers);
      return;
    }
    if (message.type === 'hello') {
      if (Array.isArray(message.viewers)) this.deps.onPresence?.(message.viewers);
      if (this.sentSince !== null && message.version >= this.sentSince) {
        // The server replays everything after `since` next; the stream continues from there. Entries older than that
        // (an inactive includeChecked variant, say) cannot catch up from the replay: mark them for refetching.
        this.streamVersion = this.sentSince;
        invalidateBehind(client, listId, this.sentSince);
      } else {
        // Fresh start (or the server is behind what we asked for): whatever the cache holds that is older, refetch.
        this.streamVersion = message.version;
        if (this.sentSince !== null) void invalidateList(client, listId);
        else invalidateBehind(client, listId, message.version);
      }
      this.live.accepted();
      // "Live" once the replay after `since` is in: the screen then shows what the server has (after an offline start
      // from the persisted cache, or a reconnect), and waiting writes are sent on top of it.
      this.catchUpTo = message.version;
      this.liveIfCaughtUp();
      // Should the replay stop short (a version without an event for us), live anyway rather than never.
      clearTimeout(this.catchUpTimer);
      if (this.catchUpTo !== null) {
        this.catchUpTimer = setTimeout(() => {
          this.streamVersion = Math.max(this.streamVersion ?? 0, this.catchUpTo ?? 0);
          this.liveIfCaughtUp();
        }, CATCH_UP_LIMIT_MS);
      }
      return;
    }
    if (message.type === 'resync') {
      this.streamVersion = message.version;
      void invalidateList(client, listId);
      this.liveIfCaughtUp();
      return;
    }
    if (!isListEvent(message)) return;
    if (this.streamVersion !== null && message.version <= this.streamVersion) return; // a repeat
    this.streamVersion = message.version;
    this.deps.onEvent?.(message);
    applyEvent(client, listId, message);
    this.liveIfCaughtUp();
  }

  private liveIfCaughtUp(): void {
    if (this.catchUpTo === null || (this.streamVersion ?? 0) < this.catchUpTo) return;
    this.catchUpTo = null;
    clearTimeout(this.catchUpTimer);
    this.setState({ status: 'live', nextRetryAt: null, error: null, closeCode: null });
  }

  /** A fetch that landed with data older than the stream has delivered (it raced with events) must be fetched again. */
  private readonly onCacheEvent = (event: QueryCacheNotifyEvent): void => {
    if (event.type !== 'updated' || event.action.type !== 'success' || this.streamVersion === null) return;
    const key = event.query.queryKey;
    if (key[0] !== 'list' || key[1] !== String(this.deps.listId)) return;
    const data: unknown = event.query.state.data;
    const version = (data as { version?: unknown } | undefined)?.version;
    if (typeof version === 'number' && version < this.streamVersion) {
      const queryKey = event.query.queryKey;
      queueMicrotask(() => void this.deps.client.invalidateQueries({ queryKey, exact: true }));
    }
  };

  private setState(state: SyncState): void {
    this.deps.onState(state);
  }
}

function socketUrl(listId: Id, token: string, since: number | null, presence: boolean): string {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  const query = new URLSearchParams({ token });
  if (since !== null) query.set('since', String(since));
  if (presence) query.set('presence', 'true');
  return `${scheme}://${window.location.host}/api/v1/ws/lists/${encodeURIComponent(String(listId))}?${query}`;
}
