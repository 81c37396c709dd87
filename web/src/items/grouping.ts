import type { Category, Id, Item } from '../api/types';

export function byPosition<T extends { position: number; id: Id }>(a: T, b: T): number {
  return a.position - b.position || String(a.id).localeCompare(String(b.id), undefined, { numeric: true });
}

export interface ItemGroup {
  /** Null for the "Uncategorized" group. */
  category: Category | null;
  items: Item[];
}

/**
 * Items grouped by category in category order, uncategorized last; within a group unchecked items first, each part by
 * position. Items whose category is unknown (a category event still on its way) count as uncategorized for the moment.
 * Empty category groups are kept, so a fresh category is visible and can receive items.
 */
export function groupItems(items: readonly Item[], categories: readonly Category[]): ItemGroup[] {
  const sorted = [...categories].sort(byPosition);
  const groups = new Map<string, ItemGroup>(sorted.map((c) => [String(c.id), { category: c, items: [] }]));
  const uncategorized: ItemGroup = { category: null, items: [] };
  for (const item of items) {
    const group = item.categoryId == null ? undefined : groups.get(String(item.categoryId));
    (group ?? uncategorized).items.push(item);
  }
  const result = [...groups.values()];
  if (uncategorized.items.length > 0) result.push(uncategorized);
  for (const group of result) group.items.sort((a, b) => Number(a.checked) - Number(b.checked) || byPosition(a, b));
  return result;
}
