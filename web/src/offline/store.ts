import { clear, createStore, del, set, values, type UseStore } from 'idb-keyval';
import type { QueuedWrite } from './writes';

/** Where the outbox lives. One record per write, so tabs adding writes never overwrite each other's. */
export interface OutboxStore {
  all(): Promise<QueuedWrite[]>;
  put(write: QueuedWrite): Promise<void>;
  remove(key: string): Promise<void>;
  clear(): Promise<void>;
}

const byKey = (a: QueuedWrite, b: QueuedWrite) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** The outbox in IndexedDB (its own database, apart from the query cache): survives reloads and closed tabs. */
export function idbOutboxStore(database = 'listsync-outbox'): OutboxStore {
  const store: UseStore = createStore(database, 'writes');
  return {
    all: async () => (await values<QueuedWrite>(store)).sort(byKey),
    put: (write) => set(write.key, write, store),
    remove: (key) => del(key, store),
    clear: () => clear(store),
  };
}

/** For tests, and for browsers without IndexedDB (private modes of old browsers): the same, in memory. */
export function memoryOutboxStore(): OutboxStore {
  const rows = new Map<string, QueuedWrite>();
  return {
    all: async () => [...rows.values()].sort(byKey),
    put: async (write) => void rows.set(write.key, structuredClone(write)),
    remove: async (key) => void rows.delete(key),
    clear: async () => rows.clear(),
  };
}
