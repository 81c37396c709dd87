import { QueryClient } from '@tanstack/react-query';
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../api/client';
import { listKeys } from '../api/queryKeys';
import type { Item, ItemsPage } from '../api/types';
import type { Services } from '../app/services';
import type { SessionStore } from '../auth/session';
import { applyPending } from '../offline/overlay';
import type { Outbox } from '../offline/Outbox';
import { applyEvent } from '../realtime/cache';
import { defaultRealtimeOptions } from '../realtime/ListSyncConnection';
import { LiveLists } from '../realtime/LiveLists';
import { item, LIST_ID } from '../test/fixtures';
import { testOutbox } from '../test/outbox';
import { renderHook } from '../test/renderHook';
import { useCreateItem, useSetChecked } from './queries';

let client: QueryClient;
let liveLists: LiveLists;
let outbox: Outbox;
let api: { setChecked: ReturnType<typeof vi.fn>; createItem: ReturnType<typeof vi.fn>; withIdempotencyKey: () => unknown };
let unmount: (() => void) | undefined;

const itemsKey = listKeys.items(LIST_ID, true);

beforeEach(async () => {
  client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  liveLists = new LiveLists();
  api = { setChecked: vi.fn(), createItem: vi.fn(), withIdempotencyKey: () => api };
  outbox = testOutbox(client, api as unknown as ApiClient, { liveLists });
  await outbox.start();
  client.setQueryData<ItemsPage>(itemsKey, { version: 10, items: [item(1)] });
});

afterEach(() => {
  unmount?.();
  outbox.stop();
});

function render<R>(useHook: () => R) {
  const services: Services = {
    session: {} as SessionStore, api: api as unknown as ApiClient, liveLists, realtime: defaultRealtimeOptions, outbox,
  };
  const hook = renderHook(useHook, undefined, services, client);
  unmount = hook.unmount;
  return hook;
}

/** What the screen shows: the cache with the waiting writes on top. */
const shown = () => applyPending(client.getQueryData<ItemsPage>(itemsKey)?.items ?? [], [], outbox.pending(String(LIST_ID))).items;

/** Every state the shown item goes through, to prove nothing flips back and forth on screen. */
function recordChecked(): boolean[] {
  const seen: boolean[] = [shown()[0]?.checked ?? false];
  const note = () => {
    const checked = shown()[0]?.checked;
    if (checked !== undefined && seen[seen.length - 1] !== checked) seen.push(checked);
  };
  client.getQueryCache().subscribe(note);
  outbox.subscribe(note);
  return seen;
}

describe('item writes with a live list', () => {
  beforeEach(() => liveLists.set(LIST_ID, true));

  it('show at once as waiting, and neither the answer nor the echo of the same change flickers', async () => {
    let answer: (value: Item) => void = () => {};
    api.setChecked.mockImplementation(() => new Promise<Item>((resolve) => { answer = resolve; }));
    const seen = recordChecked();
    const hook = render(() => useSetChecked(LIST_ID));

    let done: Promise<unknown> = Promise.resolve();
    await act(async () => { done = hook.current.mutateAsync({ itemId: 1, checked: true }); });
    await vi.waitFor(() => expect(api.setChecked).toHaveBeenCalledWith(String(LIST_ID), 1, true));
    expect(shown()[0]).toMatchObject({ checked: true, pending: true });
    expect(client.getQueryData<ItemsPage>(itemsKey)?.items[0]?.checked).toBe(false); // the cache is the server's

    const server = item(1, { checked: true, checkedAt: '2026-11-25T10:01:00.000Z', updatedAt: '2026-11-25T10:01:00.000Z' });
    act(() => applyEvent(client, LIST_ID, { type: 'item_checked', listId: LIST_ID, version: 11, data: server }));
    await act(async () => { answer(server); await done; });

    expect(client.getQueryData<ItemsPage>(itemsKey)).toEqual({ version: 11, items: [server] });
    expect(outbox.pending()).toEqual([]);
    expect(seen).toEqual([false, true]);
    expect(client.getQueryState(itemsKey)?.isInvalidated).toBe(false); // the echo did the work: no refetch
  });

  it('adds a created item once, whichever of the answer and the echo comes first', async () => {
    const created = item(2);
    api.createItem.mockResolvedValue(created);
    const hook = render(() => useCreateItem(LIST_ID));
    act(() => applyEvent(client, LIST_ID, { type: 'item_created', listId: LIST_ID, version: 11, data: created }));
    await act(async () => { await hook.current.mutateAsync({ id: '2', name: 'item 2' }); });
    expect(client.getQueryData<ItemsPage>(itemsKey)?.items.map((i) => i.id)).toEqual([1, 2]);
    expect(shown().map((i) => i.id)).toEqual([1, 2]);
  });

  it('gives a created item a client-chosen lower-case UUID', async () => {
    api.createItem.mockImplementation(async (_list: unknown, body: { id: string }) => item(3, { id: body.id as never }));
    const hook = render(() => useCreateItem(LIST_ID));
    await act(async () => { await hook.current.mutateAsync({ name: 'Tea' }); });
    const sent = api.createItem.mock.calls[0]![1] as { id: string };
    expect(sent.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('item writes while the list is not live', () => {
  it('refetch after the queue is through, since no echo will come', async () => {
    api.setChecked.mockResolvedValue(item(1, { checked: true }));
    const hook = render(() => useSetChecked(LIST_ID));
    await act(async () => { await hook.current.mutateAsync({ itemId: 1, checked: true }); });
    await vi.waitFor(() => expect(client.getQueryState(itemsKey)?.isInvalidated).toBe(true));
  });
});
