import { QueryClient } from '@tanstack/react-query';
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../api/client';
import { listKeys } from '../api/queryKeys';
import type { ShoppingList } from '../api/types';
import type { Services } from '../app/services';
import type { SessionStore } from '../auth/session';
import { LiveLists } from '../realtime/LiveLists';
import type { SyncStatus } from '../realtime/ListSyncConnection';
import { socketRecorder } from '../test/FakeWebSocket';
import { list } from '../test/fixtures';
import { renderHook } from '../test/renderHook';
import { testOutbox } from '../test/outbox';
import { useCreateList } from '../lists/queries';
import { useOverviewSync } from './useOverviewSync';

let client: QueryClient;
let sockets: ReturnType<typeof socketRecorder>;
let session: { accessToken: ReturnType<typeof vi.fn>; refresh: ReturnType<typeof vi.fn> };
let services: Services;
let hook: ReturnType<typeof renderHook<boolean, SyncStatus>> | undefined;

const overview = listKeys.overview();
const groceries = list({ id: 1, name: 'Groceries', version: 4, itemCount: 3, checkedCount: 1, createdAt: '2026-11-20T10:00:00.000Z' });
const hardware = list({ id: 2, name: 'Hardware', version: 2, itemCount: 0, checkedCount: 0, createdAt: '2026-11-22T10:00:00.000Z' });

beforeEach(() => {
  vi.useFakeTimers();
  client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  sockets = socketRecorder();
  let token = 'token-1';
  session = { accessToken: vi.fn(async () => token), refresh: vi.fn(async () => (token = 'token-2')) };
  services = {
    session: session as unknown as SessionStore,
    api: {} as ApiClient,
    liveLists: new LiveLists(),
    realtime: { deadAfterMs: 75_000, stableAfterMs: 10_000, probeTimeoutMs: 5_000, random: () => 0.5,
      createSocket: sockets.createSocket },
    outbox: testOutbox(client, {} as ApiClient),
  };
});

afterEach(() => {
  hook?.unmount();
  hook = undefined;
  vi.useRealTimers();
});

const advance = (ms: number) => act(async () => {
  await vi.advanceTimersByTimeAsync(ms);
});

async function mount() {
  hook = renderHook<boolean, SyncStatus>(useOverviewSync, true, services, client);
  await advance(0);
  return hook;
}

const server = (message: object) => act(() => sockets.last.receive(message));
const names = () => client.getQueryData<ShoppingList[]>(overview)?.map((l) => l.name);
const cached = (id: number) => client.getQueryData<ShoppingList[]>(overview)?.find((l) => l.id === id);

async function goLive() {
  act(() => sockets.last.open());
  server({ type: 'hello', userId: 'u1' });
}

