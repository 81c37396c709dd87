import type { Page } from 'playwright-core';

/**
 * Logs every WebSocket frame a page sends and receives, with the socket's path (its token left out), when
 * `E2E_LOG_FRAMES` is set: a debug run shows the real frames instead of guesses about them.
 */
export function logFrames(page: Page, who: string): void {
  if (!process.env.E2E_LOG_FRAMES) return;
  page.on('websocket', (socket) => {
    const path = new URL(socket.url()).pathname;
    const started = Date.now();
    const log = (direction: string, payload: string | Buffer) =>
      console.log(`[${who} ${path} +${Date.now() - started} ms] ${direction} ${String(payload)}`);
    console.log(`[${who}] open ${path}${new URL(socket.url()).search.replace(/token=[^&]*/, 'token=…')}`);
    socket.on('framereceived', (frame) => log('<', frame.payload));
    socket.on('framesent', (frame) => log('>', frame.payload));
    socket.on('close', () => console.log(`[${who} ${path}] closed`));
  });
}
