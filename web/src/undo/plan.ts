import type { Category, Id, Item, ItemPatch } from '../api/types';
import { sameId } from '../realtime/cache';

/*
 * Undo makes the inverse change, as more ordinary writes (so it is queued like any other write when offline), and it
 * never reverses someone else's later change. The rule: an item is put back only if nobody else has changed it since
 * your change, judged from the cached state and the events the page received since (the socket keeps both current;
 * each event names its actor):
 *   - check / uncheck: the item still exists and no event of another member touched it since your change (checked,
 *     unchecked, renamed, moved, deleted it); otherwise it is left alone and the toast says so.
 *   - delete and "Clear checked": each item comes back with its old id and fields (and checked state, category and
 *     position) unless it is back already; if its category is gone meanwhile, it comes back uncategorized.
 *   - category delete: the category comes back with its old id, name and position, and each of its former items
 *     returns to it only if it is still uncategorized, as the delete left it (an item moved elsewhere since stays).
 */

/** What can be undone; recorded when the change is made. */
export type UndoAction = (
  | {
    kind: 'check';
    /** The item before the change. */
    before: Item;
    checked: boolean;
  }
  | { kind: 'delete'; items: Item[] }
  | { kind: 'deleteCategory'; category: Category; itemIds: Id[] }
) & {
  /**
   * Settles when the change itself has been sent (or has failed). The inverse waits for it, so it always reaches the
   * server after the change, even when both were queued offline.
   */
  settled?: Promise<unknown>;
};

/** One write of an inverse change, sent with the same hooks as any other write. */
export type UndoWrite =
  | { type: 'setChecked'; itemId: Id; checked: boolean }
  | { type: 'create'; item: Item }
  | { type: 'update'; itemId: Id; patch: ItemPatch }
  | { type: 'restoreCategory'; category: Category };

export interface UndoPlan {
  writes: UndoWrite[];
  /** Names of the things left alone because they changed since (or are back already). */
  skipped: string[];
}

export interface CachedState {
  items: readonly Item[];
  categories: readonly Category[];
  /** Ids of the items that events of other members touched since the change. */
  touchedByOthers: ReadonlySet<string>;
}

export function planUndo(action: UndoAction, state: CachedState): UndoPlan {
  switch (action.kind) {
    case 'check':
      return undoCheck(action, state);
    case 'delete':
      return undoDelete(action.items, state);
    case 'deleteCategory':
      return undoCategoryDelete(action.category, action.itemIds, state);
  }
}

function undoCheck(action: Extract<UndoAction, { kind: 'check' }>, state: CachedState): UndoPlan {
  const current = state.items.find((it) => sameId(it.id, action.before.id));
  if (!current || state.touchedByOthers.has(String(current.id))) return { writes: [], skipped: [action.before.name] };
  return { writes: [{ type: 'setChecked', itemId: current.id, checked: !action.checked }], skipped: [] };
}

function undoDelete(items: readonly Item[], state: CachedState): UndoPlan {
  const writes: UndoWrite[] = [];
  const skipped: string[] = [];
  // in position order, so items that come back at the end of a category keep their order among themselves
  for (const item of [...items].sort((a, b) => a.position - b.position)) {
    if (state.items.some((it) => sameId(it.id, item.id))) {
      skipped.push(item.name);
      continue;
    }
    const categoryId = item.categoryId != null && state.categories.some((c) => sameId(c.id, item.categoryId))
      ? item.categoryId : null;
    writes.push({ type: 'create', item: { ...item, categoryId, checked: false } });
    if (item.checked) writes.push({ type: 'setChecked', itemId: item.id, checked: true });
    // A create goes to the end of its category; only an item that was not last needs its position back.
    const wasBefore = state.items.some((it) => sameCategory(it.categoryId, categoryId) && it.position > item.position);
    if (wasBefore) writes.push({ type: 'update', itemId: item.id, patch: { position: item.position } });
  }
  return { writes, skipped };
}

function undoCategoryDelete(category: Category, itemIds: readonly Id[], state: CachedState): UndoPlan {
  if (state.categories.some((c) => sameId(c.id, category.id))) return { writes: [], skipped: [category.name] };
  const writes: UndoWrite[] = [{ type: 'restoreCategory', category }];
  const skipped: string[] = [];
  for (const id of itemIds) {
    const current = state.items.find((it) => sameId(it.id, id));
    if (!current) continue; // deleted since: nothing to put back
    if (current.categoryId != null || state.touchedByOthers.has(String(current.id))) {
      skipped.push(current.name);
      continue;
    }
    writes.push({ type: 'update', itemId: current.id, patch: { categoryId: category.id, position: current.position } });
  }
  return { writes, skipped };
}

/** Both in the same category, or both uncategorized. */
function sameCategory(a: Id | null, b: Id | null): boolean {
  return a == null ? b == null : sameId(a, b);
}
