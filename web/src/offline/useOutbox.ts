import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { Id } from '../api/types';
import { useServices } from '../app/services';
import type { Refusal } from './Outbox';
import type { QueuedWrite } from './writes';

/** The signed-in user's writes for the list still waiting for the server, in order; re-renders when they change. */
export function usePendingWrites(listId: Id): QueuedWrite[] {
  const { outbox } = useServices();
  const revision = useSyncExternalStore(outbox.subscribe, () => outbox.revision);
  return useMemo(() => outbox.pending(String(listId)), [outbox, listId, revision]);
}

/** Whether the outbox has been read from IndexedDB yet: the list waits for it, so no waiting change flickers in. */
export function useOutboxLoaded(): boolean {
  const { outbox } = useServices();
  return useSyncExternalStore(outbox.subscribe, () => outbox.loaded);
}

/** Writes to this list the server refused (and that were rolled back), until dismissed. */
export function useRefusals(listId: Id): [Refusal[], (id: number) => void] {
  const { outbox } = useServices();
  const [refusals, setRefusals] = useState<Refusal[]>([]);
  useEffect(() => outbox.onRefusal((refusal) => {
    if (refusal.listId === String(listId)) setRefusals((current) => [...current, refusal].slice(-5));
  }), [outbox, listId]);
  return [refusals, (id) => setRefusals((current) => current.filter((r) => r.id !== id))];
}
