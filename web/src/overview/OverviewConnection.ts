import type { QueryClient } from '@tanstack/react-query';
import { listKeys } from '../api/queryKeys';
import { backoffDelay } from '../realtime/backoff';
import { CloseCode } from '../realtime/events';
import type { RealtimeOptions, SocketLike, SyncStatus } from '../realtime/ListSyncConnection';
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

const OPEN = 1;
const CLIENT_DEAD = 4000; // our own close code for a socket we gave up on

/**
 * Keeps the cached overview (`GET /lists`) live over the user's own socket, `/api/v1/ws/me`: lists shared with the
 * user appear, lists deleted or left disappear, names, roles and counts follow. The server replays nothing, so each
 * `hello` (the first connect and every reconnect) refetches the overview once: whatever changed while away is in it.
 * Tokens, backoff, keepalive, `online`/`offline` and the visibility probe work as on the list socket.
 */
export class OverviewConnection {
  private socket: SocketLike | null = null;
  private readonly cache: OverviewCache;
  private attempt = 0;
  private unauthorizedInARow = 0;
  private running = false;
  private connectSeq = 0;
  private usedToken: string | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private deadTimer: ReturnType<typeof setTimeout> | undefined;
  private stableTimer: ReturnType<typeof setTimeout> | undefined;
  private unsubscribeCache: (() => void) | null = null;

  constructor(private readonly deps: OverviewDeps) {
    this.cache = new OverviewCache(deps.client);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
    document.addEventListener('visibilitychange', this.onVisibility);
    this.unsubscribeCache = this.deps.client.getQueryCache().subscribe(this.cache.onCacheEvent);
    void this.connect();
  }

  stop(): void {
    this.running = false;
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.unsubscribeCache?.();
    this.unsubscribeCache = null;
    clearTimeout(this.retryTimer);
    this.discardSocket(1000, 'leaving');
  }

  /** Skips the rest of the backoff wait. Does nothing while connected or stopped. */
  retryNow(): void {
    if (this.running && this.socket?.readyState !== OPEN) void this.connect();
  }

  private async connect(): Promise<void> {
    clearTimeout(this.retryTimer);
    if (!this.running) return;
    const seq = ++this.connectSeq;
    let token: string | null;
    try {
      token = await this.deps.accessToken();
    } catch {
      if (seq === this.connectSeq) this.scheduleReconnect();
      return;
    }
    if (!this.running || seq !== this.connectSeq) return;
    if (!token) {
      this.halt();
      return;
    }
    this.discardSocket(1000, 'replaced');
    this.usedToken = token;
    const socket = this.deps.options.createSocket(socketUrl(token));
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.armDeadTimer(this.deps.options.deadAfterMs);
      this.stableTimer = setTimeout(() => {
        this.attempt = 0;
        this.unauthorizedInARow = 0;
      }, this.deps.options.stableAfterMs);
    };
    socket.onmessage = (event) => {
      if (this.socket !== socket) return;
      this.armDeadTimer(this.deps.options.deadAfterMs);
      const frame = typeof event.data === 'string' ? parseOverviewFrame(event.data) : null;
      if (frame) this.handle(frame, socket);
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.clearSocketTimers();
      void this.onClosed(event.code);
    };
    socket.onerror = null; // an error is always followed by a close, which does the work
  }

  private handle(frame: OverviewFrame, socket: SocketLike): void {
    switch (frame.type) {
      case 'ping':
        socket.send(JSON.stringify({ type: 'pong' }));
        return;
      case 'hello':
        this.unauthorizedInARow = 0;
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

  private async onClosed(code: number): Promise<void> {
    if (!this.running) return;
    if (code === CloseCode.Unauthorized) {
      this.unauthorizedInARow++;
      let token: string | null;
      try {
        const current = await this.deps.accessToken();
        token = current && current !== this.usedToken ? current : await this.deps.refreshToken();
      } catch {
        this.scheduleReconnect();
        return;
      }
      if (!this.running) return;
      if (!token) this.halt();
      else if (this.unauthorizedInARow === 1) void this.connect();
      else this.scheduleReconnect(); // a fresh token was refused too: don't hammer the server
      return;
    }
    if (code === CloseCode.PolicyViolation) {
      this.halt();
      return;
    }
    // 1001 (shutting down, or frames were lost on the way), 1006, 1013, 4408, …: retry on the schedule.
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (!this.running) return;
    clearTimeout(this.retryTimer);
    const delay = backoffDelay(this.attempt++, this.deps.options.random);
    const offline = typeof navigator !== 'undefined' && navigator.onLine === false;
    this.deps.onStatus(offline ? 'offline' : 'reconnecting');
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }

  private halt(): void {
    this.running = false;
    clearTimeout(this.retryTimer);
    this.discardSocket(1000, 'stopped');
    this.deps.onStatus('stopped');
  }

  private discardSocket(code: number, reason: string): void {
    const socket = this.socket;
    this.socket = null;
    this.clearSocketTimers();
    if (!socket) return;
    socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
    try {
      socket.close(code, reason);
    } catch {
      // already closed
    }
  }

  private dropAndRetry(reason: string): void {
    this.discardSocket(CLIENT_DEAD, reason);
    this.scheduleReconnect();
  }

  private armDeadTimer(ms: number): void {
    clearTimeout(this.deadTimer);
    this.deadTimer = setTimeout(() => this.dropAndRetry('no message from the server'), ms);
  }

  private clearSocketTimers(): void {
    clearTimeout(this.deadTimer);
    clearTimeout(this.stableTimer);
  }

  private readonly onOnline = (): void => this.retryNow();

  private readonly onOffline = (): void => {
    if (this.running) this.dropAndRetry('offline');
  };

  private readonly onVisibility = (): void => {
    if (!this.running || document.visibilityState !== 'visible') return;
    const socket = this.socket;
    if (socket?.readyState === OPEN) {
      socket.send(JSON.stringify({ type: 'ping' }));
      this.armDeadTimer(this.deps.options.probeTimeoutMs);
    } else if (!socket) {
      void this.connect();
    }
  };
}

function socketUrl(token: string): string {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${window.location.host}/api/v1/ws/me?${new URLSearchParams({ token })}`;
}
