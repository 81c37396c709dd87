import 'fake-indexeddb/auto';
import { QueryClient } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/ApiError';
import type { ApiClient } from '../api/client';
import { listKeys } from '../api/queryKeys';
import type { ItemsPage } from '../api/types';
import { item, LIST_ID } from '../test/fixtures';
import { testOutbox } from '../test/outbox';
import type { Outbox } from './Outbox';
import { idbOutboxStore, memoryOutboxStore, type OutboxStore } from './store';

/** A fake API that records every call with the Idempotency-Key it carried, answering from `answer`. */
function recordingApi(answer: (call: { method: string; key: string; args: unknown[] }) => Promise<unknown>) {
  const calls: { method: string; key: string; args: unknown[] }[] = [];
  const keyed = (key: string) => new Proxy({}, {
    get: (_target, method: string) => (...args: unknown[]) => {
      const call = { method, key, args };
      calls.push(call);
      return answer(call);
    },
  });
  return { calls, api: { withIdempotencyKey: keyed } as unknown as ApiClient };
}

const L = String(LIST_ID);
const network = () => new TypeError('Failed to fetch');
const problem = (status: number, detail = `status ${status}`, retryAfter: string | null = null) =>
  new ApiError(status, { status, detail }, retryAfter);

let client: QueryClient;
let outbox: Outbox | undefined;

beforeEach(() => {
  client = new QueryClient();
  client.setQueryData<ItemsPage>(listKeys.items(LIST_ID, true), { version: 10, items: [item(1), item(2)] });
});

afterEach(() => {
  outbox?.stop();
  outbox = undefined;
  vi.useRealTimers();
});

async function started(api: ApiClient, store: OutboxStore = memoryOutboxStore(), userId: string | null = 'u1') {
  outbox = testOutbox(client, api, { store, userId });
  await outbox.start();
  return outbox;
}

