import { QueryClient } from '@tanstack/react-query';
import { beforeEach, describe, expect, it } from 'vitest';
import { listKeys } from '../api/queryKeys';
import type { CategoriesPage, ItemsPage, ShoppingList } from '../api/types';
import { category, item, list, LIST_ID } from '../test/fixtures';
import { applyEvent, applyToItems, invalidateBehind, shownVersion } from './cache';
import type { ListEvent } from './events';

const ev = <E extends ListEvent>(e: Omit<E, 'listId'>): E => ({ listId: LIST_ID, ...e }) as E;

describe('applyToItems', () => {
  const page: ItemsPage = { version: 10, items: [item(1), item(2, { checked: true })] };

  it('adds a created item, once even when it is already there', () => {
    const created = item(3);
    const once = applyToItems(page, true, ev({ type: 'item_created', version: 11, data: created }));
    expect(once.items.map((i) => i.id)).toEqual([1, 2, 3]);
    expect(once.version).toBe(11);
    expect(applyToItems(once, true, ev({ type: 'item_created', version: 12, data: created })).items).toHaveLength(3);
  });

  it('does not add a created checked item to the list without checked items', () => {
    const next = applyToItems(page, false, ev({ type: 'item_created', version: 11, data: item(3, { checked: true }) }));
    expect(next.items.map((i) => i.id)).toEqual([1, 2]);
  });

  it('replaces an updated item with the server copy', () => {
    const next = applyToItems(page, true,
      ev({ type: 'item_updated', version: 11, data: item(1, { name: 'oat milk', quantity: '2 l' }) }));
    expect(next.items[0]).toMatchObject({ id: 1, name: 'oat milk', quantity: '2 l' });
  });

  it('keeps a checked item when checked items are shown, and drops it when they are not', () => {
    const checked = ev({ type: 'item_checked', version: 11, data: item(1, { checked: true }) });
    expect(applyToItems(page, true, checked).items.find((i) => i.id === 1)?.checked).toBe(true);
    expect(applyToItems(page, false, checked).items.map((i) => i.id)).toEqual([2]);
  });

  it('brings an unchecked item back into the list without checked items', () => {
    const hidden: ItemsPage = { version: 10, items: [item(1)] };
    const next = applyToItems(hidden, false, ev({ type: 'item_unchecked', version: 11, data: item(2) }));
    expect(next.items.map((i) => [i.id, i.checked])).toEqual([[1, false], [2, false]]);
  });

  it('removes deleted and bulk-deleted items', () => {
    expect(applyToItems(page, true, ev({ type: 'item_deleted', version: 11, data: { id: 2 } })).items.map((i) => i.id))
      .toEqual([1]);
    expect(applyToItems(page, true, ev({ type: 'items_bulk_deleted', version: 11, data: { itemIds: [1, 2] } })).items)
      .toEqual([]);
  });

  it('makes the items of a deleted category uncategorized', () => {
    const inCategory: ItemsPage = { version: 10, items: [item(1, { categoryId: 5 }), item(2, { categoryId: 6 })] };
    const next = applyToItems(inCategory, true, ev({ type: 'category_deleted', version: 11, data: { id: 5 } }));
    expect(next.items.map((i) => i.categoryId)).toEqual([null, 6]);
  });

  it('matches ids across string and number forms', () => {
    const next = applyToItems(page, true, ev({ type: 'item_deleted', version: 11, data: { id: '1' } }));
    expect(next.items.map((i) => i.id)).toEqual([2]);
  });
});

