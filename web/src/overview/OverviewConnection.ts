import type { QueryClient } from '@tanstack/react-query';
import { listKeys } from '../api/queryKeys';
import { CloseCode } from '../realtime/events';
import type { RealtimeOptions, SocketLike, SyncStatus } from '../realtime/ListSyncConnection';
import { LiveSocket } from '../realtime/LiveSocket';
import { parseOverviewFrame, type OverviewFrame } from './frames';
import { OverviewCache } from './overviewCache';

export interface OverviewDeps {
  client: QueryClient;
  /** A valid access token (refreshed if about to expire), or null when signed out. */
  accessToken: () => Promise<string | null>;
  /** Rotates the tokens after a 4401; null when the session ended. */
  refreshToken: () => Promise<string | null>;
  onStatus: (status: SyncStatus) => void;
  options: RealtimeOptions;
}

/**
 * Keeps the cached overview (`GET /lists`) live over the user's own socket, `/api/v1/ws/me`: lists shared with the
 * user appear, lists deleted or left disappear, names, roles and counts follow. The server replays nothing, so each
 * `hello` (the first connect and every reconnect) refetches the overview once: whatever changed while away is in it.
 * Tokens, backoff, keepalive, `online`/`offline` and the visibility probe are the {@link LiveSocket}'s, as for lists.
 */
export class OverviewConnection {
  private readonly cache: OverviewCache;
  private readonly live: LiveSocket;
  private unsubscribeCache: (() => void) | null = null;

  constructor(private readonly deps: OverviewDeps) {
    this.cache = new OverviewCache(deps.client);
    this.live = new LiveSocket(deps, {
      url: socketUrl,
      onFrame: (text, socket) => {
        const frame = parseOverviewFrame(text);
        if (frame) this.handle(frame, socket);
      },
      haltFor: (code) => (code === CloseCode.PolicyViolation ? 'origin not allowed' : null),
      onRetrying: (offline) => this.deps.onStatus(offline ? 'offline' : 'reconnecting'),
      onHalted: () => this.deps.onStatus('stopped'),
    });
  }

  start(): void {
    this.unsubscribeCache ??= this.deps.client.getQueryCache().subscribe(this.cache.onCacheEvent);
    this.live.start();
  }

  stop(): void {
    this.unsubscribeCache?.();
    this.unsubscribeCache = null;
    this.live.stop();
  }

  /** Skips the rest of the backoff wait. Does nothing while connected or stopped. */
  retryNow(): void {
    this.live.retryNow();
  }

  private handle(frame: OverviewFrame, socket: SocketLike): void {
    switch (frame.type) {
      case 'ping':
        socket.send(JSON.stringify({ type: 'pong' }));
        return;
      case 'hello':
        this.live.accepted();
        // Nothing is replayed: refetch once, so changes made while this socket was away are not left stale.
        void this.deps.client.invalidateQueries({ queryKey: listKeys.overview() });
        this.deps.onStatus('live');
        return;
      case 'list_added':
      case 'list_changed':
        // In rare races list_changed comes before its list_added: both upsert.
        this.cache.added(frame.data);
        return;
      case 'list_removed':
        this.cache.removed(frame.data.id);
        return;
      default:
        return;
    }
  }
}

function socketUrl(token: string): string {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${window.location.host}/api/v1/ws/me?${new URLSearchParams({ token })}`;
}