describe('the outbox', () => {
  it('sends one write at a time, in the order they were made', async () => {
    let inFlight = 0;
    let most = 0;
    const { api, calls } = recordingApi(async ({ args }) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      return item(Number(args[1]) || 1, { checked: args[2] === true });
    });
    const box = await started(api);
    const done = [
      box.enqueue(L, { type: 'setChecked', itemId: 1, checked: true }, 'checking item 1'),
      box.enqueue(L, { type: 'setChecked', itemId: 1, checked: false }, 'unchecking item 1'),
      box.enqueue(L, { type: 'updateItem', itemId: 2, patch: { name: 'Bread' } }, 'renaming item 2'),
      box.enqueue(L, { type: 'setChecked', itemId: 1, checked: true }, 'checking item 1'),
    ];
    await Promise.all(done);
    expect(calls.map((c) => [c.method, ...c.args.slice(1)])).toEqual([
      ['setChecked', 1, true], ['setChecked', 1, false], ['updateItem', 2, { name: 'Bread' }], ['setChecked', 1, true],
    ]);
    expect(most).toBe(1);
    expect(new Set(calls.map((c) => c.key)).size).toBe(4); // one key per change
    expect(box.pending()).toEqual([]);
  });

  it('retries a network error or a 5xx with the same Idempotency-Key, with backoff', async () => {
    vi.useFakeTimers();
    const failures = [network(), problem(503), problem(409, 'still running', '1')];
    const { api, calls } = recordingApi(async () => {
      const failure = failures.shift();
      if (failure) throw failure;
      return item(1, { checked: true });
    });
    const box = await started(api);
    const done = box.enqueue(L, { type: 'setChecked', itemId: 1, checked: true }, 'checking item 1');
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(calls).toHaveLength(1); // backoff: 1 s, then 2 s, then 5 s
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(calls).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(5_000);
    await expect(done).resolves.toMatchObject({ checked: true });
    expect(calls).toHaveLength(4);
    expect(new Set(calls.map((c) => c.key)).size).toBe(1);
  });

  it('a kick (the socket opened) sends at once instead of waiting out the backoff', async () => {
    vi.useFakeTimers();
    let down = true;
    const { api, calls } = recordingApi(async () => {
      if (down) throw network();
      return item(1);
    });
    const box = await started(api);
    const done = box.enqueue(L, { type: 'updateItem', itemId: 1, patch: { note: 'x' } }, 'editing item 1');
    await vi.advanceTimersByTimeAsync(0);
    down = false;
    box.kick();
    await expect(done).resolves.toBeDefined();
    expect(calls).toHaveLength(2);
  });

  it('an answer to any other request (the server is back) ends the backoff wait', async () => {
    vi.useFakeTimers();
    let down = true;
    const { api, calls } = recordingApi(async () => {
      if (down) throw network();
      return item(1);
    });
    const box = await started(api);
    box.reachable(); // nothing waiting: nothing happens
    const done = box.enqueue(L, { type: 'deleteItem', itemId: 1 }, 'deleting item 1');
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(1);
    down = false;
    box.reachable();
    await expect(done).resolves.toBeDefined();
    expect(calls).toHaveLength(2);
  });

  it('rolls back a write the server refuses (4xx), says why in words, and goes on with the next', async () => {
    const { api, calls } = recordingApi(async ({ args }) => {
      if (args[1] === 2) throw problem(404, 'No such item.');
      return item(1, { checked: true });
    });
    const box = await started(api);
    const told: string[] = [];
    box.onRefusal((r) => told.push(r.message));
    const refused = box.enqueue(L, { type: 'updateItem', itemId: 2, patch: { name: 'Rye' } }, 'renaming item 2 to Rye');
    const next = box.enqueue(L, { type: 'setChecked', itemId: 1, checked: true }, 'checking item 1');
    await expect(refused).rejects.toThrow('Not saved: renaming item 2 to Rye (it was deleted meanwhile). It was undone here.');
    await expect(next).resolves.toBeDefined();
    expect(told).toEqual(['Not saved: renaming item 2 to Rye (it was deleted meanwhile). It was undone here.']);
    expect(calls).toHaveLength(2); // never retried
    expect(box.pending()).toEqual([]);
    expect(client.getQueryState(listKeys.items(LIST_ID, true))?.isInvalidated).toBe(true);
  });

  it.each([[403, 'you can no longer change this list'], [409, 'id taken'], [422, 'key reused']])(
    'refuses a %i for good', async (status, words) => {
      const { api, calls } = recordingApi(async () => { throw problem(status, words); });
      const box = await started(api);
      await expect(box.enqueue(L, { type: 'deleteItem', itemId: 1 }, 'deleting item 1')).rejects.toThrow(words);
      expect(calls).toHaveLength(1);
    });

  it('puts the answer into the cache before the write leaves the overlay, without touching the version', async () => {
    const { api } = recordingApi(async () => item(1, { checked: true, updatedAt: '2026-11-25T11:00:00.000Z' }));
    const box = await started(api);
    await box.enqueue(L, { type: 'setChecked', itemId: 1, checked: true }, 'checking item 1');
    const page = client.getQueryData<ItemsPage>(listKeys.items(LIST_ID, true));
    expect(page?.version).toBe(10);
    expect(page?.items[0]?.checked).toBe(true);
  });

  it('keeps the writes of another user, and sends none while signed out', async () => {
    const { api, calls } = recordingApi(async () => item(1));
    const store = memoryOutboxStore();
    const box = await started(api, store, null);
    await expect(box.enqueue(L, { type: 'deleteItem', itemId: 1 }, 'deleting item 1')).rejects.toThrow('signed out');
    expect(calls).toHaveLength(0);
  });

  it('survives a reload: writes stored in IndexedDB are sent by the next start, with their keys', async () => {
    const store = idbOutboxStore(`outbox-test-${Math.random()}`);
    const first = recordingApi(async () => { throw network(); });
    const before = await started(first.api, store);
    void before.enqueue(L, { type: 'createItem', item: { id: 'a1', name: 'Milk' } }, 'adding Milk').catch(() => undefined);
    void before.enqueue(L, { type: 'setChecked', itemId: 'a1', checked: true }, 'checking Milk').catch(() => undefined);
    await vi.waitFor(() => expect(first.calls.length).toBeGreaterThan(0));
    await vi.waitFor(async () => expect(await store.all()).toHaveLength(2));
    before.stop();

    const second = recordingApi(async ({ method }) => (method === 'createItem' ? item(3) : item(3, { checked: true })));
    const after = await started(second.api, store);
    expect(after.pending().map((w) => w.op.type)).toEqual(['createItem', 'setChecked']);
    await vi.waitFor(() => expect(after.pending()).toEqual([]));
    expect(second.calls.map((c) => c.method)).toEqual(['createItem', 'setChecked']);
    expect(second.calls[0]!.key).toBe(first.calls[0]!.key); // the same change, the same key
    expect(await store.all()).toEqual([]);
  });
});
