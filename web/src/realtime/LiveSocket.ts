import { backoffDelay } from './backoff';
import { CloseCode } from './events';

/** The socket surface we use; the browser's WebSocket fits, and so does a test double. */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type SocketFactory = (url: string) => SocketLike;

export interface RealtimeOptions {
  /** No message at all for this long means the server's pings stopped: the socket is dead. Two 30 s pings plus slack. */
  deadAfterMs: number;
  /** A connection that stays up this long resets the backoff schedule. */
  stableAfterMs: number;
  /** After the tab becomes visible again, an open socket must answer our ping within this time. */
  probeTimeoutMs: number;
  random: () => number;
  createSocket: SocketFactory;
}

export const defaultRealtimeOptions: RealtimeOptions = {
  deadAfterMs: 75_000,
  stableAfterMs: 10_000,
  probeTimeoutMs: 5_000,
  random: Math.random,
  createSocket: (url) => new WebSocket(url),
};

const OPEN = 1;
const CLIENT_DEAD = 4000; // our own close code for a socket we gave up on (the range 4000-4999 is free for applications)

/** What one kind of socket (a list's, the user's own) adds to the connection all sockets share. */
export interface LiveSocketEndpoint {
  /** The address of a socket opened with this token; called once per socket, just before it opens. */
  url(token: string): string;
  /** Each text frame from the server, on the socket it came from (to answer on). */
  onFrame(text: string, socket: SocketLike): void;
  /** Words for a close that ends the connection for good (4403, 4404, 1008, …); null retries it as usual. */
  haltFor(code: number): string | null;
  /** Backing off before the next try. */
  onRetrying(offline: boolean, nextRetryAt: number): void;
  /** Stopped for good: signed out, or a close {@link haltFor} named. */
  onHalted(error: string, closeCode: number): void;
  /** The current socket is gone (closed or given up on): per-socket state of the endpoint ends with it. */
  onSocketGone?(): void;
}

export interface LiveSocketDeps {
  /** A valid access token (refreshed if about to expire), or null when signed out. */
  accessToken: () => Promise<string | null>;
  /** Rotates the tokens after a 4401; null when the session ended. */
  refreshToken: () => Promise<string | null>;
  options: RealtimeOptions;
}

/**
 * One server socket kept open for as long as it runs, the same way for every endpoint: a fresh token per socket and
 * one rotation after a 4401, backoff between tries (reset once a socket stayed up), a dead-socket timer that any
 * frame re-arms, `online`/`offline`, and a ping when a phone wakes up (a socket that died silently must answer fast).
 */
export class LiveSocket {
  private socket: SocketLike | null = null;
  private attempt = 0;
  private unauthorizedInARow = 0;
  private running = false;
  /** Numbers connect() calls: when two overlap (a retry timer and an `online` event), only the newest opens a socket. */
  private connectSeq = 0;
  /** The token the current socket was opened with. */
  private usedToken: string | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private deadTimer: ReturnType<typeof setTimeout> | undefined;
  private stableTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly deps: LiveSocketDeps, private readonly endpoint: LiveSocketEndpoint) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
    document.addEventListener('visibilitychange', this.onVisibility);
    void this.connect();
  }

  stop(): void {
    this.running = false;
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    document.removeEventListener('visibilitychange', this.onVisibility);
    clearTimeout(this.retryTimer);
    this.discardSocket(1000, 'leaving');
  }

  /** "Retry now": skips the rest of the backoff wait. Does nothing while connected or stopped. */
  retryNow(): void {
    if (this.running && this.socket?.readyState !== OPEN) void this.connect();
  }

  /** The server accepted the token (its hello came): a later 4401 means it expired, not that fresh ones are refused. */
  accepted(): void {
    this.unauthorizedInARow = 0;
  }

  private async connect(): Promise<void> {
    clearTimeout(this.retryTimer);
    if (!this.running) return;
    const seq = ++this.connectSeq;
    let token: string | null;
    try {
      token = await this.deps.accessToken();
    } catch {
      if (seq === this.connectSeq) this.scheduleReconnect(); // offline: the token refresh itself failed
      return;
    }
    if (!this.running || seq !== this.connectSeq) return;
    if (!token) {
      this.halt('You are signed out.', CloseCode.Unauthorized);
      return;
    }
    this.discardSocket(1000, 'replaced');
    this.usedToken = token;
    const socket = this.deps.options.createSocket(this.endpoint.url(token));
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
      if (typeof event.data === 'string') this.endpoint.onFrame(event.data, socket);
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.socketGone();
      void this.onClosed(event.code);
    };
    // An error is always followed by a close, which does the work.
    socket.onerror = null;
  }

  private async onClosed(code: number): Promise<void> {
    if (!this.running) return;
    if (code === CloseCode.Unauthorized) {
      this.unauthorizedInARow++;
      let token: string | null;
      try {
        // The session may hold a newer token already (silent refresh): use it rather than rotate again.
        const current = await this.deps.accessToken();
        token = current && current !== this.usedToken ? current : await this.deps.refreshToken();
      } catch {
        this.scheduleReconnect();
        return;
      }
      if (!this.running) return;
      if (!token) this.halt('You are signed out.', code);
      else if (this.unauthorizedInARow === 1) void this.connect();
      else this.scheduleReconnect(); // a fresh token was refused too: don't hammer the server
      return;
    }
    const ending = this.endpoint.haltFor(code);
    if (ending !== null) this.halt(ending, code);
    else this.scheduleReconnect(); // 1001 (shut down, or frames lost), 1006 (network), 1013, 4408, …
  }

  private scheduleReconnect(): void {
    if (!this.running) return;
    clearTimeout(this.retryTimer);
    const delay = backoffDelay(this.attempt++, this.deps.options.random);
    const offline = typeof navigator !== 'undefined' && navigator.onLine === false;
    this.endpoint.onRetrying(offline, Date.now() + delay);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }

  private halt(error: string, closeCode: number): void {
    this.running = false;
    clearTimeout(this.retryTimer);
    this.discardSocket(1000, 'stopped');
    this.endpoint.onHalted(error, closeCode);
  }

  /** Gives up on the current socket without waiting for its close event (which may never come on a dead network). */
  private discardSocket(code: number, reason: string): void {
    const socket = this.socket;
    this.socket = null;
    this.socketGone();
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

  private socketGone(): void {
    clearTimeout(this.deadTimer);
    clearTimeout(this.stableTimer);
    this.endpoint.onSocketGone?.();
  }

  private readonly onOnline = (): void => this.retryNow();

  private readonly onOffline = (): void => {
    // The socket cannot survive this; say so now instead of when the dead-socket timer notices.
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
