import { QueryClient } from '@tanstack/react-query';
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../api/client';
import { listKeys } from '../api/queryKeys';
import type { CategoriesPage, ItemsPage, ShoppingList } from '../api/types';
import type { Services } from '../app/services';
import type { SessionStore } from '../auth/session';
import { socketRecorder } from '../test/FakeWebSocket';
import { category, item, list, LIST_ID } from '../test/fixtures';
import { renderHook } from '../test/renderHook';
import { LiveLists } from './LiveLists';
import { useListSync, type ListSyncResult, type UseListSyncArgs } from './useListSync';
import { testOutbox } from '../test/outbox';

const DEAD_AFTER = 75_000;
const STABLE_AFTER = 10_000;
const PROBE = 5_000;

let client: QueryClient;
let sockets: ReturnType<typeof socketRecorder>;
let session: { accessToken: ReturnType<typeof vi.fn>; refresh: ReturnType<typeof vi.fn> };
let services: Services;
let hook: ReturnType<typeof renderHook<UseListSyncArgs, ListSyncResult>> | undefined;

const itemsKey = listKeys.items(LIST_ID, true);
const uncheckedKey = listKeys.items(LIST_ID, false);
const categoriesKey = listKeys.categories(LIST_ID);
const detailKey = listKeys.detail(LIST_ID);
const allKeys = [itemsKey, uncheckedKey, categoriesKey, detailKey];

beforeEach(() => {
  vi.useFakeTimers();
  client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  sockets = socketRecorder();
  session = { accessToken: vi.fn(async () => 'token-1'), refresh: vi.fn(async () => 'token-2') };
  services = {
    session: session as unknown as SessionStore,
    api: {} as ApiClient,
    liveLists: new LiveLists(),
    outbox: testOutbox(client, {} as ApiClient),
    realtime: {
      deadAfterMs: DEAD_AFTER, stableAfterMs: STABLE_AFTER, probeTimeoutMs: PROBE,
      random: () => 0.5, // no jitter: the schedule is exact
      createSocket: sockets.createSocket,
    },
  };
});

afterEach(() => {
  hook?.unmount();
  hook = undefined;
  vi.useRealTimers();
});

/** Lets timers run for `ms` and settles promises and React updates along the way. */
const advance = (ms: number) => act(async () => {
  await vi.advanceTimersByTimeAsync(ms);
});

async function mount(args: Partial<UseListSyncArgs> = {}) {
  hook = renderHook(useListSync, { listId: LIST_ID, includeChecked: true, enabled: true, ...args }, services, client);
  await advance(0);
  return hook;
}

const state = () => hook!.current;
const server = (message: object) => act(() => sockets.last.receive(message));
const serverClose = (code: number) => act(async () => {
  sockets.last.serverClose(code);
  await vi.advanceTimersByTimeAsync(0);
});

/** Opens the current socket and says hello at `version`. */
async function goLive(version: number) {
  act(() => sockets.last.open());
  server({ type: 'hello', listId: LIST_ID, version });
}

function seed(version: number) {
  client.setQueryData<ItemsPage>(itemsKey, { version, items: [item(1), item(2, { checked: true })] });
  client.setQueryData<ItemsPage>(uncheckedKey, { version, items: [item(1)] });
  client.setQueryData<CategoriesPage>(categoriesKey, { version, categories: [category(5)] });
  client.setQueryData<ShoppingList>(detailKey, list({ version }));
}

const invalidated = (key: readonly unknown[]) => client.getQueryState(key)?.isInvalidated ?? false;
const items = (key: readonly unknown[]) => client.getQueryData<ItemsPage>(key);

