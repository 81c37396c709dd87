import { describe, expect, it } from 'vitest';
import type { Category, Item } from '../api/types';
import { planUndo, type UndoAction } from './plan';

const item = (id: string, over: Partial<Item> = {}): Item => ({
  id, listId: 'L', name: id, quantity: null, note: null, categoryId: null, position: 0, checked: false,
  checkedAt: null, createdAt: '2026-12-01T10:00:00.000Z', updatedAt: '2026-12-01T10:00:00.000Z', ...over,
});
const dairy: Category = { id: 'dairy', listId: 'L', name: 'Dairy', position: 0 };

describe('undo of a check', () => {
  const before = item('milk');
  const answer = item('milk', { checked: true, checkedAt: '2026-12-01T11:00:00.000Z', updatedAt: '2026-12-01T11:00:00.000Z' });
  const action: UndoAction = { kind: 'check', before, checked: true, after: answer };

  it('unchecks while the item is as the check left it', () => {
    expect(planUndo(action, { items: [answer], categories: [] }))
      .toEqual({ writes: [{ type: 'setChecked', itemId: 'milk', checked: false }], skipped: [] });
  });

  it('also while the cache still shows the optimistic state (the echo is not in yet)', () => {
    const optimistic = { ...before, checked: true };
    expect(planUndo(action, { items: [optimistic], categories: [] }).writes).toHaveLength(1);
  });

  it('works before the answer arrives (offline): the item shows the state we gave it', () => {
    const pending: UndoAction = { ...action, after: null };
    expect(planUndo(pending, { items: [{ ...before, checked: true }], categories: [] }).writes).toHaveLength(1);
  });

  it("leaves someone else's later change alone: unchecked, re-checked or edited since", () => {
    const bobUnchecked = { ...answer, checked: false, updatedAt: '2026-12-01T11:00:05.000Z' };
    const bobRechecked = { ...answer, updatedAt: '2026-12-01T11:00:09.000Z' };
    const bobEdited = { ...answer, note: 'the big one', updatedAt: '2026-12-01T11:00:07.000Z' };
    for (const now of [bobUnchecked, bobRechecked, bobEdited]) {
      expect(planUndo(action, { items: [now], categories: [] })).toEqual({ writes: [], skipped: ['milk'] });
    }
    expect(planUndo(action, { items: [], categories: [] }).skipped).toEqual(['milk']);
  });
});

describe('undo of deletes (one item, or "Clear checked")', () => {
  it('re-creates each item with its old id and fields, then its checked state and position', () => {
    const bread = item('bread', { position: 1024, checked: true, quantity: '1', note: 'rye', categoryId: 'dairy' });
    const stays = item('cheese', { position: 2048, categoryId: 'dairy' });
    const plan = planUndo({ kind: 'delete', items: [bread] }, { items: [stays], categories: [dairy] });
    expect(plan.writes).toEqual([
      { type: 'create', item: { ...bread, checked: false } },
      { type: 'setChecked', itemId: 'bread', checked: true },
      { type: 'update', itemId: 'bread', patch: { position: 1024 } },
    ]);
  });

  it('puts an uncategorized item back between its old neighbours', () => {
    const middle = item('tea', { position: 1024 });
    const plan = planUndo({ kind: 'delete', items: [middle] },
      { items: [item('a', { position: 0 }), item('b', { position: 2048 })], categories: [] });
    expect(plan.writes.map((w) => w.type)).toEqual(['create', 'update']);
  });

  it('skips the position write for an item that was last in its category', () => {
    const last = item('eggs', { position: 4096 });
    const plan = planUndo({ kind: 'delete', items: [last] }, { items: [item('a', { position: 0 })], categories: [] });
    expect(plan.writes.map((w) => w.type)).toEqual(['create']);
  });

  it('brings an item back uncategorized when its category is gone, and skips one that is back already', () => {
    const gone = item('yogurt', { categoryId: 'dairy' });
    const back = item('jam');
    const plan = planUndo({ kind: 'delete', items: [gone, back] }, { items: [back], categories: [] });
    expect(plan.writes).toEqual([{ type: 'create', item: { ...gone, categoryId: null } }]);
    expect(plan.skipped).toEqual(['jam']);
  });
});

describe('undo of a category delete', () => {
  it('restores the category and moves back only the items still uncategorized', () => {
    const milk = item('milk', { position: 0 });
    const movedSince = item('butter', { categoryId: 'bakery' });
    const plan = planUndo({ kind: 'deleteCategory', category: dairy, itemIds: ['milk', 'butter', 'gone'] },
      { items: [milk, movedSince], categories: [] });
    expect(plan.writes).toEqual([
      { type: 'restoreCategory', category: dairy },
      { type: 'update', itemId: 'milk', patch: { categoryId: 'dairy', position: 0 } },
    ]);
    expect(plan.skipped).toEqual(['butter']);
  });

  it('does nothing when the category is back already', () => {
    expect(planUndo({ kind: 'deleteCategory', category: dairy, itemIds: [] }, { items: [], categories: [dairy] }).writes)
      .toEqual([]);
  });
});
