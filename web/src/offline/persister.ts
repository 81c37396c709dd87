import type { Query } from '@tanstack/react-query';
import type { PersistedClient, Persister } from '@tanstack/react-query-persist-client';
import { createStore, del, get, set } from 'idb-keyval';

/**
 * Bump when the shape of cached data changes: a persisted cache with another buster is thrown away on start, so an
 * update never feeds the app data it does not understand.
 */
export const CACHE_BUSTER = 'listsync-cache-1';
/** A week: a phone opened after a long trip still shows the lists as last seen (then catches up). */
export const CACHE_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

/** The query cache in IndexedDB, written at most twice a second (the socket can change it often) and on leaving. */
export function idbPersister(throttleMs = 500): Persister {
  const store = createStore('listsync-cache', 'queries');
  const KEY = 'client';
  let latest: PersistedClient | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (!latest) return;
    const client = latest;
    latest = null;
    void set(KEY, client, store).catch(() => undefined);
  };
  if (typeof window !== 'undefined') window.addEventListener('pagehide', flush);
  return {
    persistClient: (client) => {
      latest = client;
      timer ??= setTimeout(flush, throttleMs);
    },
    restoreClient: () => get<PersistedClient>(KEY, store),
    removeClient: async () => {
      latest = null;
      clearTimeout(timer);
      timer = undefined;
      await del(KEY, store);
    },
  };
}

/** Lists, list details, items, categories and members; not suggestions, history or invite codes (fetched on demand). */
export function shouldPersist(query: Query): boolean {
  if (query.state.status !== 'success') return false;
  const [scope, , kind] = query.queryKey;
  if (scope === 'lists') return true;
  return scope === 'list' && (kind === 'detail' || kind === 'items' || kind === 'categories' || kind === 'members');
}
