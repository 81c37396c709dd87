import type { Id } from '../api/types';

/** How to name the things an event touches, from what the screen knows. */
export interface Names {
  /** "Bob", or "You" for the reader's own changes. */
  actor: string;
  /** An item's name by id, for events that carry only the id (deletes); null when nobody knows it any more. */
  item: (id: Id) => string | null;
  category: (id: Id) => string | null;
}

type Data = Record<string, unknown>;

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * One change in words, the same for the history panel and for the screen-reader announcements:
 * "Bob checked Milk", "Ann cleared 7 checked items", "Cy renamed the list to Camping".
 */
export function describeEvent(type: string, data: Data, names: Names): string {
  const who = names.actor;
  switch (type) {
    case 'item_created':
      return `${who} added ${text(data.name)}`;
    case 'item_updated':
      return `${who} changed ${text(data.name)}`;
    case 'item_checked':
      return `${who} checked ${text(data.name)}`;
    case 'item_unchecked':
      return `${who} unchecked ${text(data.name)}`;
    case 'item_deleted': {
      const name = names.item(data.id as Id);
      return name ? `${who} deleted ${name}` : `${who} deleted an item`;
    }
    case 'items_bulk_deleted': {
      const count = Array.isArray(data.itemIds) ? data.itemIds.length : 0;
      return `${who} cleared ${count} checked ${count === 1 ? 'item' : 'items'}`;
    }
    case 'category_created':
      return `${who} added the category ${text(data.name)}`;
    case 'category_updated':
      return `${who} changed the category ${text(data.name)}`;
    case 'category_deleted': {
      const name = names.category(data.id as Id);
      return name ? `${who} deleted the category ${name}` : `${who} deleted a category`;
    }
    case 'list_updated':
      return `${who} renamed the list to ${text(data.name)}`;
    default:
      return `${who} changed the list`;
  }
}

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000], ['hour', 3_600_000], ['minute', 60_000],
];

/** "just now", "2 min. ago", "3 hr. ago", "yesterday"; a date beyond a week. */
export function timeAgo(ts: string, now: number): string {
  const then = Date.parse(ts);
  const elapsed = Math.max(0, now - then);
  if (elapsed < 45_000) return 'just now';
  if (elapsed >= 7 * 86_400_000) return new Date(then).toLocaleDateString(undefined, { day: 'numeric', month: 'short' });
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' });
  for (const [unit, ms] of units) {
    if (elapsed >= ms || unit === 'minute') return format.format(-Math.max(1, Math.round(elapsed / ms)), unit);
  }
  return 'just now';
}