describe('useListSync: connecting', () => {
  it('opens the list socket with the access token and no since when nothing is cached', async () => {
    await mount();
    const url = new URL(sockets.last.url);
    expect(url.protocol).toBe('ws:');
    expect(url.host).toBe(window.location.host);
    expect(url.pathname).toBe(`/api/v1/ws/lists/${LIST_ID}`);
    expect(url.searchParams.get('token')).toBe('token-1');
    expect(url.searchParams.has('since')).toBe(false);
    expect(state()).toMatchObject({ isConnected: false, status: 'connecting', connectionError: null });
  });

  it('is connected after hello, and tells mutations the list is live', async () => {
    await mount();
    await goLive(3);
    expect(state()).toMatchObject({ isConnected: true, status: 'live', connectionError: null });
    expect(services.liveLists.isLive(LIST_ID)).toBe(true);
  });

  it('is live only once the replay after since is in, so the screen is current when it says Live', async () => {
    seed(10);
    await mount();
    server({ type: 'hello', listId: LIST_ID, version: 12 });
    expect(state().status).not.toBe('live');
    server({ type: 'item_created', listId: LIST_ID, version: 11, data: item(3) });
    expect(state().status).not.toBe('live');
    server({ type: 'item_created', listId: LIST_ID, version: 12, data: item(4) });
    expect(state().status).toBe('live');
  });

  it('goes live anyway when the replay stops short', async () => {
    seed(10);
    await mount();
    server({ type: 'hello', listId: LIST_ID, version: 12 });
    await advance(3_000);
    expect(state().status).toBe('live');
  });

  it('resumes from the version of the data on screen', async () => {
    seed(10);
    await mount();
    expect(sockets.last.params.get('since')).toBe('10');
  });

  it('does nothing while disabled', async () => {
    await mount({ enabled: false });
    expect(sockets.sockets).toHaveLength(0);
    expect(state().isConnected).toBe(false);
  });

  it('refetches data that is older than hello when it connected without since', async () => {
    await mount();
    seed(9); // the GETs landed after the socket was opened, older than the server is now
    await goLive(10);
    for (const key of allKeys) expect(invalidated(key)).toBe(true);
  });

  it('does not refetch data that is as new as hello', async () => {
    await mount();
    seed(10);
    await goLive(10);
    for (const key of allKeys) expect(invalidated(key)).toBe(false);
  });

  it('does not reconnect when "show checked" is toggled', async () => {
    await mount();
    await goLive(1);
    hook!.rerender({ listId: LIST_ID, includeChecked: false, enabled: true });
    await advance(0);
    expect(sockets.sockets).toHaveLength(1);
  });
});

