import { useSyncExternalStore } from 'react';
import { useServices } from '../app/services';
import type { Session } from './session';

export function useSession(): Session | null {
  const { session } = useServices();
  return useSyncExternalStore(session.subscribe, session.get);
}
