import type { Query, QueryClient } from '@tanstack/react-query';
import { describeListKey, listKeys } from '../api/queryKeys';
import type { CategoriesPage, Id, ItemsPage, ShoppingList } from '../api/types';
import type { ListEvent } from './events';

/*
 * How the cache stays equal to the server.
 *
 * Every versioned per-list query (items in both includeChecked variants, categories, the list detail) carries the list
 * version its data reflects: the REST answer's `version`, then the version of each event applied to it. So each cache
 * entry knows for itself what it has seen, and one rule decides what an event does to it:
 *   - event.version <= entry.version      → already in there (a duplicate, or the entry was refetched later): ignore;
 *   - event.version == entry.version + 1  → apply the event's data and take its version;
 *   - otherwise                           → the entry missed something: refetch it (invalidate).
 * A refetch that started before some events and lands after them arrives with an older version than the stream has
 * reached; {@link invalidateBehind} catches that and refetches again, so a slow GET can never leave stale data behind.
 * Local optimistic patches never change an entry's version: the echo event (version + 1) then applies the server's copy
 * of the same change, which looks identical, so nothing flickers.
 */

export const sameId = (a: Id | null | undefined, b: Id | null | undefined): boolean =>
  a != null && b != null && String(a) === String(b);

/** Something cached with the list version it reflects. */
interface Versioned {
  version: number;
}

function isVersioned(data: unknown): data is Versioned {
  return !!data && typeof data === 'object' && typeof (data as { version?: unknown }).version === 'number';
}

function upsert<T extends { id: Id }>(rows: readonly T[], row: T): T[] {
  const index = rows.findIndex((r) => sameId(r.id, row.id));
  if (index < 0) return [...rows, row];
  const copy = rows.slice();
  copy[index] = row;
  return copy;
}

function without<T extends { id: Id }>(rows: readonly T[], ids: readonly Id[]): T[] {
  const gone = new Set(ids.map(String));
  return rows.filter((r) => !gone.has(String(r.id)));
}

/** The event's effect on an item list; a list without checked items drops items as they get checked. */
export function applyToItems(page: ItemsPage, includeChecked: boolean, event: ListEvent): ItemsPage {
  let items = page.items;
  switch (event.type) {
    case 'item_created':
    case 'item_updated':
    case 'item_checked':
    case 'item_unchecked':
      items = !includeChecked && event.data.checked ? without(items, [event.data.id]) : upsert(items, event.data);
      break;
    case 'item_deleted':
      items = without(items, [event.data.id]);
      break;
    case 'items_bulk_deleted':
      items = without(items, event.data.itemIds);
      break;
    case 'category_deleted':
      // The server sends no item events for this: its items become uncategorized here, as they did there.
      items = items.map((item) => (sameId(item.categoryId, event.data.id) ? { ...item, categoryId: null } : item));
      break;
    default:
      break;
  }
  return { version: event.version, items };
}

export function applyToCategories(page: CategoriesPage, event: ListEvent): CategoriesPage {
  let categories = page.categories;
  switch (event.type) {
    case 'category_created':
    case 'category_updated':
      categories = upsert(categories, event.data);
      break;
    case 'category_deleted':
      categories = without(categories, [event.data.id]);
      break;
    default:
      break;
  }
  return { version: event.version, categories };
}

/** The list detail follows every event's version; `list_updated` brings the new name. The caller's role is ours to keep. */
export function applyToDetail(list: ShoppingList, event: ListEvent): ShoppingList {
  if (event.type === 'list_updated') return { ...list, ...event.data, role: list.role, version: event.version };
  return { ...list, version: event.version };
}

/** The overview is not gap-checked (it is refetched on every visit); it only needs the name and the newest version. */
export function applyToOverview(lists: readonly ShoppingList[], listId: Id, event: ListEvent): ShoppingList[] {
  return lists.map((list) => {
    if (!sameId(list.id, listId) || list.version >= event.version) return list;
    return applyToDetail(list, event);
  });
}

function applyToQueryData(queryKey: readonly unknown[], data: Versioned, event: ListEvent): Versioned | undefined {
  const described = describeListKey(queryKey);
  switch (described.kind) {
    case 'items':
      return applyToItems(data as ItemsPage, described.includeChecked, event);
    case 'categories':
      return applyToCategories(data as CategoriesPage, event);
    case 'detail':
      return applyToDetail(data as ShoppingList, event);
    default:
      return undefined;
  }
}

function versionedQueries(client: QueryClient, listId: Id): Query[] {
  return client
    .getQueryCache()
    .findAll({ queryKey: listKeys.scope(listId) })
    .filter((query) => isVersioned(query.state.data));
}

/** Applies one event to every cached query of its list, each by the rule above. */
export function applyEvent(client: QueryClient, listId: Id, event: ListEvent): void {
  for (const query of versionedQueries(client, listId)) {
    const data = query.state.data as Versioned;
    if (event.version <= data.version) continue;
    if (event.version === data.version + 1) {
      const next = applyToQueryData(query.queryKey, data, event);
      if (next) client.setQueryData(query.queryKey, next);
    } else {
      void client.invalidateQueries({ queryKey: query.queryKey, exact: true });
    }
  }
  client.setQueryData<ShoppingList[]>(listKeys.overview(), (lists) => lists && applyToOverview(lists, listId, event));
}

/** Refetches every cached entry of the list that reflects a version older than `version`. Returns how many. */
export function invalidateBehind(client: QueryClient, listId: Id, version: number): number {
  let count = 0;
  for (const query of versionedQueries(client, listId)) {
    if ((query.state.data as Versioned).version < version) {
      count++;
      void client.invalidateQueries({ queryKey: query.queryKey, exact: true });
    }
  }
  return count;
}

/** Refetches everything cached for the list (a `resync`, or a gap in the socket's own stream). */
export function invalidateList(client: QueryClient, listId: Id): Promise<void> {
  return client.invalidateQueries({ queryKey: listKeys.scope(listId) });
}

/**
 * The version the screen's data is at: the oldest of the queries it shows, or null while any of them has no data yet.
 * A reconnect asks the server for everything after it (`?since=`).
 */
export function shownVersion(client: QueryClient, listId: Id, includeChecked: boolean): number | null {
  const keys = [listKeys.items(listId, includeChecked), listKeys.categories(listId), listKeys.detail(listId)];
  let min: number | null = null;
  for (const key of keys) {
    const data: unknown = client.getQueryData(key);
    if (!isVersioned(data)) return null;
    min = min === null ? data.version : Math.min(min, data.version);
  }
  return min;
}