describe('useListSync: events', () => {
  beforeEach(async () => {
    seed(10);
    await mount();
    await goLive(10);
  });

  it('applies the next version to both item variants, categories and the detail', async () => {
    server({ type: 'item_checked', listId: LIST_ID, version: 11, data: item(1, { checked: true }), actorId: 2, ts: 'now' });
    expect(items(itemsKey)).toEqual({ version: 11, items: [item(1, { checked: true }), item(2, { checked: true })] });
    expect(items(uncheckedKey)).toEqual({ version: 11, items: [] });
    expect(client.getQueryData<CategoriesPage>(categoriesKey)?.version).toBe(11);
    expect(client.getQueryData<ShoppingList>(detailKey)?.version).toBe(11);
  });

  it('ignores a repeated version', async () => {
    server({ type: 'item_updated', listId: LIST_ID, version: 11, data: item(1, { name: 'first' }) });
    server({ type: 'item_updated', listId: LIST_ID, version: 11, data: item(1, { name: 'repeat' }) });
    expect(items(itemsKey)?.items[0]?.name).toBe('first');
    expect(invalidated(itemsKey)).toBe(false);
  });

  it('refetches the list when a version is missing', async () => {
    server({ type: 'item_deleted', listId: LIST_ID, version: 12, data: { id: 1 } });
    for (const key of allKeys) expect(invalidated(key)).toBe(true);
    expect(items(itemsKey)?.items).toHaveLength(2); // not patched on a guess
  });

  it('refetches a GET that lands with data older than the stream has delivered', async () => {
    server({ type: 'item_deleted', listId: LIST_ID, version: 11, data: { id: 2 } });
    expect(invalidated(itemsKey)).toBe(false);
    // A refetch that read the database before version 11 answers now:
    await act(async () => {
      client.setQueryData<ItemsPage>(itemsKey, { version: 10, items: [item(1), item(2)] });
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(invalidated(itemsKey)).toBe(true);
  });

  it('on resync, refetches everything and continues from its version', async () => {
    server({ type: 'resync', version: 20 });
    for (const key of allKeys) expect(invalidated(key)).toBe(true);
    seed(20); // the refetch answered
    server({ type: 'item_created', listId: LIST_ID, version: 21, data: item(3) });
    expect(items(itemsKey)?.version).toBe(21);
    expect(items(itemsKey)?.items.map((i) => i.id)).toEqual([1, 2, 3]);
    await serverClose(1006);
    await advance(1_000);
    expect(sockets.last.params.get('since')).toBe('21');
  });

  it('drops replayed events older than a resync, so the stream does not fall back', async () => {
    server({ type: 'resync', version: 20 });
    server({ type: 'item_created', listId: LIST_ID, version: 15, data: item(3) }); // a repeat after the resync
    await serverClose(1006);
    await advance(1_000);
    expect(sockets.last.params.get('since')).toBe('20');
  });

  it('answers ping with pong', async () => {
    server({ type: 'ping' });
    expect(sockets.last.sent).toEqual([{ type: 'pong' }]);
  });

  it('ignores frames it does not understand', async () => {
    act(() => sockets.last.onmessage?.(new MessageEvent('message', { data: 'not json' })));
    expect(state().status).toBe('live');
  });
});

describe('useListSync: reconnecting', () => {
  it('backs off 1, 2, 5, 10, 30, 30 s between failed attempts and shows the next retry time', async () => {
    await mount();
    const gaps: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      const before = sockets.sockets.length;
      await serverClose(1006);
      expect(state().status).toBe('reconnecting');
      const retryIn = state().nextRetryAt! - Date.now();
      let waited = 0;
      while (sockets.sockets.length === before) {
        await advance(500);
        waited += 500;
      }
      expect(waited).toBe(retryIn);
      gaps.push(waited);
    }
    expect(gaps).toEqual([1_000, 2_000, 5_000, 10_000, 30_000, 30_000]);
  });

  it('starts the schedule over after a connection that stayed up', async () => {
    await mount();
    await serverClose(1006);
    await advance(1_000);
    await serverClose(1006);
    await advance(2_000);
    await goLive(1);
    await advance(STABLE_AFTER);
    await serverClose(1006);
    expect(state().nextRetryAt! - Date.now()).toBe(1_000);
  });

  it('resumes with since = the last version it received', async () => {
    seed(10);
    await mount();
    await goLive(10);
    server({ type: 'item_created', listId: LIST_ID, version: 11, data: item(3) });
    await serverClose(1006);
    expect(state().isConnected).toBe(false);
    expect(services.liveLists.isLive(LIST_ID)).toBe(false);
    await advance(1_000);
    expect(sockets.sockets).toHaveLength(2);
    expect(sockets.last.params.get('since')).toBe('11');
  });

  it('reconnects after 1001 (the server went away)', async () => {
    await mount();
    await goLive(1);
    await serverClose(1001);
    expect(state().status).toBe('reconnecting');
    await advance(1_000);
    expect(sockets.sockets).toHaveLength(2);
  });

  it('treats a silent server (two missed pings) as dead and reconnects', async () => {
    await mount();
    await goLive(1);
    await advance(60_000);
    server({ type: 'ping' }); // any message proves the socket alive
    await advance(DEAD_AFTER - 1);
    expect(sockets.last.closedByClient).toBeNull();
    await advance(1);
    expect(sockets.last.closedByClient).not.toBeNull();
    expect(state().status).toBe('reconnecting');
    await advance(1_000);
    expect(sockets.sockets).toHaveLength(2);
  });

  it('reconnects at once when the browser comes back online', async () => {
    await mount();
    await serverClose(1006);
    await serverClose(1006); // ignored: that socket is already gone
    expect(sockets.sockets).toHaveLength(1);
    await act(async () => {
      window.dispatchEvent(new Event('online'));
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(sockets.sockets).toHaveLength(2);
  });

  it('opens one socket when a retry and an online event overlap', async () => {
    session.accessToken.mockImplementation(() => new Promise((resolve) => setTimeout(() => resolve('token-1'), 100)));
    await mount();
    await advance(100);
    await serverClose(1006);
    await advance(1_050); // the retry is waiting for its token…
    await act(async () => {
      window.dispatchEvent(new Event('online')); // …when the network comes back
      await vi.advanceTimersByTimeAsync(200);
    });
    expect(sockets.sockets).toHaveLength(2);
  });

  it('retries at once when asked to, instead of waiting out the backoff', async () => {
    await mount();
    await serverClose(1006);
    await serverClose(1006);
    await advance(1_000);
    await serverClose(1006); // now waiting 2 s… then 5 s
    expect(sockets.sockets).toHaveLength(2);
    await act(async () => {
      hook!.current.retryNow();
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(sockets.sockets).toHaveLength(3);
  });

  it('says offline at once when the browser goes offline', async () => {
    await mount();
    await goLive(1);
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    await act(async () => {
      window.dispatchEvent(new Event('offline'));
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(state()).toMatchObject({ status: 'offline', isConnected: false });
    expect(sockets.last.closedByClient).not.toBeNull();
  });

  it('reconnects at once when the tab becomes visible and the socket is gone', async () => {
    await mount();
    await serverClose(1006);
    await act(async () => {
      document.dispatchEvent(new Event('visibilitychange'));
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(sockets.sockets).toHaveLength(2);
  });

  it('probes an open socket when the tab becomes visible, and replaces it if it does not answer', async () => {
    await mount();
    await goLive(1);
    act(() => document.dispatchEvent(new Event('visibilitychange')));
    expect(sockets.last.sent).toEqual([{ type: 'ping' }]);
    server({ type: 'pong' });
    await advance(PROBE);
    expect(sockets.last.closedByClient).toBeNull(); // it answered

    act(() => document.dispatchEvent(new Event('visibilitychange')));
    await advance(PROBE);
    expect(sockets.sockets[0]!.closedByClient).not.toBeNull(); // this time it did not
    await advance(1_000);
    expect(sockets.sockets).toHaveLength(2);
  });

  it('stops for good when unmounted', async () => {
    await mount();
    await goLive(1);
    const socket = sockets.last;
    hook!.unmount();
    hook = undefined;
    expect(socket.closedByClient?.code).toBe(1000);
    await advance(120_000);
    expect(sockets.sockets).toHaveLength(1);
  });
});

describe('useListSync: close codes', () => {
  it('4401: refreshes the token and reconnects at once with the new one', async () => {
    await mount();
    await goLive(1);
    session.refresh.mockImplementation(async () => {
      session.accessToken.mockResolvedValue('token-2');
      return 'token-2';
    });
    await serverClose(4401);
    expect(session.refresh).toHaveBeenCalledTimes(1);
    expect(sockets.sockets).toHaveLength(2);
    expect(sockets.last.params.get('token')).toBe('token-2');
  });

  it('4401 after a silent refresh: reconnects with the newer token without rotating again', async () => {
    await mount();
    await goLive(1);
    session.accessToken.mockResolvedValue('token-3'); // the session refreshed while the socket kept the old token
    await serverClose(4401);
    expect(session.refresh).not.toHaveBeenCalled();
    expect(sockets.last.params.get('token')).toBe('token-3');
  });

  it('4401 right after a refresh: waits on the schedule instead of hammering', async () => {
    await mount();
    await serverClose(4401);
    expect(sockets.sockets).toHaveLength(2);
    await serverClose(4401);
    expect(sockets.sockets).toHaveLength(2);
    expect(state().status).toBe('reconnecting');
    await advance(1_000);
    expect(sockets.sockets).toHaveLength(3);
  });

  it('4401 after each short-lived connection that went live: reconnects at once every time', async () => {
    await mount();
    for (let n = 1; n <= 3; n++) {
      await goLive(n);
      await serverClose(4401);
      expect(sockets.sockets).toHaveLength(n + 1);
    }
  });

  it('4401 when the refresh is refused: stops and says the session ended', async () => {
    session.refresh.mockResolvedValue(null);
    await mount();
    await serverClose(4401);
    expect(state()).toMatchObject({ status: 'stopped', isConnected: false, connectionError: 'You are signed out.' });
  });

  it.each([
    [4403, 'Your access to this list has ended.'],
    [4404, 'This list was deleted, or you are not a member of it.'],
  ])('%i: stops retrying and tells the user', async (code, message) => {
    await mount();
    await goLive(1);
    client.setQueryData(listKeys.overview(), [list()]);
    await serverClose(code);
    expect(state()).toMatchObject({ status: 'stopped', isConnected: false, connectionError: message, closeCode: code });
    expect(invalidated(listKeys.overview())).toBe(true);
    await advance(120_000);
    expect(sockets.sockets).toHaveLength(1);
  });
});
