import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useServices } from '../app/services';
import type { SyncStatus } from '../realtime/ListSyncConnection';
import { OverviewConnection } from './OverviewConnection';

/** Keeps the overview of the user's lists live over `/api/v1/ws/me` while mounted; returns the socket's state. */
export function useOverviewSync(enabled = true): SyncStatus {
  const { session, realtime } = useServices();
  const client = useQueryClient();
  const [status, setStatus] = useState<SyncStatus>('connecting');

  useEffect(() => {
    if (!enabled) return;
    setStatus('connecting');
    const connection = new OverviewConnection({
      client,
      accessToken: () => session.accessToken(),
      refreshToken: () => session.refresh(),
      onStatus: setStatus,
      options: realtime,
    });
    connection.start();
    return () => connection.stop();
  }, [enabled, client, session, realtime]);

  return status;
}
