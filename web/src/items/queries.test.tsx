import { QueryClient } from '@tanstack/react-query';
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../api/client';
import { listKeys } from '../api/queryKeys';
import type { Item, ItemsPage } from '../api/types';
import type { Services } from '../app/services';
import type { SessionStore } from '../auth/session';
import { applyEvent } from '../realtime/cache';
import { defaultRealtimeOptions } from '../realtime/ListSyncConnection';
import { LiveLists } from '../realtime/LiveLists';
import { item, LIST_ID } from '../test/fixtures';
import { renderHook } from '../test/renderHook';
import { useCreateItem, useSetChecked } from './queries';

let client: QueryClient;
let liveLists: LiveLists;
let api: { setChecked: ReturnType<typeof vi.fn>; createItem: ReturnType<typeof vi.fn> };
let unmount: (() => void) | undefined;

const itemsKey = listKeys.items(LIST_ID, true);
const uncheckedKey = listKeys.items(LIST_ID, false);

beforeEach(() => {
  client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  liveLists = new LiveLists();
  api = { setChecked: vi.fn(), createItem: vi.fn() };
  client.setQueryData<ItemsPage>(itemsKey, { version: 10, items: [item(1)] });
  client.setQueryData<ItemsPage>(uncheckedKey, { version: 10, items: [item(1)] });
});

afterEach(() => unmount?.());

function render<R>(useHook: () => R) {
  const services: Services = {
    session: {} as SessionStore, api: api as unknown as ApiClient, liveLists, realtime: defaultRealtimeOptions,
  };
  const hook = renderHook(useHook, undefined, services, client);
  unmount = hook.unmount;
  return hook;
}

/** Every state the cached item goes through, to prove nothing flips back and forth on screen. */
function recordChecked(): boolean[] {
  const seen: boolean[] = [client.getQueryData<ItemsPage>(itemsKey)?.items[0]?.checked ?? false];
  client.getQueryCache().subscribe(() => {
    const checked = client.getQueryData<ItemsPage>(itemsKey)?.items[0]?.checked;
    if (checked !== undefined && seen[seen.length - 1] !== checked) seen.push(checked);
  });
  return seen;
}

describe('item mutations with a live list', () => {
  beforeEach(() => liveLists.set(LIST_ID, true));

  it('checks at once, and the echo of the same change does not flicker', async () => {
    let answer: (value: Item) => void = () => {};
    api.setChecked.mockImplementation(() => new Promise<Item>((resolve) => { answer = resolve; }));
    const seen = recordChecked();
    const hook = render(() => useSetChecked(LIST_ID));

    await act(async () => { hook.current.mutate({ itemId: 1, checked: true }); });
    expect(client.getQueryData<ItemsPage>(itemsKey)).toEqual({ version: 10, items: [{ ...item(1), checked: true, checkedAt: expect.any(String) }] });
    expect(client.getQueryData<ItemsPage>(uncheckedKey)?.items).toEqual([]);

    const server = item(1, { checked: true, checkedAt: '2026-11-25T10:01:00.000Z' });
    act(() => applyEvent(client, LIST_ID, { type: 'item_checked', listId: LIST_ID, version: 11, data: server }));
    await act(async () => answer(server));

    expect(client.getQueryData<ItemsPage>(itemsKey)).toEqual({ version: 11, items: [server] });
    expect(seen).toEqual([false, true]);
    expect(client.getQueryState(itemsKey)?.isInvalidated).toBe(false); // the echo did the work: no refetch
  });

  it('refetches to undo a guess the server refused', async () => {
    api.setChecked.mockRejectedValue(new Error('403'));
    const hook = render(() => useSetChecked(LIST_ID));
    await act(async () => {
      await hook.current.mutateAsync({ itemId: 1, checked: true }).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 0)); // TanStack batches observer updates on a timer
    });
    expect(client.getQueryState(itemsKey)?.isInvalidated).toBe(true);
    expect(hook.current.error?.message).toBe('403');
  });

  it('adds a created item once, whichever of the answer and the echo comes first', async () => {
    const created = item(2);
    api.createItem.mockResolvedValue(created);
    const hook = render(() => useCreateItem(LIST_ID));
    act(() => applyEvent(client, LIST_ID, { type: 'item_created', listId: LIST_ID, version: 11, data: created }));
    await act(async () => { await hook.current.mutateAsync({ name: 'item 2' }); });
    expect(client.getQueryData<ItemsPage>(itemsKey)?.items.map((i) => i.id)).toEqual([1, 2]);
  });
});

describe('item mutations while the list is not live', () => {
  it('refetch after success, since no echo will come', async () => {
    api.setChecked.mockResolvedValue(item(1, { checked: true }));
    const hook = render(() => useSetChecked(LIST_ID));
    await act(async () => { await hook.current.mutateAsync({ itemId: 1, checked: true }); });
    expect(client.getQueryState(itemsKey)?.isInvalidated).toBe(true);
  });
});
