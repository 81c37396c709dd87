import type { ShoppingList } from '../api/types';

export interface CountsText {
  /** Short, on the card: "3 of 12 left". */
  shown: string;
  /** Whole, for screen readers: "3 of 12 items left to check, 9 checked". */
  spoken: string;
}

/** The counts of a list in words; null when the server sent none (a 1.0 server). */
export function describeCounts(list: Pick<ShoppingList, 'itemCount' | 'checkedCount'>): CountsText | null {
  const total = list.itemCount;
  const checked = list.checkedCount;
  if (typeof total !== 'number' || typeof checked !== 'number') return null;
  const items = (n: number) => `${n} ${n === 1 ? 'item' : 'items'}`;
  if (total === 0) return { shown: 'No items', spoken: 'No items yet' };
  const left = Math.max(0, total - checked);
  if (left === 0) return { shown: `All ${total} done`, spoken: `All ${items(total)} checked` };
  return { shown: `${left} of ${total} left`, spoken: `${left} of ${items(total)} left to check, ${checked} checked` };
}