describe('useOverviewSync: connecting', () => {
  it('opens the user socket with the access token', async () => {
    await mount();
    const url = new URL(sockets.last.url);
    expect(url.pathname).toBe('/api/v1/ws/me');
    expect(url.searchParams.get('token')).toBe('token-1');
    expect(hook!.current).toBe('connecting');
  });

  it('is live after hello, and refetches the overview once (nothing is replayed)', async () => {
    client.setQueryData(overview, [groceries]);
    await mount();
    await goLive();
    expect(hook!.current).toBe('live');
    expect(client.getQueryState(overview)?.isInvalidated).toBe(true);
  });

  it('answers ping with pong', async () => {
    await mount();
    await goLive();
    server({ type: 'ping' });
    expect(sockets.last.sent).toContainEqual({ type: 'pong' });
  });

  it('reconnects with backoff after a drop and refetches again on the new hello', async () => {
    await mount();
    await goLive();
    client.setQueryData(overview, [groceries]); // the refetch answered
    await act(async () => {
      sockets.last.serverClose(1001);
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(hook!.current).toBe('reconnecting');
    await advance(999);
    expect(sockets.sockets).toHaveLength(1);
    await advance(1);
    expect(sockets.sockets).toHaveLength(2);
    await goLive();
    expect(client.getQueryState(overview)?.isInvalidated).toBe(true);
  });

  it('refreshes the token after 4401 and reconnects with the new one', async () => {
    await mount();
    await goLive();
    await act(async () => {
      sockets.last.serverClose(4401);
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(session.refresh).toHaveBeenCalledTimes(1);
    expect(sockets.last.params.get('token')).toBe('token-2');
  });

  it('stops for a refused origin (1008) and closes its socket when unmounted', async () => {
    await mount();
    await act(async () => {
      sockets.last.serverClose(1008);
      await vi.advanceTimersByTimeAsync(60_000);
    });
    expect(hook!.current).toBe('stopped');
    expect(sockets.sockets).toHaveLength(1);
  });

  it('closes the socket on unmount', async () => {
    await mount();
    await goLive();
    const socket = sockets.last;
    hook!.unmount();
    hook = undefined;
    expect(socket.closedByClient?.code).toBe(1000);
  });
});

describe('useOverviewSync: frames', () => {
  beforeEach(async () => {
    await mount();
    await goLive();
    client.setQueryData(overview, [groceries, hardware]);
  });

  it('list_added puts a list shared with the user where a reload would (by creation)', async () => {
    server({ type: 'list_added', data: list({ id: 3, name: 'Camping', createdAt: '2026-11-21T10:00:00.000Z' }) });
    expect(names()).toEqual(['Groceries', 'Camping', 'Hardware']);
    server({ type: 'list_added', data: list({ id: 4, name: 'Newest', createdAt: '2026-11-30T10:00:00.000Z' }) });
    expect(names()).toEqual(['Groceries', 'Camping', 'Hardware', 'Newest']);
  });

  it('list_changed brings the new name, version and counts', async () => {
    server({ type: 'list_changed', data: { ...groceries, name: 'Food', version: 6, itemCount: 4, checkedCount: 3 } });
    expect(cached(1)).toMatchObject({ name: 'Food', version: 6, itemCount: 4, checkedCount: 3 });
  });

  it('list_changed at the same version takes a new role (a role change moves no version)', async () => {
    server({ type: 'list_changed', data: { ...groceries, role: 'viewer' } });
    expect(cached(1)?.role).toBe('viewer');
  });

  it('never takes a list back to an older version', async () => {
    server({ type: 'list_changed', data: { ...groceries, name: 'Old name', version: 3 } });
    expect(cached(1)?.name).toBe('Groceries');
  });

  it('list_changed before its list_added still shows the list (clients upsert)', async () => {
    server({ type: 'list_changed', data: list({ id: 5, name: 'Early', createdAt: '2026-12-01T10:00:00.000Z' }) });
    server({ type: 'list_added', data: list({ id: 5, name: 'Early', createdAt: '2026-12-01T10:00:00.000Z' }) });
    expect(names()).toEqual(['Groceries', 'Hardware', 'Early']);
  });

  it('list_removed takes the list off the overview and drops its cached queries', async () => {
    client.setQueryData(listKeys.detail(1), groceries);
    server({ type: 'list_removed', data: { id: '1' } }); // ids compare as strings
    expect(names()).toEqual(['Hardware']);
    expect(client.getQueryData(listKeys.detail(1))).toBeUndefined();
  });

  it('ignores frames it does not know and malformed ones', async () => {
    server({ type: 'list_renamed', data: { id: 1, name: 'x' } });
    server({ type: 'list_changed' });
    act(() => sockets.last.onmessage?.(new MessageEvent('message', { data: 'not json' })));
    expect(names()).toEqual(['Groceries', 'Hardware']);
  });
});

describe('useOverviewSync: a GET that races with frames', () => {
  it('re-applies what the socket said while GET /lists was in flight, when the GET lands older', async () => {
    client.setQueryData(overview, [groceries, hardware]);
    await mount();
    await goLive();
    let answer!: (lists: ShoppingList[]) => void;
    const fetching = client.fetchQuery({
      queryKey: overview, staleTime: 0,
      queryFn: () => new Promise<ShoppingList[]>((resolve) => { answer = resolve; }),
    });
    await advance(0);
    server({ type: 'list_changed', data: { ...groceries, name: 'Food', version: 5, checkedCount: 2 } });
    server({ type: 'list_removed', data: { id: 2 } });
    server({ type: 'list_added', data: list({ id: 3, name: 'Camping', createdAt: '2026-11-25T10:00:00.000Z' }) });
    // The GET read the database before those changes:
    await act(async () => {
      answer([groceries, hardware]);
      await fetching;
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(names()).toEqual(['Food', 'Camping']);
    expect(cached(1)?.checkedCount).toBe(2);
  });

  it('keeps a GET that is newer than the frames', async () => {
    client.setQueryData(overview, [groceries]);
    await mount();
    await goLive();
    let answer!: (lists: ShoppingList[]) => void;
    const fetching = client.fetchQuery({
      queryKey: overview, staleTime: 0,
      queryFn: () => new Promise<ShoppingList[]>((resolve) => { answer = resolve; }),
    });
    await advance(0);
    server({ type: 'list_changed', data: { ...groceries, name: 'Food', version: 5 } });
    await act(async () => {
      answer([{ ...groceries, name: 'Food again', version: 6 }]);
      await fetching;
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(names()).toEqual(['Food again']);
  });

  it('does not bring back a list the user deleted here once the frames of an earlier fetch are applied', async () => {
    client.setQueryData(overview, [groceries, hardware]);
    await mount();
    await goLive();
    server({ type: 'list_changed', data: { ...hardware, version: 3 } }); // no fetch in flight: nothing kept
    // The user deletes Hardware here; the mutation drops it and refetches:
    client.setQueryData<ShoppingList[]>(overview, (lists) => lists?.filter((l) => l.id !== 2));
    await act(async () => {
      await client.fetchQuery({ queryKey: overview, staleTime: 0, queryFn: async () => [groceries] });
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(names()).toEqual(['Groceries']);
  });
});

describe('useOverviewSync with a list created on this page', () => {
  it('shows the new list once when its list_added frame comes before the REST answer', async () => {
    const camping = list({ id: 3, name: 'Camping', createdAt: '2026-11-25T10:00:00.000Z' });
    let answer!: (created: ShoppingList) => void;
    services.api = { createList: () => new Promise<ShoppingList>((resolve) => { answer = resolve; }),
      lists: async () => [groceries, camping] } as unknown as ApiClient;
    client.setQueryData(overview, [groceries]);
    const both = renderHook(() => ({ sync: useOverviewSync(), create: useCreateList() }), undefined, services, client);
    try {
      await advance(0);
      await goLive();
      let created!: Promise<unknown>;
      act(() => { created = both.current.create.mutateAsync('Camping'); });
      await advance(0); // the POST is in flight
      server({ type: 'list_added', data: camping });
      expect(names()).toEqual(['Groceries', 'Camping']);
      await act(async () => {
        answer(camping);
        await created;
      });
      expect(names()).toEqual(['Groceries', 'Camping']);
    } finally {
      both.unmount();
    }
  });
});
