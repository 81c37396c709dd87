import { QueryClient } from '@tanstack/react-query';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../api/client';
import type { Services } from '../app/services';
import type { SessionStore } from '../auth/session';
import { LiveLists } from '../realtime/LiveLists';
import { useListSync, type ListSyncResult, type UseListSyncArgs } from '../realtime/useListSync';
import { socketRecorder } from '../test/FakeWebSocket';
import { LIST_ID } from '../test/fixtures';
import { renderHook } from '../test/renderHook';
import { testOutbox } from '../test/outbox';
import { PresenceStore } from './PresenceStore';
import { SETTLE_MS, WhoIsViewing } from './WhoIsViewing';

const me = { userId: 'u-me', displayName: 'Me Myself' };
const ann = { userId: 'u-ann', displayName: 'Ann' };
const bo = { userId: 'u-bo', displayName: 'Bo Olsen' };

describe('presence on the list socket', () => {
  let client: QueryClient;
  let sockets: ReturnType<typeof socketRecorder>;
  let services: Services;
  let hook: ReturnType<typeof renderHook<UseListSyncArgs, ListSyncResult>> | undefined;

  beforeEach(async () => {
    vi.useFakeTimers();
    client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    sockets = socketRecorder();
    services = {
      session: { accessToken: async () => 'token-1', refresh: async () => 'token-2' } as unknown as SessionStore,
      api: {} as ApiClient,
      liveLists: new LiveLists(),
      realtime: { deadAfterMs: 75_000, stableAfterMs: 10_000, probeTimeoutMs: 5_000, random: () => 0.5,
        createSocket: sockets.createSocket },
      outbox: testOutbox(client, {} as ApiClient),
    };
    hook = renderHook<UseListSyncArgs, ListSyncResult>(useListSync, { listId: LIST_ID, includeChecked: true, enabled: true }, services, client);
    await act(async () => { await vi.advanceTimersByTimeAsync(0); });
  });

  afterEach(() => {
    hook?.unmount();
    vi.useRealTimers();
  });

  const server = (message: object) => act(() => sockets.last.receive(message));
  const viewers = () => hook!.current.presence.get();

  it('asks for presence, without changing the rest of the URL', () => {
    expect(sockets.last.params.get('presence')).toBe('true');
    expect(sockets.last.params.get('token')).toBe('token-1');
  });

  it('takes the set from hello, then each presence frame (the whole set each time)', () => {
    act(() => sockets.last.open());
    server({ type: 'hello', listId: LIST_ID, version: 0, viewers: [me] });
    expect(viewers()).toEqual([me]);
    server({ type: 'presence', listId: LIST_ID, viewers: [ann, me] });
    expect(viewers()).toEqual([ann, me]);
    server({ type: 'presence', listId: LIST_ID, viewers: [me] });
    expect(viewers()).toEqual([me]);
  });

  it('shows nobody while the socket is not live, and a presence frame is no list event', async () => {
    act(() => sockets.last.open());
    server({ type: 'hello', listId: LIST_ID, version: 0, viewers: [me, ann] });
    server({ type: 'presence', listId: LIST_ID, viewers: [me, ann, bo] });
    expect(hook!.current.status).toBe('live');
    await act(async () => {
      sockets.last.serverClose(1006);
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(viewers()).toBeNull();
    await act(async () => { await vi.advanceTimersByTimeAsync(1_000); });
    act(() => sockets.last.open());
    server({ type: 'hello', listId: LIST_ID, version: 0, viewers: [me] });
    expect(viewers()).toEqual([me]);
  });
});

describe('WhoIsViewing', () => {
  let container: HTMLDivElement;
  let root: Root;
  let store: PresenceStore;

  beforeEach(() => {
    vi.useFakeTimers();
    container = document.createElement('div');
    root = createRoot(container);
    store = new PresenceStore();
    act(() => root.render(<WhoIsViewing presence={store} me="u-me" />));
  });

  afterEach(() => {
    act(() => root.unmount());
    vi.useRealTimers();
  });

  const settle = () => act(() => vi.advanceTimersByTime(SETTLE_MS));
  const set = (viewers: typeof me[] | null) => act(() => store.set(viewers));
  const avatars = () => [...container.querySelectorAll('[data-testid="viewer"]')]
    .map((a) => ({ text: a.textContent, title: a.getAttribute('title') }));
  const sentence = () => container.querySelector('[data-testid="viewers-text"]')?.textContent ?? null;
  const announced = () => container.querySelector('[data-testid="presence-announcer"]')?.textContent;

  it('shows the others, not the user (once per tab or not), with initials and the name as title', () => {
    set([ann, me, bo]);
    expect(avatars()).toEqual([{ text: 'A', title: 'Ann' }, { text: 'BO', title: 'Bo Olsen' }]);
    expect(sentence()).toBe('Ann and Bo Olsen are viewing');
  });

  it('shows nothing when the user is alone, or while not live', () => {
    set([me]);
    expect(avatars()).toEqual([]);
    expect(sentence()).toBeNull();
    set(null);
    expect(avatars()).toEqual([]);
  });

  it('reads out politely who opened and who left, but not the set found on opening the page', () => {
    const region = container.querySelector('[data-testid="presence-announcer"]')!;
    expect(region.getAttribute('aria-live')).toBe('polite');
    expect(region.getAttribute('role')).toBe('status');
    set([me, ann]);
    settle();
    expect(announced()).toBe('');
    set([me, ann, bo]);
    expect(announced()).toBe('Bo Olsen opened this list');
    set([me, bo]);
    expect(announced()).toBe('Ann left this list');
  });

  it('takes what follows hello within a moment as found, not as arriving (other instances answer later)', () => {
    set([me]); // the hello of an instance that had nobody on this list yet
    set([me, ann]); // the others, a few hundred ms later
    settle();
    expect(announced()).toBe('');
    expect(sentence()).toBe('Ann is viewing');
    set([me]);
    expect(announced()).toBe('Ann left this list');
  });

  it('says nothing about what a reconnect finds, and compares later changes with it', () => {
    set([me, ann]);
    settle();
    set(null);
    set([me, bo]);
    settle();
    expect(announced()).toBe('');
    set([me]);
    expect(announced()).toBe('Bo Olsen left this list');
  });

  it('does not announce the user themself joining from another tab', () => {
    set([ann]);
    settle();
    set([ann, me]);
    expect(announced()).toBe('');
  });

  it('shows at most five avatars and a "+n"', () => {
    const many = Array.from({ length: 8 }, (_, i) => ({ userId: `u${i}`, displayName: `User ${i}` }));
    set([me, ...many]);
    expect(avatars()).toHaveLength(5);
    expect(container.querySelector('.avatar-more')?.textContent).toBe('+3');
    expect(sentence()).toBe('User 0, User 1, User 2 and 5 others are viewing');
  });
});
