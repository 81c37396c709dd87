import { describe, expect, it } from 'vitest';
import { category, item } from '../test/fixtures';
import { groupItems } from './grouping';

describe('groupItems', () => {
  it('orders groups by category position with uncategorized last, unchecked items first', () => {
    const groups = groupItems(
      [
        item(1, { categoryId: 20 }), item(2), item(3, { categoryId: 10, checked: true }), item(4, { categoryId: 10 }),
        item(5, { categoryId: 99 }), // unknown category: shown as uncategorized rather than lost
      ],
      [category(20, { name: 'Bakery', position: 2 }), category(10, { name: 'Dairy', position: 1 }),
        category(30, { name: 'Empty', position: 3 })],
    );
    expect(groups.map((g) => [g.category?.name ?? null, g.items.map((i) => i.id)])).toEqual([
      ['Dairy', [4, 3]],
      ['Bakery', [1]],
      ['Empty', []],
      [null, [2, 5]],
    ]);
  });

  it('leaves out the uncategorized group when every item has a category', () => {
    expect(groupItems([item(1, { categoryId: 10 })], [category(10)]).map((g) => g.category?.id)).toEqual([10]);
  });
});
