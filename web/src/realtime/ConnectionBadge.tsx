import { useEffect, useState } from 'react';
import type { ListSyncResult } from './useListSync';

function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

/** Live / connecting / reconnecting (with the next retry) / offline / no access: always visible, never guessed. */
export function ConnectionBadge({ sync, waiting = 0 }: { sync: ListSyncResult; waiting?: number }) {
  const counting = sync.nextRetryAt !== null;
  const now = useNow(counting);
  const seconds = sync.nextRetryAt === null ? 0 : Math.max(0, Math.ceil((sync.nextRetryAt - now) / 1000));
  const retry = seconds > 0 ? ` · retrying in ${seconds} s` : ' · retrying now';
  const word = {
    connecting: 'Connecting…',
    live: 'Live',
    reconnecting: 'Reconnecting',
    offline: 'Offline',
    stopped: sync.closeCode === 4403 || sync.closeCode === 4404 ? 'No access' : 'Not syncing',
  }[sync.status];
  // Changes in the outbox: said while offline ("Offline · 3 changes waiting"), "Saving…" while they go out.
  const changes = `${waiting} ${waiting === 1 ? 'change' : 'changes'} waiting`;
  const text = waiting === 0 ? word : sync.status === 'live' ? 'Saving…' : `${word} · ${changes}`;
  return (
    <span className={`conn conn-${sync.status}`} data-testid="connection-status" data-state={sync.status}
      data-waiting={waiting} title={sync.connectionError ?? undefined}>
      <span className="dot" aria-hidden="true" />
      {/* Screen readers hear the state when it changes, not the countdown every second. */}
      <span role="status" aria-live="polite" data-testid="connection-words">{text}</span>
      {counting && <span aria-hidden="true">{retry}</span>}
      {counting && seconds > 1 && (
        <button type="button" className="link" onClick={sync.retryNow} data-testid="retry-now">Retry now</button>
      )}
    </span>
  );
}
