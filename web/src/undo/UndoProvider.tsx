import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { listKeys } from '../api/queryKeys';
import type { CategoriesPage, Id, ItemsPage } from '../api/types';
import { useSession } from '../auth/useSession';
import type { ListEvent } from '../realtime/events';
import { planUndo, type UndoAction } from './plan';
import { useUndoWrites } from './useUndoWrites';

/** How long the Undo button stays (paused while the pointer or focus is on the toast). */
export const UNDO_MS = 8_000;
const RESULT_MS = 4_000;

export interface UndoOffer {
  /** What was done, in words: "Checked Milk", "Cleared 7 checked items". */
  message: string;
  action: UndoAction;
}

interface Toast {
  id: number;
  message: string;
  action: UndoAction | null;
}

/** What an event touched, by item id, and who made it. */
interface Touch {
  actorId: string;
  itemIds: string[];
}

const UndoContext = createContext<(offer: UndoOffer) => void>(() => {});
const EventContext = createContext<(event: ListEvent) => void>(() => {});

/** Feeds the list's events to undo, which must not reverse what others changed since. */
export function useNoteEventForUndo(): (event: ListEvent) => void {
  return useContext(EventContext);
}

function touched(event: ListEvent): string[] {
  switch (event.type) {
    case 'items_bulk_deleted':
      return event.data.itemIds.map(String);
    case 'item_created': case 'item_updated': case 'item_checked': case 'item_unchecked': case 'item_deleted':
      return [String(event.data.id)];
    default:
      return [];
  }
}

/** Offers Undo after a change. `useOfferUndo()(…)` shows the toast. */
export function useOfferUndo(): (offer: UndoOffer) => void {
  return useContext(UndoContext);
}

/**
 * The list page's undo toast: one at a time, the newest change's. Undo plans the inverse from the cached state (see
 * plan.ts for the rule that protects other people's later changes) and sends it as ordinary writes. Ctrl+Z / Cmd+Z
 * does the same while focus is not in a text field.
 */
export function UndoProvider({ listId, children }: { listId: Id; children: ReactNode }) {
  const client = useQueryClient();
  const send = useUndoWrites(listId);
  const [toast, setToast] = useState<Toast | null>(null);
  const [paused, setPaused] = useState(false);
  const seq = useRef(0);
  const me = useSession()?.user.id;
  // the events since the oldest change that can still be undone (one at a time, so a short log is enough)
  const events = useRef<Touch[]>([]);
  const noteEvent = useCallback((event: ListEvent) => {
    events.current.push({ actorId: String(event.actorId ?? ''), itemIds: touched(event) });
    if (events.current.length > 2_000) events.current.splice(0, 1_000);
  }, []);

  const offer = useCallback((o: UndoOffer) => {
    events.current = [];
    setToast({ id: ++seq.current, message: o.message, action: o.action });
  }, []);

  const undo = useCallback(() => {
    if (!toast?.action) return;
    const items = client.getQueryData<ItemsPage>(listKeys.items(listId, true))?.items ?? [];
    const categories = client.getQueryData<CategoriesPage>(listKeys.categories(listId))?.categories ?? [];
    const touchedByOthers = new Set(events.current.filter((e) => e.actorId !== String(me)).flatMap((e) => e.itemIds));
    const plan = planUndo(toast.action, { items, categories, touchedByOthers });
    const id = ++seq.current;
    const left = plan.skipped.length > 0 ? leftAlone(plan.skipped) : '';
    setToast({ id, message: plan.writes.length === 0 ? `Not undone: ${left}` : `Undone.${left ? ` ${left}` : ''}`,
      action: null });
    if (plan.writes.length === 0) return;
    void send(plan.writes, toast.action.settled).then((failed) => {
      if (failed > 0) {
        setToast({ id: ++seq.current, action: null,
          message: `Could not undo everything (${failed} of ${plan.writes.length} changes were refused).` });
      }
    });
  }, [toast, client, listId, send, me]);

  // The toast goes away by itself; hovering or focusing it holds it.
  useEffect(() => {
    if (!toast || paused) return;
    const timer = setTimeout(() => setToast((t) => (t?.id === toast.id ? null : t)), toast.action ? UNDO_MS : RESULT_MS);
    return () => clearTimeout(timer);
  }, [toast, paused]);

  useEffect(() => {
    if (!toast?.action) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key.toLowerCase() !== 'z' || !(event.ctrlKey || event.metaKey) || event.shiftKey) return;
      const target = event.target as HTMLElement | null;
      if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
      event.preventDefault();
      undo();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [toast, undo]);

  return (
    <UndoContext.Provider value={offer}>
      <EventContext.Provider value={noteEvent}>{children}</EventContext.Provider>
      {/* always in the page, so screen readers notice what appears in it */}
      <div className="toast-region" role="status" aria-live="polite" onMouseEnter={() => setPaused(true)}
        onMouseLeave={() => setPaused(false)} onFocus={() => setPaused(true)} onBlur={() => setPaused(false)}>
        {toast && (
          <div className="toast" data-testid="undo-toast" key={toast.id}>
            <span className="toast-message" data-testid="undo-message">{toast.message}</span>
            {toast.action && (
              <button type="button" className="toast-undo" onClick={undo} data-testid="undo">Undo</button>
            )}
            <button type="button" className="icon toast-close" aria-label="Dismiss" onClick={() => setToast(null)}>✕</button>
          </div>
        )}
      </div>
    </UndoContext.Provider>
  );
}

function leftAlone(names: readonly string[]): string {
  const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? ` and ${names.length - 3} more` : '');
  return `${shown} changed since, so ${names.length === 1 ? 'it was' : 'they were'} left as ${names.length === 1 ? 'it is' : 'they are'}.`;
}
