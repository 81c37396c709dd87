import type { Category, Item, ShoppingList } from '../api/types';

export const LIST_ID = 7;

export function item(id: number, overrides: Partial<Item> = {}): Item {
  return {
    id, listId: LIST_ID, name: `item ${id}`, quantity: null, note: null, categoryId: null, position: id,
    checked: false, checkedAt: null, createdAt: '2026-11-25T10:00:00.000Z', updatedAt: '2026-11-25T10:00:00.000Z',
    ...overrides,
  };
}

export function category(id: number, overrides: Partial<Category> = {}): Category {
  return { id, listId: LIST_ID, name: `category ${id}`, position: id, ...overrides };
}

export function list(overrides: Partial<ShoppingList> = {}): ShoppingList {
  return {
    id: LIST_ID, name: 'Groceries', role: 'editor', version: 10,
    createdAt: '2026-11-25T10:00:00.000Z', updatedAt: '2026-11-25T10:00:00.000Z', ...overrides,
  };
}
