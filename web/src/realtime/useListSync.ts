import { useIsRestoring, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Id } from '../api/types';
import { useServices } from '../app/services';
import { PresenceStore } from '../presence/PresenceStore';
import { shownVersion } from './cache';
import type { ListEvent } from './events';
import { initialSyncState, ListSyncConnection, type SyncState } from './ListSyncConnection';

export interface UseListSyncArgs {
  listId: Id;
  /** Which item query the screen shows; its version (with categories and detail) is the `since` of the first connect. */
  includeChecked: boolean;
  enabled: boolean;
  /** Called with each new event before it is applied (for announcing other people's changes). */
  onEvent?: (event: ListEvent) => void;
}

export interface ListSyncResult extends SyncState {
  isConnected: boolean;
  connectionError: string | null;
  /** Skips the rest of the backoff wait (a "Retry now" button). */
  retryNow: () => void;
  /** Who has the list open (presence, contract 1.1); null while not live. */
  presence: PresenceStore;
}

/**
 * Keeps the list's cached queries live over a WebSocket while the screen is mounted. Returns `isConnected` and
 * `connectionError` (as issue 5 defines), plus the detailed state for the connection badge.
 */
export function useListSync({ listId, includeChecked, enabled, onEvent }: UseListSyncArgs): ListSyncResult {
  const { session, liveLists, realtime, outbox } = useServices();
  const client = useQueryClient();
  const [state, setState] = useState<SyncState>(initialSyncState);
  // Read at connect time, so toggling "show checked" does not reconnect.
  const includeCheckedRef = useRef(includeChecked);
  includeCheckedRef.current = includeChecked;
  const onEventRef = useRef(onEvent);
  onEventRef.current = onEvent;
  const connectionRef = useRef<ListSyncConnection | null>(null);
  // While the persisted cache is being read back, `since` would be unknown and the restored data would land after
  // `hello` unchecked: connect once it is in, so the replay after its version brings it up to date.
  const restoring = useIsRestoring();
  const retryNow = useCallback(() => connectionRef.current?.retryNow(), []);
  const [presence] = useState(() => new PresenceStore());

  useEffect(() => {
    if (!enabled || restoring) return;
    setState(initialSyncState);
    const connection = new ListSyncConnection({
      listId,
      client,
      accessToken: () => session.accessToken(),
      refreshToken: () => session.refresh(),
      shownVersion: () => shownVersion(client, listId, includeCheckedRef.current),
      onEvent: (event) => onEventRef.current?.(event),
      onPresence: (viewers) => presence.set(viewers),
      onState: (next) => {
        liveLists.set(listId, next.status === 'live');
        // The server is reachable again: waiting writes go now rather than at the end of their backoff.
        if (next.status === 'live') outbox.kick();
        if (next.status !== 'live') presence.set(null);
        setState(next);
      },
      options: realtime,
    });
    connection.start();
    connectionRef.current = connection;
    return () => {
      connectionRef.current = null;
      connection.stop();
      liveLists.set(listId, false);
      presence.set(null);
    };
  }, [listId, enabled, restoring, client, session, liveLists, realtime, outbox, presence]);

  return { ...state, isConnected: enabled && state.status === 'live', connectionError: state.error, retryNow, presence };
}
