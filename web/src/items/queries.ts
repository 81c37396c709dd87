import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { listKeys } from '../api/queryKeys';
import type { CategoriesPage, Category, CategoryPatch, Id, Item, ItemPatch, ItemsPage, NewItem } from '../api/types';
import { useServices } from '../app/services';
import { sameId } from '../realtime/cache';

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

/** What an optimistic mutation remembers: whether it cancelled a fetch that must be redone afterwards. */
interface Optimistic {
  cancelledFetch: boolean;
}

/**
 * Optimistic patching for list mutations. The patch never touches the cached `version`: the server's echo event
 * (version + 1) then applies the same change from the server's copy, which looks identical, so nothing flickers.
 * After success the cache is left to the echo when the list is live, and refetched otherwise; after an error the list is
 * refetched, which undoes the guess without clobbering events that arrived in between (a snapshot rollback would).
 */
function useListMutation<V, R>(
  listId: Id,
  mutationFn: (variables: V) => Promise<R>,
  patch: ((client: QueryClient, variables: V) => void) | null,
) {
  const client = useQueryClient();
  const { liveLists } = useServices();
  const scope = listKeys.scope(listId);
  return useMutation<R, Error, V, Optimistic>({
    mutationFn,
    onMutate: async (variables) => {
      if (!patch) return { cancelledFetch: false };
      // A fetch in flight could land after the patch with the old state; cancel it now and redo it once we are done.
      const cancelledFetch = client.isFetching({ queryKey: scope }) > 0;
      if (cancelledFetch) await client.cancelQueries({ queryKey: scope });
      patch(client, variables);
      return { cancelledFetch };
    },
    onError: () => client.invalidateQueries({ queryKey: scope }),
    onSuccess: () => (liveLists.isLive(listId) ? undefined : client.invalidateQueries({ queryKey: scope })),
    onSettled: (_data, _error, _variables, context) =>
      context?.cancelledFetch ? client.invalidateQueries({ queryKey: scope }) : undefined,
  });
}

/** Applies `change` to both cached item variants, keeping each one's version. */
function patchItems(client: QueryClient, listId: Id, change: (items: Item[], includeChecked: boolean) => Item[]): void {
  for (const includeChecked of [true, false]) {
    client.setQueryData<ItemsPage>(listKeys.items(listId, includeChecked), (page) =>
      page && { ...page, items: change(page.items, includeChecked) });
  }
}

function patchCategories(client: QueryClient, listId: Id, change: (categories: Category[]) => Category[]): void {
  client.setQueryData<CategoriesPage>(listKeys.categories(listId), (page) =>
    page && { ...page, categories: change(page.categories) });
}

export function useCreateItem(listId: Id) {
  const { api } = useServices();
  // Not optimistic: a temporary row would show twice when the echo beats the REST answer. The echo arrives in
  // milliseconds, and the form is ready for the next item at once.
  return useListMutation(listId, (item: NewItem) => api.createItem(listId, item), null);
}

export function useUpdateItem(listId: Id) {
  const { api } = useServices();
  return useListMutation(
    listId,
    ({ itemId, patch }: { itemId: Id; patch: ItemPatch }) => api.updateItem(listId, itemId, patch),
    (client, { itemId, patch }) =>
      patchItems(client, listId, (items) => items.map((it) => (sameId(it.id, itemId) ? { ...it, ...patch } : it))),
  );
}

export function useSetChecked(listId: Id) {
  const { api } = useServices();
  return useListMutation(
    listId,
    ({ itemId, checked }: { itemId: Id; checked: boolean }) => api.setChecked(listId, itemId, checked),
    (client, { itemId, checked }) =>
      patchItems(client, listId, (items, includeChecked) =>
        !includeChecked && checked
          ? items.filter((it) => !sameId(it.id, itemId))
          : items.map((it) => (sameId(it.id, itemId) ? { ...it, checked, checkedAt: checked ? new Date().toISOString() : null } : it))),
  );
}

export function useDeleteItem(listId: Id) {
  const { api } = useServices();
  return useListMutation(
    listId,
    (itemId: Id) => api.deleteItem(listId, itemId),
    (client, itemId) => patchItems(client, listId, (items) => items.filter((it) => !sameId(it.id, itemId))),
  );
}

export function useClearChecked(listId: Id) {
  const { api } = useServices();
  return useListMutation(
    listId,
    () => api.deleteChecked(listId),
    (client) => patchItems(client, listId, (items) => items.filter((it) => !it.checked)),
  );
}

export function useCreateCategory(listId: Id) {
  const { api } = useServices();
  return useListMutation(listId, ({ name, position }: { name: string; position?: number }) =>
    api.createCategory(listId, name, position), null);
}

export function useUpdateCategory(listId: Id) {
  const { api } = useServices();
  return useListMutation(
    listId,
    ({ categoryId, patch }: { categoryId: Id; patch: CategoryPatch }) => api.updateCategory(listId, categoryId, patch),
    (client, { categoryId, patch }) =>
      patchCategories(client, listId, (categories) =>
        categories.map((c) => (sameId(c.id, categoryId) ? { ...c, ...patch } : c))),
  );
}

export function useDeleteCategory(listId: Id) {
  const { api } = useServices();
  return useListMutation(
    listId,
    (categoryId: Id) => api.deleteCategory(listId, categoryId),
    (client, categoryId) => {
      patchCategories(client, listId, (categories) => categories.filter((c) => !sameId(c.id, categoryId)));
      patchItems(client, listId, (items) =>
        items.map((it) => (sameId(it.categoryId, categoryId) ? { ...it, categoryId: null } : it)));
    },
  );
}