describe('applyEvent on the query cache', () => {
  let client: QueryClient;
  const itemsKey = listKeys.items(LIST_ID, true);
  const uncheckedKey = listKeys.items(LIST_ID, false);
  const categoriesKey = listKeys.categories(LIST_ID);
  const detailKey = listKeys.detail(LIST_ID);

  beforeEach(() => {
    client = new QueryClient();
    client.setQueryData<ItemsPage>(itemsKey, { version: 10, items: [item(1), item(2, { checked: true })] });
    client.setQueryData<ItemsPage>(uncheckedKey, { version: 10, items: [item(1)] });
    client.setQueryData<CategoriesPage>(categoriesKey, { version: 10, categories: [category(5)] });
    client.setQueryData<ShoppingList>(detailKey, list({ version: 10 }));
    client.setQueryData<ShoppingList[]>(listKeys.overview(), [list({ version: 10 }), list({ id: 8, name: 'Other' })]);
  });

  const items = (key: readonly unknown[]) => client.getQueryData<ItemsPage>(key);
  const invalidated = (key: readonly unknown[]) => client.getQueryState(key)?.isInvalidated ?? false;

  it('applies the next version to both item variants, categories and the detail', () => {
    applyEvent(client, LIST_ID, ev({ type: 'item_checked', version: 11, data: item(1, { checked: true }) }));
    expect(items(itemsKey)).toEqual({ version: 11, items: [item(1, { checked: true }), item(2, { checked: true })] });
    expect(items(uncheckedKey)).toEqual({ version: 11, items: [] });
    expect(client.getQueryData<CategoriesPage>(categoriesKey)?.version).toBe(11);
    expect(client.getQueryData<ShoppingList>(detailKey)?.version).toBe(11);
    expect([itemsKey, uncheckedKey, categoriesKey, detailKey].some(invalidated)).toBe(false);
  });

  it('ignores an event the cache already has', () => {
    applyEvent(client, LIST_ID, ev({ type: 'item_deleted', version: 10, data: { id: 1 } }));
    expect(items(itemsKey)?.items.map((i) => i.id)).toEqual([1, 2]);
    expect(invalidated(itemsKey)).toBe(false);
  });

  it('invalidates instead of applying when versions are missing (a gap)', () => {
    applyEvent(client, LIST_ID, ev({ type: 'item_deleted', version: 12, data: { id: 1 } }));
    expect(items(itemsKey)).toEqual({ version: 10, items: [item(1), item(2, { checked: true })] });
    for (const key of [itemsKey, uncheckedKey, categoriesKey, detailKey]) expect(invalidated(key)).toBe(true);
  });

  it('applies to entries at the previous version and refetches only the ones further behind', () => {
    client.setQueryData<ItemsPage>(uncheckedKey, { version: 8, items: [item(1)] });
    applyEvent(client, LIST_ID, ev({ type: 'item_created', version: 11, data: item(3) }));
    expect(items(itemsKey)?.items.map((i) => i.id)).toEqual([1, 2, 3]);
    expect(invalidated(itemsKey)).toBe(false);
    expect(invalidated(uncheckedKey)).toBe(true);
  });

  it('applies category events to categories and, for deletes, to the items', () => {
    client.setQueryData<ItemsPage>(itemsKey, { version: 10, items: [item(1, { categoryId: 5 })] });
    applyEvent(client, LIST_ID, ev({ type: 'category_created', version: 11, data: category(6, { name: 'Bakery' }) }));
    applyEvent(client, LIST_ID, ev({ type: 'category_updated', version: 12, data: category(5, { name: 'Dairy' }) }));
    expect(client.getQueryData<CategoriesPage>(categoriesKey)?.categories.map((c) => c.name)).toEqual(['Dairy', 'Bakery']);
    applyEvent(client, LIST_ID, ev({ type: 'category_deleted', version: 13, data: { id: 5 } }));
    expect(client.getQueryData<CategoriesPage>(categoriesKey)).toEqual({ version: 13, categories: [category(6, { name: 'Bakery' })] });
    expect(items(itemsKey)).toEqual({ version: 13, items: [item(1, { categoryId: null })] });
  });

  it('renames the list in its detail and in the overview, keeping the caller\'s role', () => {
    applyEvent(client, LIST_ID, ev({ type: 'list_updated', version: 11, data: list({ name: 'Party', role: 'owner', version: 11 }) }));
    expect(client.getQueryData<ShoppingList>(detailKey)).toMatchObject({ name: 'Party', role: 'editor', version: 11 });
    const overview = client.getQueryData<ShoppingList[]>(listKeys.overview());
    expect(overview?.map((l) => [l.name, l.role])).toEqual([['Party', 'editor'], ['Other', 'editor']]);
  });

  it('leaves other lists alone', () => {
    const otherKey = listKeys.items(8, true);
    client.setQueryData<ItemsPage>(otherKey, { version: 10, items: [item(1)] });
    applyEvent(client, LIST_ID, ev({ type: 'item_deleted', version: 11, data: { id: 1 } }));
    expect(items(otherKey)?.items).toHaveLength(1);
  });

  it('refetches exactly the entries older than a version', () => {
    client.setQueryData<CategoriesPage>(categoriesKey, { version: 12, categories: [] });
    expect(invalidateBehind(client, LIST_ID, 12)).toBe(3);
    expect(invalidated(categoriesKey)).toBe(false);
    expect(invalidated(itemsKey)).toBe(true);
  });

  it('reports the oldest version on screen, or null while something is still loading', () => {
    client.setQueryData<CategoriesPage>(categoriesKey, { version: 12, categories: [] });
    expect(shownVersion(client, LIST_ID, true)).toBe(10);
    client.removeQueries({ queryKey: detailKey });
    expect(shownVersion(client, LIST_ID, true)).toBeNull();
  });

  it('ends equal to the server after any order of duplicates and one gap', () => {
    // The server's history: 11 create 3, 12 check 1, 13 delete 2, 14 rename 3.
    const history: ListEvent[] = [
      ev({ type: 'item_created', version: 11, data: item(3) }),
      ev({ type: 'item_checked', version: 12, data: item(1, { checked: true }) }),
      ev({ type: 'item_deleted', version: 13, data: { id: 2 } }),
      ev({ type: 'item_updated', version: 14, data: item(3, { name: 'bread' }) }),
    ];
    const [e11, e12, e13, e14] = history as [ListEvent, ListEvent, ListEvent, ListEvent];
    // Delivery: 11, 11 again, 13 (gap: 12 lost), then a refetch answering version 13, then 12 again and 14.
    for (const event of [e11, e11, e13]) applyEvent(client, LIST_ID, event);
    expect(invalidated(itemsKey)).toBe(true);
    client.setQueryData<ItemsPage>(itemsKey, { version: 13, items: [item(1, { checked: true }), item(3)] });
    for (const event of [e12, e14]) applyEvent(client, LIST_ID, event);
    expect(items(itemsKey)).toEqual({ version: 14, items: [item(1, { checked: true }), item(3, { name: 'bread' })] });
  });
});
