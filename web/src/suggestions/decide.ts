import type { Item } from '../api/types';

/** What adding a name should do, given what is on the list now. */
export type AddDecision =
  | { kind: 'add' }
  /** An unchecked item of that name is on the list: say so instead of adding a duplicate. */
  | { kind: 'onList'; item: Item }
  /** Only a checked one: uncheck it (it is needed again). */
  | { kind: 'uncheck'; item: Item };

export const nameKey = (name: string): string => name.trim().toLocaleLowerCase();

export function decideAdd(name: string, items: readonly Item[]): AddDecision {
  const key = nameKey(name);
  const same = items.filter((it) => nameKey(it.name) === key);
  const unchecked = same.find((it) => !it.checked);
  if (unchecked) return { kind: 'onList', item: unchecked };
  if (same[0]) return { kind: 'uncheck', item: same[0] };
  return { kind: 'add' };
}
