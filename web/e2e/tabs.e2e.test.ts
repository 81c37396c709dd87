import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { addItem, createSharedList } from './support/api';
import { itemRow, waitLive } from './support/browser';
import { expectScreenMatchesServer } from './support/convergence';
import { items as readItems } from './support/lists';
import { addThroughForm, toggle, waitForWaiting } from './support/offline';
import { h2Stage } from './support/stage';
import { expectWaitingIn, lockState, offline, recordWrites } from './support/tabs';
import { waitFor } from './support/wait';

describe('offline edits in several tabs of one browser', () => {
  const stage = h2Stage('tabs');

  it('queues edits from two tabs into one outbox, sends each once from the lock holder, and hands over when it closes', async () => {
    const server = stage.servers;
    const [ann] = await stage.users(server, 'Ann');
    const listId = await createSharedList(server.url, ann!, 'Tabs', []);
    await addItem(server.url, ann!, listId, 'Milk');
    await addItem(server.url, ann!, listId, 'Bread');
    const path = `/lists/${listId}`;

    // Tab one opens first, so it asks for the outbox lock first and gets it; tab two waits for it.
    const { context, page: one } = await stage.open(server, ann!, path);
    await waitLive(one);
    await waitFor('tab one to hold the outbox lock', 5_000, async () => (await lockState(one)).held.length === 1);
    const two = await context.newPage();
    two.on('pageerror', (error) => console.error('[tab two] page error:', error));
    await two.goto(server.url + path);
    await waitLive(two);
    await waitFor('tab two to wait for the outbox lock', 5_000, async () => (await lockState(two)).pending.length === 1);
    const locks = await lockState(two);
    expect(locks.held.length).toBe(1);
    expect(locks.pending.length).toBe(1);
    const [leaderId, followerId] = [locks.held[0]!, locks.pending[0]!];
    expect(leaderId).not.toBe(followerId);
    const sentBy = { one: recordWrites(one), two: recordWrites(two) };

    // Offline, both tabs edit; each shows the other's changes and the same count.
    await context.setOffline(true);
    await Promise.all([offline(one), offline(two)]);
    await addThroughForm(one, 'Apples');
    await addThroughForm(two, 'Pears');
    await toggle(two, 'Milk');
    await toggle(one, 'Bread');
    await addThroughForm(two, 'Plums');
    await itemRow(one, 'Pears').waitFor({ timeout: 5_000 });
    await toggle(one, 'Pears'); // added in tab two, checked in tab one
    await toggle(one, 'Plums');
    await toggle(two, 'Plums'); // and unchecked again in tab two: last made wins
    let changes = 8;
    await expectWaitingIn([one, two], changes);
    for (const page of [one, two]) {
      for (const name of ['Apples', 'Pears', 'Plums']) {
        expect(await itemRow(page, name).getAttribute('data-pending'), name).toBe('true');
      }
      expect(await itemRow(page, 'Milk').getAttribute('data-checked')).toBe('true');
      expect(await itemRow(page, 'Bread').getAttribute('data-checked')).toBe('true');
      expect(await itemRow(page, 'Pears').getAttribute('data-checked')).toBe('true');
      expect(await itemRow(page, 'Plums').getAttribute('data-checked')).toBe('false');
    }

    await context.setOffline(false);
    await Promise.all([waitLive(one, 30_000), waitLive(two, 30_000)]);
    await Promise.all([waitForWaiting(one, 0, 30_000), waitForWaiting(two, 0, 30_000)]);

    let server1 = await readItems(server.url, ann!, listId);
    let names = server1.items.map((it) => it.name).sort();
    expect(names).toEqual(['Apples', 'Bread', 'Milk', 'Pears', 'Plums']); // each once: no duplicate add
    const checked = (name: string) => server1.items.find((it) => it.name === name)?.checked;
    expect([checked('Milk'), checked('Bread'), checked('Pears'), checked('Apples'), checked('Plums')])
      .toEqual([true, true, true, false, false]);
    await expectScreenMatchesServer(one, server.url, ann!, listId, 10_000);
    await expectScreenMatchesServer(two, server.url, ann!, listId, 10_000);
    // Only the lock holder sent, and it sent each change once.
    expect(sentBy.two).toEqual([]);
    expect(sentBy.one.length, sentBy.one.join('\n')).toBe(changes);

    // Hand-over: offline again, both tabs queue, the lock holder closes, the other tab gets the lock and sends it all.
    await context.setOffline(true);
    await Promise.all([offline(one), offline(two)]);
    await addThroughForm(one, 'Kiwis');
    await toggle(one, 'Apples');
    await addThroughForm(two, 'Cherries');
    changes = 3;
    await expectWaitingIn([one, two], changes);
    await one.close();
    await waitFor('tab two to get the outbox lock', 10_000, async () => {
      const state = await lockState(two);
      return state.held.length === 1 && state.held[0] === followerId && state.pending.length === 0;
    });
    expect((await lockState(two)).held).toEqual([followerId]); // the closed tab was the one holding it

    await context.setOffline(false);
    await waitLive(two, 30_000);
    await waitForWaiting(two, 0, 30_000);
    server1 = await readItems(server.url, ann!, listId);
    names = server1.items.map((it) => it.name).sort();
    expect(names).toEqual(['Apples', 'Bread', 'Cherries', 'Kiwis', 'Milk', 'Pears', 'Plums']);
    expect(server1.items.find((it) => it.name === 'Apples')?.checked).toBe(true);
    expect(sentBy.two.length, sentBy.two.join('\n')).toBe(changes);
    await expectScreenMatchesServer(two, server.url, ann!, listId, 10_000);
  });
});
