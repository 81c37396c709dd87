import { useRegisterSW } from 'virtual:pwa-register/react';

const CHECK_EVERY_MS = 60 * 60 * 1000;

/**
 * A new deployment: the new service worker waits until the user says "Reload" (so nothing changes under a half-typed
 * item), or takes over by itself the next time the app starts with no tab open. Nobody stays on an old version.
 */
export function UpdatePrompt() {
  const { needRefresh: [needRefresh, setNeedRefresh], updateServiceWorker } = useRegisterSW({
    onRegisteredSW: (_url, registration) => {
      if (registration) setInterval(() => void registration.update().catch(() => undefined), CHECK_EVERY_MS);
    },
  });
  if (!needRefresh) return null;
  return (
    <div className="update-prompt" role="status" data-testid="update-prompt">
      New version available
      <button type="button" className="primary" onClick={() => void updateServiceWorker(true)}>Reload</button>
      <button type="button" className="ghost" onClick={() => setNeedRefresh(false)}>Later</button>
    </div>
  );
}
