import { useQuery } from '@tanstack/react-query';
import { useMemo, useRef } from 'react';
import { listKeys } from '../api/queryKeys';
import type { Category, CategoryPatch, Id, Item, ItemPatch, NewItem } from '../api/types';
import { useServices } from '../app/services';
import { newUuid, type WriteOp } from '../offline/writes';
import { useNames } from '../offline/names';

/* The socket keeps these fresh between fetches: events patch them, and a screen refetches only when it mounts after a while
   (staleTime in main.tsx). */

export function useItems(listId: Id, includeChecked: boolean) {
  const { api } = useServices();
  return useQuery({
    queryKey: listKeys.items(listId, includeChecked),
    queryFn: () => api.items(listId, includeChecked),
    // Keep this list's items on screen while toggling "show checked" (never another list's while navigating).
    placeholderData: (previous, previousQuery) =>
      previousQuery?.queryKey[1] === listKeys.scope(listId)[1] ? previous : undefined,
  });
}

export function useCategories(listId: Id) {
  const { api } = useServices();
  return useQuery({ queryKey: listKeys.categories(listId), queryFn: () => api.categories(listId) });
}

/**
 * A list write, as the screens use it. Every change goes into the outbox (stored before the screen shows it, sent in
 * order, retried with the same Idempotency-Key, rolled back with a message when refused); the screen shows it at once
 * from the pending overlay. `mutateAsync` settles when the server confirmed or refused it.
 */
export interface ListWrite<V, R> {
  mutate: (variables: V) => void;
  mutateAsync: (variables: V) => Promise<R>;
  /** Refusals are told by the list page's notices (see RefusalNotices), not per control. */
  error: Error | null;
}

function useListWrite<V, R>(listId: Id, toOp: (variables: V) => { op: WriteOp; label: string }): ListWrite<V, R> {
  const { outbox } = useServices();
  // the newest toOp, so the returned functions stay the same across renders
  const toOpRef = useRef(toOp);
  toOpRef.current = toOp;
  return useMemo(() => {
    const mutateAsync = (variables: V) => {
      const { op, label } = toOpRef.current(variables);
      return outbox.enqueue(String(listId), op, label) as Promise<R>;
    };
    return { mutateAsync, mutate: (variables: V) => void mutateAsync(variables).catch(() => undefined), error: null };
  }, [outbox, listId]);
}

export function useCreateItem(listId: Id): ListWrite<NewItem, Item> {
  return useListWrite(listId, (item: NewItem) => ({
    op: { type: 'createItem', item: { ...item, id: item.id ?? newUuid() } },
    label: `adding ${item.name}`,
  }));
}

export function useUpdateItem(listId: Id): ListWrite<{ itemId: Id; patch: ItemPatch }, Item> {
  const names = useNames(listId);
  return useListWrite(listId, ({ itemId, patch }: { itemId: Id; patch: ItemPatch }) => ({
    op: { type: 'updateItem', itemId, patch },
    label: patch.name !== undefined ? `renaming ${names.item(itemId)} to ${patch.name}`
      : patch.position !== undefined && Object.keys(patch).length === 1 ? `moving ${names.item(itemId)}`
        : `editing ${names.item(itemId)}`,
  }));
}

export function useSetChecked(listId: Id): ListWrite<{ itemId: Id; checked: boolean }, Item> {
  const names = useNames(listId);
  return useListWrite(listId, ({ itemId, checked }: { itemId: Id; checked: boolean }) => ({
    op: { type: 'setChecked', itemId, checked },
    label: `${checked ? 'checking' : 'unchecking'} ${names.item(itemId)}`,
  }));
}

export function useDeleteItem(listId: Id): ListWrite<Id, void> {
  const names = useNames(listId);
  return useListWrite(listId, (itemId: Id) => ({
    op: { type: 'deleteItem', itemId }, label: `deleting ${names.item(itemId)}`,
  }));
}

export function useClearChecked(listId: Id): ListWrite<void, { deletedIds: Id[] }> {
  return useListWrite(listId, () => ({ op: { type: 'clearChecked' }, label: 'clearing the checked items' }));
}

export function useCreateCategory(listId: Id): ListWrite<{ name: string; position?: number; id?: string }, Category> {
  return useListWrite(listId, ({ name, position, id }: { name: string; position?: number; id?: string }) => ({
    op: { type: 'createCategory', category: { id: id ?? newUuid(), name, ...(position === undefined ? {} : { position }) } },
    label: `adding the category ${name}`,
  }));
}

export function useUpdateCategory(listId: Id): ListWrite<{ categoryId: Id; patch: CategoryPatch }, Category> {
  const names = useNames(listId);
  return useListWrite(listId, ({ categoryId, patch }: { categoryId: Id; patch: CategoryPatch }) => ({
    op: { type: 'updateCategory', categoryId, patch },
    label: patch.name !== undefined ? `renaming the category ${names.category(categoryId)}`
      : `moving the category ${names.category(categoryId)}`,
  }));
}

export function useDeleteCategory(listId: Id): ListWrite<Id, void> {
  const names = useNames(listId);
  return useListWrite(listId, (categoryId: Id) => ({
    op: { type: 'deleteCategory', categoryId }, label: `deleting the category ${names.category(categoryId)}`,
  }));
}
