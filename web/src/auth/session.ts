import { ApiError } from '../api/ApiError';
import { sendJson, type FetchLike } from '../api/http';
import type { AuthResponse, User } from '../api/types';

export interface Session {
  user: User;
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds at which the access token expires. */
  expiresAt: number;
  /** The access token's lifetime in ms (from `expiresIn`), which sizes the refresh margin. */
  lifetimeMs?: number;
}

const STORAGE_KEY = 'listsync.session';

/**
 * Refresh this long before expiry, so a request never goes out with a token about to lapse: a minute, or a quarter of
 * the lifetime for short-lived tokens (a 15 min token refreshes at 14 min, a 20 s one at 15 s).
 */
const MAX_REFRESH_MARGIN_MS = 60_000;
const MIN_REFRESH_DELAY_MS = 1_000;

function refreshMargin(session: Session): number {
  return Math.min(MAX_REFRESH_MARGIN_MS, (session.lifetimeMs ?? 4 * MAX_REFRESH_MARGIN_MS) / 4);
}

type Listener = () => void;

/**
 * The signed-in session: kept in localStorage so it survives reloads, refreshed silently before the access token expires,
 * and shared between tabs (a tab adopts the tokens another tab rotated instead of using a refresh token that is already
 * spent, which would sign it out).
 */
export class SessionStore {
  private session: Session | null;
  private readonly listeners = new Set<Listener>();
  private refreshing: Promise<string | null> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly fetchImpl: FetchLike,
    private readonly storage: Storage = window.localStorage,
    private readonly now: () => number = Date.now,
  ) {
    this.session = this.read();
    this.schedule();
    window.addEventListener('storage', (event) => {
      if (event.key !== STORAGE_KEY) return;
      this.session = this.read();
      this.schedule();
      this.emit();
    });
  }

  get = (): Session | null => this.session;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Starts a session from a login, register or refresh answer. */
  signIn(auth: AuthResponse): void {
    this.write({
      user: auth.user,
      accessToken: auth.accessToken,
      refreshToken: auth.refreshToken,
      expiresAt: this.now() + auth.expiresIn * 1000,
      lifetimeMs: auth.expiresIn * 1000,
    });
  }

  /**
   * Ends the session here at once, and asks the server to revoke its refresh tokens (`POST /auth/logout`, a documented
   * extension) so a copied token cannot be used later. The answer is not awaited: being offline must not keep anyone
   * signed in.
   */
  signOut(): void {
    const refreshToken = this.session?.refreshToken;
    this.write(null);
    if (refreshToken) {
      sendJson<void>(this.fetchImpl, 'POST', '/api/v1/auth/logout', { refreshToken }, null).catch(() => undefined);
    }
  }

  /** The access token to use now, refreshed first when it is about to expire. Null when signed out. */
  async accessToken(): Promise<string | null> {
    const session = this.session;
    if (!session) return null;
    if (session.expiresAt - this.now() > refreshMargin(session) / 2) return session.accessToken;
    return this.refresh();
  }

  /**
   * Rotates the tokens. Concurrent callers share one request (refresh tokens are single-use). Resolves with the new access
   * token, or null when the refresh token was refused (the session then ends). A network failure rejects and keeps the
   * session: being offline is not a reason to sign someone out.
   */
  refresh(): Promise<string | null> {
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async doRefresh(): Promise<string | null> {
    const before = this.session;
    if (!before) return null;
    // Another tab may have rotated the tokens already: its refresh token is the only valid one now.
    const stored = this.read();
    if (stored && stored.refreshToken !== before.refreshToken && stored.expiresAt - this.now() > refreshMargin(stored)) {
      this.session = stored;
      this.schedule();
      this.emit();
      return stored.accessToken;
    }
    try {
      const auth = await sendJson<AuthResponse>(this.fetchImpl, 'POST', '/api/v1/auth/refresh',
        { refreshToken: before.refreshToken }, null);
      this.signIn(auth);
      return auth.accessToken;
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 400 || error.status === 404)) {
        this.write(null); // the refresh token is already dead: nothing to revoke
        return null;
      }
      throw error;
    }
  }

  private schedule(): void {
    clearTimeout(this.timer);
    const session = this.session;
    if (!session) return;
    const delay = Math.max(MIN_REFRESH_DELAY_MS, session.expiresAt - this.now() - refreshMargin(session));
    this.timer = setTimeout(() => {
      // A failed silent refresh (offline) is retried by the next request's 401 handling or the next schedule.
      this.refresh().catch(() => this.scheduleRetry());
    }, delay);
  }

  private scheduleRetry(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh().catch(() => this.scheduleRetry()), 30_000);
  }

  private write(session: Session | null): void {
    this.session = session;
    if (session) this.storage.setItem(STORAGE_KEY, JSON.stringify(session));
    else this.storage.removeItem(STORAGE_KEY);
    this.schedule();
    this.emit();
  }

  private read(): Session | null {
    try {
      const raw = this.storage.getItem(STORAGE_KEY);
      if (!raw) return null;
      const parsed = JSON.parse(raw) as Partial<Session>;
      if (!parsed.user || !parsed.accessToken || !parsed.refreshToken || typeof parsed.expiresAt !== 'number') return null;
      return parsed as Session;
    } catch {
      return null;
    }
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
