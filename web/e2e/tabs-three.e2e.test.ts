import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { addItem, createSharedList, type TestUser } from './support/api';
import { itemRow, waitLive } from './support/browser';
import { expectScreenMatchesServer } from './support/convergence';
import { activity, items as readItems, listVersion } from './support/lists';
import { addThroughForm, editItem, toggle, waitForWaiting } from './support/offline';
import { h2Stage } from './support/stage';
import { expectWaitingIn, lockState, offline, openTab, recordWrites } from './support/tabs';
import { waitFor } from './support/wait';

/** Renames an item through its editor. */
async function rename(page: Page, from: string, to: string): Promise<void> {
  await itemRow(page, from).getByTestId('edit-item').click();
  const editor = page.getByTestId('item-editor');
  await editor.getByTestId('edit-name').fill(to);
  await editor.getByTestId('edit-name').press('Enter');
  await editor.waitFor({ state: 'detached', timeout: 5_000 });
  await itemRow(page, to).waitFor({ timeout: 5_000 });
}

/** The list's event log above `version`: one event per write the server applied. */
async function eventsSince(url: string, user: TestUser, listId: string, version: number) {
  const { events } = await activity(url, user, listId);
  return events.filter((e) => e.version > version).map((e) => `${e.version} ${e.type}`).sort();
}

