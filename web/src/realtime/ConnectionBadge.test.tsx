import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import '../test/renderHook'; // sets IS_REACT_ACT_ENVIRONMENT
import { PresenceStore } from '../presence/PresenceStore';
import { ConnectionBadge } from './ConnectionBadge';
import type { ListSyncResult } from './useListSync';

let container: HTMLDivElement;
let root: Root;

beforeEach(() => {
  vi.useFakeTimers();
  container = document.createElement('div');
  root = createRoot(container);
});

afterEach(() => {
  act(() => root.unmount());
  vi.useRealTimers();
});

function show(sync: Partial<ListSyncResult>) {
  const full: ListSyncResult = {
    status: 'live', nextRetryAt: null, error: null, closeCode: null, isConnected: false, connectionError: null,
    retryNow: () => undefined, presence: new PresenceStore(), ...sync,
  };
  act(() => root.render(<ConnectionBadge sync={full} />));
  const badge = container.querySelector('[data-testid="connection-status"]');
  return {
    /** The words shown, without the "Retry now" button. */
    text: () => {
      const copy = badge?.cloneNode(true) as Element | undefined;
      copy?.querySelector('button')?.remove();
      return copy?.textContent;
    },
    state: () => badge?.getAttribute('data-state'),
    announced: () => badge?.querySelector('[role="status"]')?.textContent,
  };
}

describe('ConnectionBadge', () => {
  it('says live', () => {
    const badge = show({ status: 'live', isConnected: true });
    expect(badge.text()).toBe('Live');
    expect(badge.state()).toBe('live');
  });

  it('counts down to the next retry, announcing only the state', () => {
    const badge = show({ status: 'reconnecting', nextRetryAt: Date.now() + 5_000 });
    expect(badge.text()).toBe('Reconnecting · retrying in 5 s');
    act(() => vi.advanceTimersByTime(3_000));
    expect(badge.text()).toBe('Reconnecting · retrying in 2 s');
    act(() => vi.advanceTimersByTime(2_000));
    expect(badge.text()).toBe('Reconnecting · retrying now');
    expect(badge.announced()).toBe('Reconnecting');
  });

  it('offers to retry now while the wait is long', () => {
    const retryNow = vi.fn();
    show({ status: 'reconnecting', nextRetryAt: Date.now() + 10_000, retryNow });
    const button = container.querySelector<HTMLButtonElement>('[data-testid="retry-now"]');
    act(() => button?.click());
    expect(retryNow).toHaveBeenCalledTimes(1);
  });

  it('says offline, and no access once the server ended it', () => {
    expect(show({ status: 'offline', nextRetryAt: Date.now() + 1_000 }).text()).toBe('Offline · retrying in 1 s');
    const ended = show({ status: 'stopped', closeCode: 4403, connectionError: 'Your access to this list has ended.' });
    expect(ended.text()).toBe('No access');
    expect(ended.state()).toBe('stopped');
  });
});
