import type { Id, ShoppingList } from '../api/types';

/** The frames of the user's own socket, `GET /api/v1/ws/me` (contract 1.1). */
export type OverviewFrame =
  | { type: 'hello'; userId: Id }
  | { type: 'list_added' | 'list_changed'; data: ShoppingList }
  | { type: 'list_removed'; data: { id: Id } }
  | { type: 'ping' }
  | { type: 'pong' };

/** Parses one text frame; null for anything malformed or unknown (ignored, so a newer server can add frames). */
export function parseOverviewFrame(text: string): OverviewFrame | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!value || typeof value !== 'object') return null;
  const frame = value as { type?: unknown; data?: { id?: unknown } };
  switch (frame.type) {
    case 'hello':
    case 'ping':
    case 'pong':
      return frame as OverviewFrame;
    case 'list_added':
    case 'list_changed':
    case 'list_removed':
      return frame.data && (typeof frame.data.id === 'string' || typeof frame.data.id === 'number')
        ? (frame as OverviewFrame)
        : null;
    default:
      return null;
  }
}
