import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { listKeys } from '../api/queryKeys';
import type { CategoriesPage, Id, ItemsPage } from '../api/types';
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

const UndoContext = createContext<(offer: UndoOffer) => void>(() => {});

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

  const offer = useCallback((o: UndoOffer) => {
    setToast({ id: ++seq.current, message: o.message, action: o.action });
  }, []);

  const undo = useCallback(() => {
    if (!toast?.action) return;
    const items = client.getQueryData<ItemsPage>(listKeys.items(listId, true))?.items ?? [];
    const categories = client.getQueryData<CategoriesPage>(listKeys.categories(listId))?.categories ?? [];
    const plan = planUndo(toast.action, { items, categories });
    const id = ++seq.current;
    const left = plan.skipped.length > 0 ? leftAlone(plan.skipped) : '';
    setToast({ id, message: plan.writes.length === 0 ? `Not undone: ${left}` : `Undone.${left ? ` ${left}` : ''}`, action: null });
    if (plan.writes.length === 0) return;
    void send(plan.writes, toast.action.settled).then((failed) => {
      if (failed > 0) {
        setToast({ id: ++seq.current, message: `Could not undo everything (${failed} of ${plan.writes.length} changes were refused).`, action: null });
      }
    });
  }, [toast, client, listId, send]);

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
      {children}
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
