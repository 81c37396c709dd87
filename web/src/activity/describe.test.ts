import { describe, expect, it } from 'vitest';
import { describeEvent, timeAgo, type Names } from './describe';

const names = (actor: string, items: Record<string, string> = {}): Names => ({
  actor, item: (id) => items[String(id)] ?? null, category: () => 'Dairy',
});

describe('describeEvent', () => {
  it('says who did what to which item', () => {
    expect(describeEvent('item_checked', { id: 'm', name: 'Milk' }, names('Bob'))).toBe('Bob checked Milk');
    expect(describeEvent('item_created', { id: 'm', name: 'Milk' }, names('You'))).toBe('You added Milk');
    expect(describeEvent('item_unchecked', { id: 'm', name: 'Milk' }, names('Ann'))).toBe('Ann unchecked Milk');
    expect(describeEvent('list_updated', { name: 'Camping' }, names('Cy'))).toBe('Cy renamed the list to Camping');
  });

  it('names deleted items from what the screen still knows, and counts bulk deletes', () => {
    expect(describeEvent('item_deleted', { id: 'm' }, names('Bob', { m: 'Milk' }))).toBe('Bob deleted Milk');
    expect(describeEvent('item_deleted', { id: 'x' }, names('Bob'))).toBe('Bob deleted an item');
    expect(describeEvent('items_bulk_deleted', { itemIds: [1, 2, 3, 4, 5, 6, 7] }, names('Ann')))
      .toBe('Ann cleared 7 checked items');
    expect(describeEvent('items_bulk_deleted', { itemIds: [1] }, names('Ann'))).toBe('Ann cleared 1 checked item');
    expect(describeEvent('category_deleted', { id: 'd' }, names('Ann'))).toBe('Ann deleted the category Dairy');
  });
});

describe('timeAgo', () => {
  const now = Date.parse('2026-12-01T12:00:00.000Z');
  it('is short and relative', () => {
    expect(timeAgo('2026-12-01T11:59:50.000Z', now)).toBe('just now');
    expect(timeAgo('2026-12-01T11:58:00.000Z', now)).toMatch(/2 min/);
    expect(timeAgo('2026-12-01T09:00:00.000Z', now)).toMatch(/3 hr/);
    expect(timeAgo('2026-11-30T11:00:00.000Z', now)).toMatch(/yesterday|1 day/);
  });
});
