import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { addItem, createSharedList } from './support/api';
import { itemRow, waitLive } from './support/browser';
import { nextRelease } from './support/deploy';
import { waitForServiceWorker } from './support/offline';
import { scratchDir } from './support/servers';
import { h2Stage } from './support/stage';
import { waitFor } from './support/wait';

/** The main script the running page was loaded from, and the build marker it set (only the next release sets one). */
const running = (page: Page) => page.evaluate(() => ({
  script: document.querySelector('script[type="module"][src*="/assets/index-"]')?.getAttribute('src') ?? null,
  build: (window as { __LISTSYNC_BUILD__?: string }).__LISTSYNC_BUILD__ ?? null,
}));

const controlled = (page: Page) => page.evaluate(() => navigator.serviceWorker.controller !== null);

describe('a new deployment reaches an open app', () => {
  const stage = h2Stage('update');

  it('finds the new service worker, offers the update, and runs the new build after "Reload", also offline', async () => {
    const server = stage.servers;
    const [ann] = await stage.users(server, 'Ann');
    const listId = await createSharedList(server.url, ann!, 'Groceries', []);
    await addItem(server.url, ann!, listId, 'Milk');
    const path = `/lists/${listId}`;
    const release = scratchDir('listsync-release-');
    try {
      const next = nextRelease(release.path, 'next');

      const { context, page } = await stage.open(server, ann!, path);
      await waitLive(page);
      await waitForServiceWorker(page);
      // The first visit installs the service worker; from the next load on it answers the page.
      await page.reload();
      await waitLive(page);
      await waitFor('the service worker to control the page', 10_000, () => controlled(page));
      const before = await running(page);
      expect(before.script).toMatch(/^\/assets\/index-[\w-]+\.js$/);
      expect(before.build).toBeNull();
      expect(before.script).not.toBe(next.script);
      expect(await page.getByTestId('update-prompt').count()).toBe(0);

      // Redeploy: the same server (port, data) restarted on the next release.
      await server.stop();
      server.jar = next.jar;
      await server.start();
      await waitLive(page, 30_000);
      const served = await (await fetch(`${server.url}/sw.js`)).text();
      expect(served).toContain(next.script.slice(1));

      // The hourly check, now: the browser fetches /sw.js, finds it changed, installs it, and it waits for the user.
      await page.evaluate(async () => { await (await navigator.serviceWorker.getRegistration())?.update(); });
      const prompt = page.getByTestId('update-prompt');
      await prompt.waitFor({ timeout: 20_000 });
      expect(await prompt.textContent()).toContain('New version available');
      expect(await running(page)).toEqual(before); // nothing changes under the user until they say so
      await itemRow(page, 'Milk').waitFor({ timeout: 5_000 });

      await prompt.getByRole('button', { name: 'Reload' }).click();
      await waitFor('the page to run the new build', 20_000, async () => (await running(page)).build === 'next');
      expect(await running(page)).toEqual({ script: next.script, build: 'next' });
      await waitLive(page, 20_000);
      await itemRow(page, 'Milk').waitFor({ timeout: 10_000 });
      expect(await page.getByTestId('update-prompt').count()).toBe(0);
      expect(await page.evaluate(async () => {
        const registration = await navigator.serviceWorker.getRegistration();
        return { waiting: registration?.waiting ?? null, controlled: navigator.serviceWorker.controller !== null };
      })).toEqual({ waiting: null, controlled: true });

      // The new build is what the service worker keeps: opened with no network, it is still the new one.
      await context.setOffline(true);
      await page.reload();
      await itemRow(page, 'Milk').waitFor({ timeout: 10_000 });
      expect(await running(page)).toEqual({ script: next.script, build: 'next' });
      await context.setOffline(false);
    } finally {
      release.dispose();
    }
  });
});
