import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiError } from './api/ApiError';
import { ApiClient } from './api/client';
import { App } from './app/App';
import { ServicesProvider, type Services } from './app/services';
import { SessionStore } from './auth/session';
import { defaultRealtimeOptions } from './realtime/ListSyncConnection';
import { LiveLists } from './realtime/LiveLists';
import './styles.css';

const fetchImpl = (input: string, init?: RequestInit) => fetch(input, init);
const session = new SessionStore(fetchImpl);
const services: Services = {
  session,
  api: new ApiClient(session, fetchImpl),
  liveLists: new LiveLists(),
  realtime: defaultRealtimeOptions,
};

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Live lists are patched by their socket; a timer-based refetch would only add load. Screens still refetch on mount.
      staleTime: 30_000,
      // 4xx answers will not change by asking again.
      retry: (failures, error) => !(error instanceof ApiError && error.status < 500) && failures < 2,
    },
  },
});

// Signing out must not leave one user's lists in memory for the next.
session.subscribe(() => {
  if (!session.get()) queryClient.clear();
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ServicesProvider services={services}>
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </ServicesProvider>
  </StrictMode>,
);
