import type { QueryCacheNotifyEvent, QueryClient } from '@tanstack/react-query';
import { listKeys } from '../api/queryKeys';
import type { Id, ShoppingList } from '../api/types';
import { sameId } from '../realtime/cache';

/** The server's order of `GET /lists`: by creation, then id. A list that appears live goes where a reload puts it. */
function before(a: ShoppingList, b: ShoppingList): boolean {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt;
  return String(a.id) < String(b.id);
}

/**
 * The overview with `list` in it. A frame never takes a list back to an older version than the cache holds (a GET
 * may have landed with newer data); at the same version it wins, since a role change moves no version.
 */
export function upsertList(lists: readonly ShoppingList[], list: ShoppingList): ShoppingList[] {
  const index = lists.findIndex((l) => sameId(l.id, list.id));
  if (index >= 0) {
    if (lists[index]!.version > list.version) return lists as ShoppingList[];
    const copy = lists.slice();
    copy[index] = list;
    return copy;
  }
  const at = lists.findIndex((l) => before(list, l));
  return at < 0 ? [...lists, list] : [...lists.slice(0, at), list, ...lists.slice(at)];
}

export function removeList(lists: readonly ShoppingList[], id: Id): ShoppingList[] {
  return lists.filter((l) => !sameId(l.id, id));
}

/**
 * Applies the user socket's frames to the cached overview (`listKeys.overview()`), and keeps them applied when a
 * `GET /lists` that started before a frame lands after it: such a GET may not know the frame's change yet, so what
 * the socket said while it was in flight is applied again on top of its answer.
 */
export class OverviewCache {
  /** What the socket said of each list (its state, or null: removed) while the overview's fetch ran. */
  private readonly said = new Map<string, ShoppingList | null>();
  private fetching: boolean;

  constructor(private readonly client: QueryClient) {
    this.fetching = client.getQueryState(listKeys.overview())?.fetchStatus === 'fetching';
  }

  added(list: ShoppingList): void {
    this.note(list.id, list);
    this.client.setQueryData<ShoppingList[]>(listKeys.overview(), (lists) => lists && upsertList(lists, list));
  }

  removed(id: Id): void {
    this.note(id, null);
    this.client.setQueryData<ShoppingList[]>(listKeys.overview(), (lists) => lists && removeList(lists, id));
    // Nothing of a list the user lost stays behind in memory.
    this.client.removeQueries({ queryKey: listKeys.scope(id) });
  }

  /** Hooked to the query cache: notes when an overview fetch starts, and re-applies frames when it lands. */
  readonly onCacheEvent = (event: QueryCacheNotifyEvent): void => {
    if (event.type !== 'updated') return;
    const key = event.query.queryKey;
    if (key[0] !== 'lists' || key[1] !== 'overview') return;
    const action = event.action;
    if (action.type === 'fetch') {
      this.fetching = true;
    } else if (action.type === 'error') {
      this.settled();
    } else if (action.type === 'success' && !action.manual && this.fetching) {
      const said = new Map(this.said);
      this.settled();
      if (said.size > 0) queueMicrotask(() => this.reapply(said)); // after the cache's own notification
    }
  };

  private settled(): void {
    this.fetching = false;
    this.said.clear();
  }

  private reapply(said: ReadonlyMap<string, ShoppingList | null>): void {
    this.client.setQueryData<ShoppingList[]>(listKeys.overview(), (lists) => {
      if (!lists) return lists;
      let next = lists;
      for (const [id, list] of said) next = list === null ? removeList(next, id) : upsertList(next, list);
      return next;
    });
  }

  /** Frames outside a fetch need no keeping: a later fetch starts after them, so its answer has them. */
  private note(id: Id, list: ShoppingList | null): void {
    if (this.fetching) this.said.set(String(id), list);
  }
}
