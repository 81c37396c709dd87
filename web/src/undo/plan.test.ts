import { describe, expect, it } from 'vitest';
import type { Category, Item } from '../api/types';
import { planUndo, type UndoAction } from './plan';

const item = (id: string, over: Partial<Item> = {}): Item => ({
  id, listId: 'L', name: id, quantity: null, note: null, categoryId: null, position: 0, checked: false,
  checkedAt: null, createdAt: '2026-12-01T10:00:00.000Z', updatedAt: '2026-12-01T10:00:00.000Z', ...over,
});
const dairy: Category = { id: 'dairy', listId: 'L', name: 'Dairy', position: 0 };

const none: ReadonlySet<string> = new Set();

describe('undo of a check', () => {
  const before = item('milk');
  const checked = item('milk', { checked: true, updatedAt: '2026-12-01T11:00:00.000Z' });
  const action: UndoAction = { kind: 'check', before, checked: true };

  it('unchecks while nobody else touched the item since', () => {
    expect(planUndo(action, { items: [checked], categories: [], touchedByOthers: none }))
      .toEqual({ writes: [{ type: 'setChecked', itemId: 'milk', checked: false }], skipped: [] });
  });

  it('works while the check itself is still waiting to be sent (offline): the inverse is queued after it', () => {
    expect(planUndo(action, { items: [before], categories: [], touchedByOthers: none }).writes).toHaveLength(1);
  });

  it("leaves someone else's later change alone (unchecked, re-checked, edited or moved it), and a deleted item", () => {
    const touched = new Set(['milk']);
    expect(planUndo(action, { items: [checked], categories: [], touchedByOthers: touched }))
      .toEqual({ writes: [], skipped: ['milk'] });
    expect(planUndo(action, { items: [], categories: [], touchedByOthers: none }).skipped).toEqual(['milk']);
  });
});

describe('undo of deletes (one item, or "Clear checked")', () => {
  it('re-creates each item with its old id and fields, then its checked state and position', () => {
    const bread = item('bread', { position: 1024, checked: true, quantity: '1', note: 'rye', categoryId: 'dairy' });
    const stays = item('cheese', { position: 2048, categoryId: 'dairy' });
    const plan = planUndo({ kind: 'delete', items: [bread] }, { items: [stays], categories: [dairy], touchedByOthers: none });
    expect(plan.writes).toEqual([
      { type: 'create', item: { ...bread, checked: false } },
      { type: 'setChecked', itemId: 'bread', checked: true },
      { type: 'update', itemId: 'bread', patch: { position: 1024 } },
    ]);
  });

  it('puts an uncategorized item back between its old neighbours', () => {
    const middle = item('tea', { position: 1024 });
    const plan = planUndo({ kind: 'delete', items: [middle] },
      { items: [item('a', { position: 0 }), item('b', { position: 2048 })], categories: [], touchedByOthers: none });
    expect(plan.writes.map((w) => w.type)).toEqual(['create', 'update']);
  });

  it('skips the position write for an item that was last in its category', () => {
    const last = item('eggs', { position: 4096 });
    const plan = planUndo({ kind: 'delete', items: [last] }, { items: [item('a', { position: 0 })], categories: [], touchedByOthers: none });
    expect(plan.writes.map((w) => w.type)).toEqual(['create']);
  });

  it('brings an item back uncategorized when its category is gone, and skips one that is back already', () => {
    const gone = item('yogurt', { categoryId: 'dairy' });
    const back = item('jam');
    const plan = planUndo({ kind: 'delete', items: [gone, back] }, { items: [back], categories: [], touchedByOthers: none });
    expect(plan.writes).toEqual([{ type: 'create', item: { ...gone, categoryId: null } }]);
    expect(plan.skipped).toEqual(['jam']);
  });
});

describe('undo of a category delete', () => {
  it('restores the category and moves back only the items still uncategorized', () => {
    const milk = item('milk', { position: 0 });
    const movedSince = item('butter', { categoryId: 'bakery' });
    const bobMovedBack = item('cheese', { position: 9 });
    const plan = planUndo({ kind: 'deleteCategory', category: dairy, itemIds: ['milk', 'butter', 'gone', 'cheese'] },
      { items: [milk, movedSince, bobMovedBack], categories: [], touchedByOthers: new Set(['cheese']) });
    expect(plan.writes).toEqual([
      { type: 'restoreCategory', category: dairy },
      { type: 'update', itemId: 'milk', patch: { categoryId: 'dairy', position: 0 } },
    ]);
    expect(plan.skipped).toEqual(['butter', 'cheese']);
  });

  it('does nothing when the category is back already', () => {
    expect(planUndo({ kind: 'deleteCategory', category: dairy, itemIds: [] }, { items: [], categories: [dairy], touchedByOthers: none }).writes)
      .toEqual([]);
  });
});
