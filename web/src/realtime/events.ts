import type { Category, Id, Item, ShoppingList, Viewer } from '../api/types';

/** A change event as the server sends it: `version` is the list version right after the change. */
interface EventBase<T extends string, D> {
  type: T;
  listId: Id;
  version: number;
  data: D;
  actorId?: Id;
  ts?: string;
}

export type ListEvent =
  | EventBase<'item_created' | 'item_updated' | 'item_checked' | 'item_unchecked', Item>
  | EventBase<'item_deleted', { id: Id }>
  | EventBase<'items_bulk_deleted', { itemIds: Id[] }>
  | EventBase<'category_created' | 'category_updated', Category>
  | EventBase<'category_deleted', { id: Id }>
  | EventBase<'list_updated', ShoppingList>;

export type ListEventType = ListEvent['type'];

export type ServerMessage =
  | ListEvent
  /** `viewers` only when the socket asked for presence (contract 1.1). */
  | { type: 'hello'; listId: Id; version: number; viewers?: Viewer[] }
  | { type: 'presence'; listId: Id; viewers: Viewer[] }
  | { type: 'resync'; version: number }
  | { type: 'ping' }
  | { type: 'pong' };

const EVENT_TYPES: ReadonlySet<string> = new Set<ListEventType>([
  'item_created', 'item_updated', 'item_deleted', 'item_checked', 'item_unchecked', 'items_bulk_deleted',
  'category_created', 'category_updated', 'category_deleted', 'list_updated',
]);

export function isListEvent(message: ServerMessage): message is ListEvent {
  return EVENT_TYPES.has(message.type);
}

/** Parses one text frame; null for anything that is not a JSON object with a string `type` (it is then ignored). */
export function parseMessage(text: string): ServerMessage | null {
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && typeof (value as { type?: unknown }).type === 'string') {
      return value as ServerMessage;
    }
  } catch {
    // fall through
  }
  return null;
}

/** Close codes from the contract. */
export const CloseCode = {
  GoingAway: 1001,
  PolicyViolation: 1008,
  Unauthorized: 4401,
  Forbidden: 4403,
  NotFound: 4404,
  MissedPings: 4408,
} as const;
