import { beforeEach, describe, expect, it, vi } from 'vitest';
import { SessionStore } from '../auth/session';
import { ApiError, errorMessage } from './ApiError';
import { ApiClient } from './client';
import type { AuthResponse } from './types';

const user = { id: 1, email: 'ann@example.com', displayName: 'Ann' };
const auth = (n: number, expiresIn = 900): AuthResponse =>
  ({ user, accessToken: `access-${n}`, refreshToken: `refresh-${n}`, expiresIn });

const json = (status: number, body: unknown, type = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } });
const problem = (status: number, detail: string) =>
  json(status, { type: 'about:blank', title: 'Problem', status, detail }, 'application/problem+json');

interface Call { url: string; method: string; auth: string | null; body: unknown }

/** A scripted server: answers each request with the next matching handler, and records what was asked. */
function fakeServer(handler: (call: Call) => Response) {
  const calls: Call[] = [];
  const fetchImpl = vi.fn(async (url: string, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    const call = {
      url, method: init?.method ?? 'GET', auth: headers.get('Authorization'),
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    };
    calls.push(call);
    return handler(call);
  });
  return { calls, fetchImpl };
}

beforeEach(() => localStorage.clear());

describe('ApiClient', () => {
  it('sends the bearer token and parses the answer', async () => {
    const { calls, fetchImpl } = fakeServer(() => json(200, []));
    const session = new SessionStore(fetchImpl);
    session.signIn(auth(1));
    await expect(new ApiClient(session, fetchImpl).lists()).resolves.toEqual([]);
    expect(calls[0]).toMatchObject({ url: '/api/v1/lists', method: 'GET', auth: 'Bearer access-1' });
  });

  it('on a 401, refreshes once and retries with the new token', async () => {
    const { calls, fetchImpl } = fakeServer((call) => {
      if (call.url.endsWith('/auth/refresh')) return json(200, auth(2));
      return call.auth === 'Bearer access-2' ? json(200, [{ id: 1 }]) : problem(401, 'expired');
    });
    const session = new SessionStore(fetchImpl);
    session.signIn(auth(1));
    await expect(new ApiClient(session, fetchImpl).lists()).resolves.toEqual([{ id: 1 }]);
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/lists', '/api/v1/auth/refresh', '/api/v1/lists']);
    expect(calls[1]?.body).toEqual({ refreshToken: 'refresh-1' });
    expect(session.get()?.refreshToken).toBe('refresh-2');
  });

  it('signs out when the retry is refused too', async () => {
    const { fetchImpl } = fakeServer((call) =>
      call.url.endsWith('/auth/refresh') ? json(200, auth(2)) : problem(401, 'no'));
    const session = new SessionStore(fetchImpl);
    session.signIn(auth(1));
    await expect(new ApiClient(session, fetchImpl).lists()).rejects.toMatchObject({ status: 401 });
    expect(session.get()).toBeNull();
  });

  it('signs out when the refresh token is refused, without trying to revoke it', async () => {
    const { calls, fetchImpl } = fakeServer(() => problem(401, 'no'));
    const session = new SessionStore(fetchImpl);
    session.signIn(auth(1));
    await expect(new ApiClient(session, fetchImpl).lists()).rejects.toBeInstanceOf(ApiError);
    expect(session.get()).toBeNull();
    expect(localStorage.length).toBe(0);
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/lists', '/api/v1/auth/refresh']);
  });

  it('turns problem+json into an error whose message is the detail', async () => {
    const { fetchImpl } = fakeServer(() => problem(409, 'That email is already registered.'));
    const session = new SessionStore(fetchImpl);
    const error = await new ApiClient(session, fetchImpl).register({ email: 'a@b.c', password: 'x', displayName: 'A' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(errorMessage(error)).toBe('That email is already registered.');
    expect((error as ApiError).status).toBe(409);
  });

  it('describes a network failure in words', () => {
    expect(errorMessage(new TypeError('Failed to fetch'))).toMatch(/Cannot reach the server/);
  });
});

describe('SessionStore', () => {
  it('survives a reload through localStorage', () => {
    const { fetchImpl } = fakeServer(() => json(200, {}));
    new SessionStore(fetchImpl).signIn(auth(1));
    expect(new SessionStore(fetchImpl).get()).toMatchObject({ user, accessToken: 'access-1', refreshToken: 'refresh-1' });
  });

  it('shares one refresh between concurrent callers (refresh tokens are single-use)', async () => {
    const { calls, fetchImpl } = fakeServer(() => json(200, auth(2)));
    const session = new SessionStore(fetchImpl);
    session.signIn(auth(1));
    const tokens = await Promise.all([session.refresh(), session.refresh(), session.refresh()]);
    expect(tokens).toEqual(['access-2', 'access-2', 'access-2']);
    expect(calls).toHaveLength(1);
  });

  it('adopts tokens another tab rotated instead of spending the old refresh token', async () => {
    let rotation = 1;
    const { calls, fetchImpl } = fakeServer(() => json(200, auth(++rotation)));
    const tabA = new SessionStore(fetchImpl);
    tabA.signIn(auth(1));
    const tabB = new SessionStore(fetchImpl);
    await expect(tabB.refresh()).resolves.toBe('access-2');
    // Tab A has not heard of it yet (no storage event) and its refresh token is spent: it must not use it.
    await expect(tabA.refresh()).resolves.toBe('access-2');
    expect(calls.map((c) => c.body)).toEqual([{ refreshToken: 'refresh-1' }]);
  });

  it('follows sign-in and sign-out in another tab', () => {
    const { fetchImpl } = fakeServer(() => json(200, {}));
    const tabA = new SessionStore(fetchImpl);
    const tabB = new SessionStore(fetchImpl);
    const changes = vi.fn();
    tabA.subscribe(changes);
    tabB.signIn(auth(1));
    window.dispatchEvent(new StorageEvent('storage', { key: 'listsync.session' }));
    expect(tabA.get()?.accessToken).toBe('access-1');
    tabB.signOut();
    window.dispatchEvent(new StorageEvent('storage', { key: 'listsync.session' }));
    expect(tabA.get()).toBeNull();
    expect(changes).toHaveBeenCalledTimes(2);
  });

  it('signs out at once and asks the server to revoke the refresh token, even when that request fails', async () => {
    const { calls, fetchImpl } = fakeServer(() => { throw new TypeError('Failed to fetch'); });
    const session = new SessionStore(fetchImpl);
    session.signIn(auth(1));
    session.signOut();
    expect(session.get()).toBeNull();
    expect(localStorage.length).toBe(0);
    expect(calls).toEqual([{ url: '/api/v1/auth/logout', method: 'POST', auth: null, body: { refreshToken: 'refresh-1' } }]);
    await Promise.resolve(); // the failed revoke is swallowed, not thrown
  });

  it('keeps the session when the refresh fails for lack of network', async () => {
    const fetchImpl = vi.fn(async () => { throw new TypeError('Failed to fetch'); });
    const session = new SessionStore(fetchImpl);
    session.signIn(auth(1));
    await expect(session.refresh()).rejects.toBeInstanceOf(TypeError);
    expect(session.get()?.refreshToken).toBe('refresh-1');
  });

  it('refreshes silently a minute before the access token expires', async () => {
    vi.useFakeTimers();
    try {
      const { calls, fetchImpl } = fakeServer(() => json(200, auth(2)));
      const session = new SessionStore(fetchImpl);
      session.signIn(auth(1, 300));
      await vi.advanceTimersByTimeAsync(239_000);
      expect(calls).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(calls.map((c) => c.url)).toEqual(['/api/v1/auth/refresh']);
      expect(session.get()?.accessToken).toBe('access-2');
    } finally {
      vi.useRealTimers();
    }
  });

  it('hands out a refreshed token when the current one is about to expire', async () => {
    const { calls, fetchImpl } = fakeServer(() => json(200, auth(2)));
    let now = 0;
    const session = new SessionStore(fetchImpl, localStorage, () => now);
    session.signIn(auth(1, 900));
    now = 860_000; // 40 s left: still fine
    await expect(session.accessToken()).resolves.toBe('access-1');
    now = 880_000; // 20 s left: refresh first
    await expect(session.accessToken()).resolves.toBe('access-2');
    expect(calls).toHaveLength(1);
  });

  it('sizes the refresh margin to short-lived tokens instead of refreshing them constantly', async () => {
    vi.useFakeTimers();
    try {
      const { calls, fetchImpl } = fakeServer(() => json(200, auth(2, 20)));
      const session = new SessionStore(fetchImpl);
      session.signIn(auth(1, 20)); // refreshed a quarter of its lifetime (5 s) before expiry
      await vi.advanceTimersByTimeAsync(14_900);
      expect(calls).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(100);
      expect(calls).toHaveLength(1);
      expect(session.get()?.accessToken).toBe('access-2');
    } finally {
      vi.useRealTimers();
    }
  });
});
