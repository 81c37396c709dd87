import type { ShoppingList } from '../api/types';
import { describeCounts } from './counts';

/** "3 of 12 left" on a list card; screen readers hear the whole sentence (the card's link is described by it). */
export function ListCounts({ list, id }: { list: ShoppingList; id: string }) {
  const counts = describeCounts(list);
  if (!counts) return null;
  return (
    <p className="list-counts muted" id={id} data-testid="list-counts" data-items={list.itemCount}
      data-checked={list.checkedCount}>
      <span aria-hidden="true">{counts.shown}</span>
      <span className="visually-hidden">{counts.spoken}</span>
    </p>
  );
}
