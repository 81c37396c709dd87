import type { CategoryPatch, Id, ItemPatch, NewItem } from '../api/types';

/** One change the user made, as the outbox keeps it until the server has it. Plain data: it lives in IndexedDB. */
export type WriteOp =
  | { type: 'createItem'; item: NewItem & { id: string } }
  | { type: 'updateItem'; itemId: Id; patch: ItemPatch }
  /** Absolute (contract 1.1): replaying it, or sending it after another device's toggle, is harmless. */
  | { type: 'setChecked'; itemId: Id; checked: boolean }
  | { type: 'deleteItem'; itemId: Id }
  | { type: 'clearChecked' }
  | { type: 'createCategory'; category: { id: string; name: string; position?: number } }
  | { type: 'updateCategory'; categoryId: Id; patch: CategoryPatch }
  | { type: 'deleteCategory'; categoryId: Id };

export interface QueuedWrite {
  /** The store key: sorts in the order the writes were made (time, then a per-tab counter, then the tab). */
  key: string;
  listId: string;
  /** Whose write it is: only that user's session sends it. */
  userId: string;
  /** Sent with every attempt: a retry after a lost answer is replayed by the server, never applied twice. */
  idempotencyKey: string;
  op: WriteOp;
  /** What the change was, in words, for the message when the server refuses it ("checking Milk"). */
  label: string;
  createdAt: number;
}

let counter = 0;
const tab = Math.random().toString(36).slice(2, 8);

/** A store key that sorts by creation: within one tab strictly, across tabs by the millisecond. */
export function writeKey(now: number): string {
  counter += 1;
  return `${String(now).padStart(15, '0')}-${String(counter).padStart(9, '0')}-${tab}`;
}

/** The lower-case UUID contract 1.1 asks for (client-chosen ids and idempotency keys). */
export function newUuid(): string {
  return crypto.randomUUID().toLowerCase();
}
