import { describe, expect, it } from 'vitest';
import { category, item, LIST_ID } from '../test/fixtures';
import { applyPending } from './overlay';
import type { QueuedWrite, WriteOp } from './writes';

let seq = 0;
const w = (op: WriteOp): QueuedWrite => ({
  key: String(++seq).padStart(4, '0'), listId: String(LIST_ID), userId: 'u1', idempotencyKey: `k${seq}`, op, label: '',
  createdAt: Date.parse('2026-12-01T10:00:00Z'),
});

describe('the pending overlay', () => {
  it('shows waiting creates, edits, toggles and deletes on top of the server state, in order', () => {
    const shown = applyPending([item(1), item(2), item(3)], [category(5)], [
      w({ type: 'createCategory', category: { id: 'c-new', name: 'Bakery' } }),
      w({ type: 'createItem', item: { id: 'i-new', name: 'Bread', categoryId: 'c-new' } }),
      w({ type: 'setChecked', itemId: 1, checked: true }),
      w({ type: 'setChecked', itemId: 1, checked: false }),
      w({ type: 'setChecked', itemId: 1, checked: true }),
      w({ type: 'updateItem', itemId: 2, patch: { quantity: '2' } }),
      w({ type: 'deleteItem', itemId: 3 }),
      w({ type: 'setChecked', itemId: 'i-new', checked: true }),
    ]);
    expect(shown.items.map((i) => [i.id, i.checked, i.quantity, i.pending ?? false])).toEqual([
      [1, true, null, true], [2, false, '2', true], ['i-new', true, null, true],
    ]);
    expect(shown.items.find((i) => i.id === 'i-new')?.categoryId).toBe('c-new');
    expect(shown.categories.map((c) => [c.id, c.pending ?? false])).toEqual([[5, false], ['c-new', true]]);
  });

  it('does not add a create twice once the server state has it', () => {
    const shown = applyPending([item(1), item(9, { id: 'i-new' as never, name: 'Bread' })], [],
      [w({ type: 'createItem', item: { id: 'i-new', name: 'Bread' } })]);
    expect(shown.items.filter((i) => i.id === 'i-new')).toHaveLength(1);
  });

  it('moves the items of a category deleted offline to no category', () => {
    const shown = applyPending([item(1, { categoryId: 5 })], [category(5)], [w({ type: 'deleteCategory', categoryId: 5 })]);
    expect(shown.items[0]?.categoryId).toBeNull();
    expect(shown.categories).toEqual([]);
  });
});
