import type { Category, Id, Item } from '../api/types';
import { sameId } from '../realtime/cache';
import type { QueuedWrite } from './writes';

/** An item or category as the screen shows it: `pending` while a change to it waits for the server. */
export type ShownItem = Item & { pending?: boolean };
export type ShownCategory = Category & { pending?: boolean };

/**
 * The screen's view: the server's state (the cache, kept live by the socket) with the writes still waiting applied on
 * top, in the order they were made. Because the overlay is recomputed from both, a socket event or a refetch can never
 * erase a waiting change, and a write leaves the overlay only when the server has confirmed (or refused) it.
 */
export function applyPending(items: readonly Item[], categories: readonly Category[], writes: readonly QueuedWrite[])
  : { items: ShownItem[]; categories: ShownCategory[] } {
  let shownItems: ShownItem[] = items.slice();
  let shownCategories: ShownCategory[] = categories.slice();
  const mapItem = (id: Id, change: (item: ShownItem) => ShownItem) => {
    shownItems = shownItems.map((it) => (sameId(it.id, id) ? { ...change(it), pending: true } : it));
  };
  for (const { op, listId, createdAt } of writes) {
    switch (op.type) {
      case 'createItem': {
        if (shownItems.some((it) => sameId(it.id, op.item.id))) break; // confirmed meanwhile: the cache has it
        const categoryId = op.item.categoryId ?? null;
        const last = Math.max(0, ...shownItems.filter((it) => sameId(it.categoryId, categoryId) || (it.categoryId == null
          && categoryId == null)).map((it) => it.position));
        const at = new Date(createdAt).toISOString();
        shownItems.push({
          id: op.item.id, listId, name: op.item.name, quantity: op.item.quantity ?? null, note: op.item.note ?? null,
          categoryId, position: last + 1, checked: false, checkedAt: null, createdAt: at, updatedAt: at, pending: true,
        });
        break;
      }
      case 'updateItem':
        mapItem(op.itemId, (it) => ({ ...it, ...op.patch }));
        break;
      case 'setChecked':
        mapItem(op.itemId, (it) => ({
          ...it, checked: op.checked, checkedAt: op.checked ? it.checkedAt ?? new Date(createdAt).toISOString() : null,
        }));
        break;
      case 'deleteItem':
        shownItems = shownItems.filter((it) => !sameId(it.id, op.itemId));
        break;
      case 'clearChecked':
        shownItems = shownItems.filter((it) => !it.checked);
        break;
      case 'createCategory':
        if (shownCategories.some((c) => sameId(c.id, op.category.id))) break;
        shownCategories.push({
          id: op.category.id, listId, name: op.category.name,
          position: op.category.position ?? Math.max(0, ...shownCategories.map((c) => c.position)) + 1, pending: true,
        });
        break;
      case 'updateCategory':
        shownCategories = shownCategories.map((c) => (sameId(c.id, op.categoryId) ? { ...c, ...op.patch, pending: true } : c));
        break;
      case 'deleteCategory':
        shownCategories = shownCategories.filter((c) => !sameId(c.id, op.categoryId));
        shownItems = shownItems.map((it) => (sameId(it.categoryId, op.categoryId) ? { ...it, categoryId: null } : it));
        break;
    }
  }
  return { items: shownItems, categories: shownCategories };
}
