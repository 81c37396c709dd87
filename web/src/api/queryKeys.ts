import type { Id } from './types';

/**
 * The one query-key factory. Every per-list query lives under `listKeys.scope(id)`, so the socket handler, the screens and
 * the mutations can never disagree on a key, and "invalidate this list" is one prefix.
 * Ids are normalised to strings: the route gives a string, the API may give a number, and both name the same list.
 */
export const listKeys = {
  overview: () => ['lists', 'overview'] as const,
  scope: (listId: Id) => ['list', String(listId)] as const,
  detail: (listId: Id) => [...listKeys.scope(listId), 'detail'] as const,
  itemsAll: (listId: Id) => [...listKeys.scope(listId), 'items'] as const,
  items: (listId: Id, includeChecked: boolean) => [...listKeys.itemsAll(listId), { includeChecked }] as const,
  categories: (listId: Id) => [...listKeys.scope(listId), 'categories'] as const,
  members: (listId: Id) => [...listKeys.scope(listId), 'members'] as const,
  // Contract 1.1; not versioned, so the socket handler leaves them alone
  suggestions: (listId: Id, q: string) => [...listKeys.scope(listId), 'suggestions', q] as const,
  activity: (listId: Id) => [...listKeys.scope(listId), 'activity'] as const,
  invites: (listId: Id) => [...listKeys.scope(listId), 'invites'] as const,
};

/** What a per-list query key names; the socket handler dispatches on it. */
export type ListQueryKind =
  | { kind: 'detail' }
  | { kind: 'items'; includeChecked: boolean }
  | { kind: 'categories' }
  | { kind: 'members' }
  | { kind: 'other' };

export function describeListKey(queryKey: readonly unknown[]): ListQueryKind {
  switch (queryKey[2]) {
    case 'detail':
      return { kind: 'detail' };
    case 'categories':
      return { kind: 'categories' };
    case 'members':
      return { kind: 'members' };
    case 'items': {
      const options = queryKey[3] as { includeChecked?: boolean } | undefined;
      return { kind: 'items', includeChecked: options?.includeChecked ?? true };
    }
    default:
      return { kind: 'other' };
  }
}
