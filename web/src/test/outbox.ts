import type { QueryClient } from '@tanstack/react-query';
import type { ApiClient } from '../api/client';
import { Leadership } from '../offline/leader';
import { Outbox } from '../offline/Outbox';
import { memoryOutboxStore, type OutboxStore } from '../offline/store';
import { LiveLists } from '../realtime/LiveLists';

/** An outbox for unit tests: in memory, this tab leads, user "u1", no jitter. */
export function testOutbox(client: QueryClient, api: ApiClient, options: {
  liveLists?: LiveLists; store?: OutboxStore; userId?: string | null;
} = {}): Outbox {
  return new Outbox({
    store: options.store ?? memoryOutboxStore(),
    api,
    client,
    liveLists: options.liveLists ?? new LiveLists(),
    userId: () => (options.userId === undefined ? 'u1' : options.userId),
    leadership: new Leadership(undefined),
    channel: null,
    random: () => 0.5,
  });
}
