import type { QueryClient } from '@tanstack/react-query';
import { listKeys } from '../api/queryKeys';
import type { CategoriesPage, Category, Id, Item, ItemsPage } from '../api/types';
import { sameId } from '../realtime/cache';
import type { QueuedWrite } from './writes';

/*
 * When the server confirms a write, its answer goes into the cache before the write leaves the pending overlay, so the
 * screen does not flicker back while the echo event is on its way. The cached `version` is left alone: the echo
 * (or a refetch) then brings the server's copy of the same change by the usual rule. An answer never overrides what the
 * cache learnt later: an item the cache no longer has (deleted meanwhile) is not brought back, and one the cache holds
 * with a newer `updatedAt` is kept.
 */

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

function putItem(items: Item[], answer: Item, includeChecked: boolean, create: boolean): Item[] {
  const index = items.findIndex((it) => sameId(it.id, answer.id));
  if (index < 0) return create && (includeChecked || !answer.checked) ? [...items, answer] : items;
  if (items[index]!.updatedAt > answer.updatedAt) return items;
  if (!includeChecked && answer.checked) return items.filter((_, i) => i !== index);
  const copy = items.slice();
  copy[index] = answer;
  return copy;
}

const isItem = (answer: unknown): answer is Item =>
  !!answer && typeof answer === 'object' && 'id' in answer && 'checked' in answer;

export function applyConfirmed(client: QueryClient, write: QueuedWrite, answer: unknown): void {
  const { listId, op } = write;
  switch (op.type) {
    case 'createItem':
    case 'updateItem':
    case 'setChecked':
      if (isItem(answer)) {
        patchItems(client, listId, (items, includeChecked) => putItem(items, answer, includeChecked, op.type === 'createItem'));
      }
      return;
    case 'deleteItem':
      patchItems(client, listId, (items) => items.filter((it) => !sameId(it.id, op.itemId)));
      return;
    case 'clearChecked': {
      const gone = new Set(((answer as { deletedIds?: Id[] } | undefined)?.deletedIds ?? []).map(String));
      patchItems(client, listId, (items) => items.filter((it) => !gone.has(String(it.id))));
      return;
    }
    case 'createCategory':
    case 'updateCategory': {
      const category = answer as Category | undefined;
      if (!category?.id) return;
      patchCategories(client, listId, (categories) => {
        const index = categories.findIndex((c) => sameId(c.id, category.id));
        if (index < 0) return op.type === 'createCategory' ? [...categories, category] : categories;
        return categories.map((c, i) => (i === index ? category : c));
      });
      return;
    }
    case 'deleteCategory':
      patchCategories(client, listId, (categories) => categories.filter((c) => !sameId(c.id, op.categoryId)));
      patchItems(client, listId, (items) =>
        items.map((it) => (sameId(it.categoryId, op.categoryId) ? { ...it, categoryId: null } : it)));
      return;
  }
}
