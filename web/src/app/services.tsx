import { createContext, useContext, type ReactNode } from 'react';
import type { ApiClient } from '../api/client';
import type { SessionStore } from '../auth/session';
import type { Outbox } from '../offline/Outbox';
import type { LiveLists } from '../realtime/LiveLists';
import type { RealtimeOptions } from '../realtime/ListSyncConnection';

/** The app's services, built once in main.tsx (or in a test) and passed down: no module-level singletons. */
export interface Services {
  session: SessionStore;
  api: ApiClient;
  liveLists: LiveLists;
  realtime: RealtimeOptions;
  /** The durable write queue every list change goes through. */
  outbox: Outbox;
}

const ServicesContext = createContext<Services | null>(null);

export function ServicesProvider({ services, children }: { services: Services; children: ReactNode }) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices needs a <ServicesProvider>');
  return services;
}
