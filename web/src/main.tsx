import { QueryClient } from '@tanstack/react-query';
import { PersistQueryClientProvider } from '@tanstack/react-query-persist-client';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiError } from './api/ApiError';
import { ApiClient } from './api/client';
import { App } from './app/App';
import { ServicesProvider, type Services } from './app/services';
import { UpdatePrompt } from './app/UpdatePrompt';
import { SessionStore } from './auth/session';
import { Leadership } from './offline/leader';
import { Outbox } from './offline/Outbox';
import { CACHE_BUSTER, CACHE_MAX_AGE_MS, idbPersister, shouldPersist } from './offline/persister';
import { idbOutboxStore, memoryOutboxStore } from './offline/store';
import { defaultRealtimeOptions } from './realtime/ListSyncConnection';
import { LiveLists } from './realtime/LiveLists';
import './styles.css';

// Any successful answer (a list refetch, a sign-in) shows the server is reachable: the outbox need not wait out its backoff.
const fetchImpl = (input: string, init?: RequestInit) => fetch(input, init).then((response) => {
  if (response.ok) outbox.reachable();
  return response;
});
const session = new SessionStore(fetchImpl);
const api = new ApiClient(session, fetchImpl);
const liveLists = new LiveLists();

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Live lists are patched by their socket; a timer-based refetch would only add load. Screens still refetch on mount.
      staleTime: 30_000,
      // Kept (and persisted) for a day unused, so an offline start shows lists opened earlier too.
      gcTime: 24 * 60 * 60 * 1000,
      // 4xx answers will not change by asking again.
      retry: (failures, error) => !(error instanceof ApiError && error.status < 500) && failures < 2,
    },
  },
});

const outbox = new Outbox({
  store: typeof indexedDB === 'undefined' ? memoryOutboxStore() : idbOutboxStore(),
  api,
  client: queryClient,
  liveLists,
  userId: () => {
    const id = session.get()?.user.id;
    return id === undefined ? null : String(id);
  },
  leadership: new Leadership(typeof navigator !== 'undefined' ? navigator.locks : undefined),
  channel: typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('listsync-outbox'),
});
void outbox.start();
// The browser thinks it is back: try now (the socket opening, or a request succeeding, is what really tells).
window.addEventListener('online', () => outbox.kick());

const services: Services = { session, api, liveLists, realtime: defaultRealtimeOptions, outbox };
const persister = idbPersister();

// Signing out must not leave one user's lists in memory (or on disk) for the next.
session.subscribe(() => {
  if (!session.get()) {
    queryClient.clear();
    void persister.removeClient();
  }
  outbox.userChanged();
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ServicesProvider services={services}>
      <PersistQueryClientProvider client={queryClient} persistOptions={{
        persister,
        buster: CACHE_BUSTER,
        maxAge: CACHE_MAX_AGE_MS,
        dehydrateOptions: { shouldDehydrateQuery: shouldPersist },
      }}>
        <UpdatePrompt />
        <App />
      </PersistQueryClientProvider>
    </ServicesProvider>
  </StrictMode>,
);
