import { useEffect, useMemo, useState } from 'react';
import type { ActivityEvent, Category, Id, Item } from '../api/types';
import { ErrorText } from '../ui/ErrorText';
import { describeEvent, timeAgo } from './describe';
import { useActivity } from './queries';

/**
 * The list's history: "Bob checked Milk · 2 min ago", newest first, with "Show older" paging back through the event
 * log (as far as it keeps). It follows the list live: a new version refetches the newest page.
 */
export function ActivityPanel({ listId, version, me, items, categories }: {
  listId: Id;
  /** The list's version as the screen has it; when it moves, the history is refreshed. */
  version: number | undefined;
  me: Id | undefined;
  items: readonly Item[];
  categories: readonly Category[];
}) {
  const activity = useActivity(listId, true);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  const { refetch } = activity;
  useEffect(() => {
    if (version !== undefined) void refetch();
  }, [version, refetch]);

  const events = useMemo(() => activity.data?.pages.flatMap((page) => page.events) ?? [], [activity.data]);
  // Deleted things carry only their id: name them from what the screen or the loaded history still knows.
  const names = useMemo(() => {
    const itemNames = new Map<string, string>(items.map((it) => [String(it.id), it.name]));
    const categoryNames = new Map<string, string>(categories.map((c) => [String(c.id), c.name]));
    for (const event of [...events].reverse()) {
      const id = event.data.id;
      const name = event.data.name;
      if (id == null || typeof name !== 'string') continue;
      if (event.type.startsWith('item_')) itemNames.set(String(id), name);
      if (event.type.startsWith('category_')) categoryNames.set(String(id), name);
    }
    return { itemNames, categoryNames };
  }, [events, items, categories]);

  const sentence = (event: ActivityEvent) => describeEvent(event.type, event.data, {
    actor: event.actor ? (String(event.actor.id) === String(me) ? 'You' : event.actor.displayName) : 'Someone',
    item: (id) => names.itemNames.get(String(id)) ?? null,
    category: (id) => names.categoryNames.get(String(id)) ?? null,
  });

  return (
    <section className="card activity" aria-labelledby="activity-title" data-testid="activity-panel">
      <h2 id="activity-title" className="panel-title">History</h2>
      {activity.isPending && <p className="muted">Loading…</p>}
      <ErrorText error={activity.error} />
      {activity.data && events.length === 0 && <p className="muted">No changes yet.</p>}
      <ol className="activity-list" tabIndex={0} aria-label="Changes, newest first" data-testid="activity-list">
        {events.map((event) => (
          <li key={event.version} data-testid="activity-entry" data-type={event.type}>
            <span className="activity-text">{sentence(event)}</span>
            <span className="muted"> · </span>
            <time className="muted" dateTime={event.ts} title={new Date(event.ts).toLocaleString()}>
              {timeAgo(event.ts, now)}
            </time>
          </li>
        ))}
      </ol>
      {activity.hasNextPage && (
        <button type="button" className="ghost" data-testid="activity-more" disabled={activity.isFetchingNextPage}
          onClick={() => void activity.fetchNextPage()}>
          {activity.isFetchingNextPage ? 'Loading…' : 'Show older'}
        </button>
      )}
    </section>
  );
}