describe('offline edits in three tabs of one browser', () => {
  const stage = h2Stage('tabs-three');

  it('all three show one queue; it is applied once, every tab follows; when the sender closes, the next tab sends',
    async () => {
      const server = stage.servers;
      const [ann] = await stage.users(server, 'Ann');
      const listId = await createSharedList(server.url, ann!, 'Three tabs', []);
      for (const name of ['Milk', 'Bread', 'Eggs']) await addItem(server.url, ann!, listId, name);
      const url = server.url + `/lists/${listId}`;

      // Tab one asks for the outbox lock first and holds it; two and then three queue behind it, in that order.
      const { context, page: one } = await stage.open(server, ann!, `/lists/${listId}`);
      await waitLive(one);
      await waitFor('tab one to hold the outbox lock', 5_000, async () => (await lockState(one)).held.length === 1);
      const two = await openTab(context, url, 'tab two');
      await waitFor('tab two to queue for the lock', 5_000, async () => (await lockState(two)).pending.length === 1);
      const three = await openTab(context, url, 'tab three');
      await waitFor('tab three to queue for the lock', 5_000, async () => (await lockState(three)).pending.length === 2);
      const queue = await lockState(three);
      expect([queue.held.length, queue.pending.length]).toEqual([1, 2]);
      const tabs = [one, two, three];
      const sentBy = { one: recordWrites(one), two: recordWrites(two), three: recordWrites(three) };
      let base = await listVersion(server.url, ann!, listId);

      // Offline: every tab makes changes, some to items another tab added; each tab shows every tab's changes.
      await context.setOffline(true);
      await Promise.all(tabs.map(offline));
      await addThroughForm(one, 'Apples');
      await addThroughForm(two, 'Pears');
      await toggle(three, 'Milk');
      await editItem(two, 'Eggs', { quantity: '12' });
      await itemRow(three, 'Apples').waitFor({ timeout: 5_000 });
      await rename(three, 'Bread', 'Rye bread');
      await itemRow(one, 'Pears').waitFor({ timeout: 5_000 });
      await toggle(one, 'Pears');
      await toggle(three, 'Apples');
      await two.locator('[data-testid="item"][data-name="Apples"][data-checked="true"]').waitFor({ timeout: 5_000 });
      await toggle(two, 'Apples'); // checked in tab three, unchecked again in tab two: the last made wins
      let changes = 8;
      await expectWaitingIn(tabs, changes);
      for (const [name, page] of [['one', one], ['two', two], ['three', three]] as const) {
        const row = (item: string) => itemRow(page, item);
        await row('Rye bread').waitFor({ timeout: 5_000 });
        expect(await row('Bread').count(), `tab ${name}`).toBe(0);
        await row('Eggs').getByTestId('item-quantity').getByText('12').waitFor({ timeout: 5_000 });
        for (const item of ['Apples', 'Pears']) expect(await row(item).getAttribute('data-pending'), `tab ${name}`).toBe('true');
        const checked = await Promise.all(['Milk', 'Pears', 'Apples', 'Eggs'].map((i) => row(i).getAttribute('data-checked')));
        expect(checked, `tab ${name}: Milk, Pears, Apples, Eggs checked`).toEqual(['true', 'true', 'false', 'false']);
      }

      // Online: the queue is applied once; every tab follows and stops waiting.
      await context.setOffline(false);
      for (const page of tabs) await waitLive(page, 30_000);
      for (const page of tabs) await waitForWaiting(page, 0, 30_000);
      let list = await readItems(server.url, ann!, listId);
      expect(list.items.map((i) => i.name).sort()).toEqual(['Apples', 'Eggs', 'Milk', 'Pears', 'Rye bread']);
      const state = (name: string) => {
        const item = list.items.find((i) => i.name === name);
        return { checked: item?.checked, quantity: item?.quantity ?? null };
      };
      expect(['Milk', 'Pears', 'Apples', 'Eggs', 'Rye bread'].map(state)).toEqual([
        { checked: true, quantity: null }, { checked: true, quantity: null }, { checked: false, quantity: null },
        { checked: false, quantity: '12' }, { checked: false, quantity: null },
      ]);
      // Exactly once, as the server counts it: one event and one version step per change, no more.
      expect(await eventsSince(server.url, ann!, listId, base)).toHaveLength(changes);
      expect(list.version).toBe(base + changes);
      // And as the browser sent it: all from the lock holder, nothing from the others.
      expect(sentBy.one.length, sentBy.one.join('\n')).toBe(changes);
      expect([...sentBy.two, ...sentBy.three]).toEqual([]);
      for (const page of tabs) await expectScreenMatchesServer(page, server.url, ann!, listId, 10_000);

      // Hand-over: offline again, all three queue, then the sending tab closes before the network is back.
      base = list.version;
      await context.setOffline(true);
      await Promise.all(tabs.map(offline));
      await addThroughForm(one, 'Kiwis');
      await toggle(two, 'Eggs');
      await addThroughForm(three, 'Cherries');
      await toggle(one, 'Rye bread');
      changes = 4;
      await expectWaitingIn(tabs, changes);
      await one.close();
      // The next in line (tab two) holds the lock now; tab three still waits behind it.
      await waitFor('the lock to pass to the next tab', 10_000, async () => {
        const locks = await lockState(two);
        return locks.held.length === 1 && locks.pending.length === 1;
      });
      await expectWaitingIn([two, three], changes); // nothing lost with the tab that closed

      await context.setOffline(false);
      for (const page of [two, three]) await waitLive(page, 30_000);
      for (const page of [two, three]) await waitForWaiting(page, 0, 30_000);
      list = await readItems(server.url, ann!, listId);
      expect(list.items.map((i) => i.name).sort()).toEqual(['Apples', 'Cherries', 'Eggs', 'Kiwis', 'Milk', 'Pears', 'Rye bread']);
      expect(['Eggs', 'Rye bread', 'Kiwis', 'Cherries'].map((n) => list.items.find((i) => i.name === n)?.checked))
        .toEqual([true, true, false, false]);
      expect(await eventsSince(server.url, ann!, listId, base)).toHaveLength(changes);
      expect(list.version).toBe(base + changes);
      expect(sentBy.one.length).toBe(8); // the closed tab sent none of the second round
      expect(sentBy.two.length, sentBy.two.join('\n')).toBe(changes);
      expect(sentBy.three).toEqual([]);
      for (const page of [two, three]) {
        await expectScreenMatchesServer(page, server.url, ann!, listId, 10_000);
        expect(await page.getByTestId('connection-words').textContent()).not.toMatch(/waiting/);
      }
    });
});
