import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { Id, Viewer } from '../api/types';
import type { PresenceStore } from './PresenceStore';
import { avatarClass, describeChange, initials, otherViewers, viewingSentence } from './viewers';

const SHOWN = 5;

/**
 * How long after a (re)connect changes are taken as the set found, not as people arriving. The server's `hello` lists
 * only the viewers on its own instance when it had none there yet; those on other instances follow in a `presence`
 * frame a few hundred ms later (seen in the browser tests), and they did not "just open" the list.
 */
export const SETTLE_MS = 2_000;

/**
 * Who else has the list open: initials avatars with the name as title (hidden from screen readers, which hear one
 * sentence instead of a name per avatar), and a polite live region that says when someone opens or leaves the list. The set found on opening the page (or after a
 * reconnect, within {@link SETTLE_MS}) is not read out: the sentence is there to find.
 */
export function WhoIsViewing({ presence, me }: { presence: PresenceStore; me: Id | undefined }) {
  const viewers = useSyncExternalStore(presence.subscribe, presence.get);
  const others = otherViewers(viewers, me);
  const { message: announcement, settled } = useChangeAnnouncement(viewers === null ? null : others);
  const shown = others.slice(0, SHOWN);
  const more = others.length - shown.length;

  return (
    <div className="viewers" data-testid="viewers" data-count={others.length} data-settled={settled}>
      {others.length > 0 && (
        <>
          <ul className="avatars" aria-hidden="true">
            {shown.map((v) => (
              <li key={String(v.userId)} className={`avatar ${avatarClass(v.userId)}`} title={v.displayName}
                data-testid="viewer" data-user-id={String(v.userId)} data-name={v.displayName}>
                {initials(v.displayName)}
              </li>
            ))}
            {more > 0 && <li className="avatar avatar-more" title={`${more} more`}>+{more}</li>}
          </ul>
          <span className="visually-hidden" data-testid="viewers-text">{viewingSentence(others)}</span>
        </>
      )}
      <span className="visually-hidden" role="status" aria-live="polite" aria-atomic="true"
        data-testid="presence-announcer">{announcement}</span>
    </div>
  );
}

/**
 * The sentence for the latest change of the others, and whether the set found on (re)connecting has settled. null
 * (not live) keeps the last known set to compare with.
 */
function useChangeAnnouncement(others: readonly Viewer[] | null): { message: string; settled: boolean } {
  const [message, setMessage] = useState('');
  const [settled, setSettled] = useState(false);
  const known = useRef<readonly Viewer[] | null>(null);
  const live = others !== null;
  useEffect(() => {
    setSettled(false);
    if (!live) return;
    const timer = setTimeout(() => setSettled(true), SETTLE_MS);
    return () => clearTimeout(timer);
  }, [live]);
  const key = others?.map((v) => String(v.userId)).join('\u0000') ?? null;
  useEffect(() => {
    if (others === null) return;
    const before = known.current;
    known.current = others;
    if (before === null || !settled) return;
    const change = describeChange(before, others);
    if (change) setMessage(change);
    // Only the ids matter (a new array with the same people is no change); settling is read, not waited on.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return { message, settled };
}
