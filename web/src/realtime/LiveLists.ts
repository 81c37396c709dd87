import type { Id } from '../api/types';

/**
 * Which lists have a live socket right now. Mutations ask it: when the list is live, the echo event brings the server's
 * copy of the change in order, so they leave the cache alone; when it is not, they refetch after success.
 */
export class LiveLists {
  private readonly live = new Set<string>();

  set(listId: Id, isLive: boolean): void {
    if (isLive) this.live.add(String(listId));
    else this.live.delete(String(listId));
  }

  isLive(listId: Id): boolean {
    return this.live.has(String(listId));
  }
}
