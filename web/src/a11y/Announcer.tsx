import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';

type Announce = (message: string) => void;

const AnnouncerContext = createContext<Announce>(() => {});

/**
 * A polite live region for changes the user did not make here (another member's edits arriving over the socket):
 * screen readers read them when they are idle, without moving focus. Bursts (a reconnect replaying many events)
 * are summed up instead of read one by one.
 */
export function AnnouncerProvider({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState('');
  const pending = useRef<string[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const announce = useCallback<Announce>((text) => {
    pending.current.push(text);
    if (timer.current !== undefined) return;
    // Collect what arrives within a moment, then say it once.
    timer.current = setTimeout(() => {
      timer.current = undefined;
      const batch = pending.current.splice(0);
      setMessage(batch.length <= 3 ? batch.join('. ') : `${batch.length} changes by others, latest: ${batch.at(-1)}`);
    }, 250);
  }, []);
  useEffect(() => () => clearTimeout(timer.current), []);

  return (
    <AnnouncerContext.Provider value={announce}>
      {children}
      <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="live-announcer">
        {message}
      </div>
    </AnnouncerContext.Provider>
  );
}

export function useAnnounce(): Announce {
  return useContext(AnnouncerContext);
}
