import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { describe, expect, it, vi } from 'vitest';
import '../test/renderHook'; // sets IS_REACT_ACT_ENVIRONMENT

const register = vi.hoisted(() => ({ needRefresh: false, update: vi.fn(async () => undefined), dismiss: vi.fn() }));
vi.mock('virtual:pwa-register/react', () => ({
  useRegisterSW: () => ({
    needRefresh: [register.needRefresh, register.dismiss],
    offlineReady: [false, () => undefined],
    updateServiceWorker: register.update,
  }),
}));

const { UpdatePrompt } = await import('./UpdatePrompt');

function show() {
  const container = document.createElement('div');
  const root = createRoot(container);
  act(() => root.render(<UpdatePrompt />));
  return { container, unmount: () => act(() => root.unmount()) };
}

describe('the update prompt', () => {
  it('shows nothing while the app is the newest version', () => {
    register.needRefresh = false;
    const { container, unmount } = show();
    expect(container.textContent).toBe('');
    unmount();
  });

  it('offers the new version; Reload activates the waiting service worker and reloads', () => {
    register.needRefresh = true;
    const { container, unmount } = show();
    expect(container.querySelector('[data-testid="update-prompt"]')?.textContent).toContain('New version available');
    const reload = [...container.querySelectorAll('button')].find((b) => b.textContent === 'Reload')!;
    act(() => reload.click());
    expect(register.update).toHaveBeenCalledWith(true);
    const later = [...container.querySelectorAll('button')].find((b) => b.textContent === 'Later')!;
    act(() => later.click());
    expect(register.dismiss).toHaveBeenCalledWith(false);
    unmount();
  });
});
