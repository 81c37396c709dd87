import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { waitLive } from './browser';
import { waitForWaiting } from './offline';

const LOCK = 'listsync-outbox-leader';

/**
 * Who holds and who waits for the outbox lock (client ids), as the browser's Web Locks registry says for the whole
 * origin, every tab. Polled with page.evaluate: page.waitForFunction does not await an async predicate.
 */
export const lockState = (page: Page) => page.evaluate(async (name) => {
  const state = await navigator.locks.query();
  return {
    held: (state.held ?? []).filter((l) => l.name === name).map((l) => l.clientId ?? ''),
    pending: (state.pending ?? []).filter((l) => l.name === name).map((l) => l.clientId ?? ''),
  };
}, LOCK);

/** Every list write (not a read) that got an answer from the server, as this tab sent it. */
export function recordWrites(page: Page): string[] {
  const sent: string[] = [];
  page.on('response', (response) => {
    const request = response.request();
    if (request.method() !== 'GET' && /\/api\/v1\/lists\//.test(request.url())) {
      sent.push(`${request.method()} ${new URL(request.url()).pathname} ${response.status()}`);
    }
  });
  return sent;
}

/** A new tab of the context on `url`, live; its page errors are printed under `who`. */
export async function openTab(context: BrowserContext, url: string, who: string, timeout?: number): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[${who}] page error:`, error));
  await page.goto(url);
  await waitLive(page, timeout);
  return page;
}

export const offline = (page: Page) =>
  page.locator('[data-testid="connection-status"][data-state="offline"]').waitFor({ timeout: 5_000 });

/** Every tab says the same: `count` changes waiting, in the badge's words too (when there are any). */
export async function expectWaitingIn(pages: Page[], count: number, timeout = 20_000): Promise<void> {
  for (const page of pages) {
    await waitForWaiting(page, count, timeout);
    if (count > 0) {
      await expect.poll(() => page.getByTestId('connection-words').textContent(), { timeout: 5_000 })
        .toBe(`Offline · ${count} changes waiting`);
    }
  }
}
