import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { addItem, createSharedList } from './support/api';
import { itemRow, waitLive } from './support/browser';
import { nextRelease } from './support/deploy';
import { waitForServiceWorker } from './support/offline';
import type { ListSyncServer } from './support/servers';
import { scratchDir } from './support/servers';
import { h2Stage } from './support/stage';
import { openTab } from './support/tabs';
import { waitFor } from './support/wait';

/** The main script the running page was loaded from, and the build marker it set (only a next release sets one). */
const running = (page: Page) => page.evaluate(() => ({
  script: document.querySelector('script[type="module"][src*="/assets/index-"]')?.getAttribute('src') ?? null,
  build: (window as { __LISTSYNC_BUILD__?: string }).__LISTSYNC_BUILD__ ?? null,
}));

/** Whether a service worker answers this page, and whether a newer one waits behind it. */
const workers = (page: Page) => page.evaluate(async () => {
  const registration = await navigator.serviceWorker.getRegistration();
  return { controlled: navigator.serviceWorker.controller !== null, waiting: registration?.waiting != null };
});

const prompt = (page: Page) => page.getByTestId('update-prompt');

/** Stops the server and starts it again (same port, same data) on another release's jar. */
async function redeploy(server: ListSyncServer, jar: string, script: string): Promise<void> {
  await server.stop();
  server.jar = jar;
  await server.start();
  expect(await (await fetch(`${server.url}/sw.js`)).text()).toContain(script.slice(1));
}

/** The hourly check, now: the browser fetches /sw.js, finds it changed and installs the new worker, which waits. */
const checkForUpdate = (page: Page) =>
  page.evaluate(async () => { await (await navigator.serviceWorker.getRegistration())?.update(); });

describe('a new deployment with several tabs open, and on the next start', () => {
  const stage = h2Stage('update-tabs');

  it('"Reload" in one tab brings every open tab onto the new build; an ignored update runs by itself on the next start',
    async () => {
      const server = stage.servers;
      const [ann] = await stage.users(server, 'Ann');
      const listId = await createSharedList(server.url, ann!, 'Groceries', []);
      await addItem(server.url, ann!, listId, 'Milk');
      const url = server.url + `/lists/${listId}`;
      const releases = scratchDir('listsync-releases-');
      try {
        const next = nextRelease(`${releases.path}`, 'next');
        const third = nextRelease(`${releases.path}/third`, 'third');

        // Release one, installed: the service worker answers both tabs of the one browser profile.
        const { context, page: one } = await stage.open(server, ann!, `/lists/${listId}`);
        await waitLive(one);
        await waitForServiceWorker(one);
        await one.reload();
        await waitLive(one);
        await waitFor('the service worker to control tab one', 10_000, async () => (await workers(one)).controlled);
        const two = await openTab(context, url, 'tab two', 15_000);
        expect(await workers(two)).toEqual({ controlled: true, waiting: false });
        const first = await running(one);
        expect(first.build).toBeNull();
        expect(await running(two)).toEqual(first);

        // Release two. One tab's check finds it; both tabs offer it, and neither changes before the user says so.
        await redeploy(server, next.jar, next.script);
        await Promise.all([waitLive(one, 30_000), waitLive(two, 30_000)]);
        await checkForUpdate(one);
        await Promise.all([prompt(one).waitFor({ timeout: 20_000 }), prompt(two).waitFor({ timeout: 20_000 })]);
        expect(await running(one)).toEqual(first);
        expect(await running(two)).toEqual(first);

        // "Reload" in tab one: the new worker takes over the origin, and tab two does not stay behind on the old build
        // (whose script the new worker no longer keeps, and the server no longer has).
        await prompt(one).getByRole('button', { name: 'Reload' }).click();
        for (const [name, page] of [['one', one], ['two', two]] as const) {
          await waitFor(`tab ${name} to run the new build`, 20_000, async () => (await running(page)).build === 'next');
          expect(await running(page), `tab ${name}`).toEqual({ script: next.script, build: 'next' });
          await waitLive(page, 20_000);
          await itemRow(page, 'Milk').waitFor({ timeout: 10_000 });
          expect(await prompt(page).count(), `tab ${name}`).toBe(0);
          expect(await workers(page), `tab ${name}`).toEqual({ controlled: true, waiting: false });
        }

        // Release three, found while both tabs are open; the user waves it away ("Later") in both and closes them.
        await redeploy(server, third.jar, third.script);
        await Promise.all([waitLive(one, 30_000), waitLive(two, 30_000)]);
        await checkForUpdate(two);
        await Promise.all([prompt(one).waitFor({ timeout: 20_000 }), prompt(two).waitFor({ timeout: 20_000 })]);
        for (const page of [one, two]) {
          await prompt(page).getByRole('button', { name: 'Later' }).click();
          await prompt(page).waitFor({ state: 'detached', timeout: 5_000 });
          expect((await running(page)).build).toBe('next');
        }
        await one.close();
        await two.close();

        // The next start, at once: with no tab left on the old worker, the waiting one has taken over, and the app
        // opens on release three with nothing left to offer.
        const again = await openTab(context, url, 'next start', 15_000);
        await itemRow(again, 'Milk').waitFor({ timeout: 10_000 });
        expect(await running(again)).toEqual({ script: third.script, build: 'third' });
        expect(await workers(again)).toEqual({ controlled: true, waiting: false });
        expect(await prompt(again).count()).toBe(0);

        // And it is release three that opens with no network.
        await context.setOffline(true);
        await again.reload();
        await itemRow(again, 'Milk').waitFor({ timeout: 10_000 });
        expect(await running(again)).toEqual({ script: third.script, build: 'third' });
        await context.setOffline(false);
      } finally {
        releases.dispose();
      }
    });
});
