import { useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { listKeys } from '../api/queryKeys';
import type { CategoriesPage, Id, ItemsPage } from '../api/types';
import { useServices } from '../app/services';
import { sameId } from '../realtime/cache';

/** Names of the list's items and categories as the screen knows them (cache, then waiting creates), for messages. */
export function useNames(listId: Id) {
  const client = useQueryClient();
  const { outbox } = useServices();
  return useMemo(() => {
    const waiting = () => outbox.pending(String(listId));
    return {
      item: (id: Id): string =>
        client.getQueryData<ItemsPage>(listKeys.items(listId, true))?.items.find((it) => sameId(it.id, id))?.name
        ?? waiting().map((w) => (w.op.type === 'createItem' && sameId(w.op.item.id, id) ? w.op.item.name : null))
          .find((name) => name) ?? 'an item',
      category: (id: Id): string =>
        client.getQueryData<CategoriesPage>(listKeys.categories(listId))?.categories.find((c) => sameId(c.id, id))?.name
        ?? waiting().map((w) => (w.op.type === 'createCategory' && sameId(w.op.category.id, id) ? w.op.category.name : null))
          .find((name) => name) ?? 'a category',
    };
  }, [client, outbox, listId]);
}
