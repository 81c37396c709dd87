import { describe, expect, it } from 'vitest';
import { addItem, createCategory, createSharedList } from './support/api';
import { itemRow, waitLive } from './support/browser';
import { expectScreenMatchesServer } from './support/convergence';
import { items as readItems, patchItem } from './support/lists';
import { addThroughForm, editItem, toggle, waitForServiceWorker, waitForWaiting } from './support/offline';
import { clusterStage } from './support/stage';

const PHONE = { width: 390, height: 844 };
const TOGGLED = Array.from({ length: 22 }, (_, i) => `Item ${String(i + 1).padStart(2, '0')}`);
/** Item i is clicked 1 to 4 times, so some end checked, some unchecked, some where they started. */
const clicksFor = (i: number) => (i % 4) + 1;

describe('offline first on the phone', () => {
  const stage = clusterStage();

  it('keeps working offline through reloads, then agrees with the server and another member; a refused edit is undone and told', async () => {
    const { a, b } = stage.servers;
    const [ann, bob] = await stage.users(a, 'Ann', 'Bob');
    const listId = await createSharedList(a.url, ann!, 'Weekend', [{ user: bob!, role: 'editor' }]);
    await createCategory(a.url, ann!, listId, 'Dairy', 1);
    for (const name of TOGGLED) await addItem(a.url, ann!, listId, name);
    const eggs = await addItem(a.url, ann!, listId, 'Eggs');
    const bread = await addItem(a.url, ann!, listId, 'Bread');
    await addItem(a.url, ann!, listId, 'Butter');

    const anns = await stage.open(a, ann!, `/lists/${listId}`, PHONE);
    const bobs = await stage.open(b, bob!, `/lists/${listId}`);
    await Promise.all([waitLive(anns.page), waitLive(bobs.page)]);
    await waitForServiceWorker(anns.page);
    const { page } = anns;

    await anns.context.setOffline(true);
    await page.locator('[data-testid="connection-status"][data-state="offline"]').waitFor({ timeout: 5_000 });

    let changes = 0;
    await addThroughForm(page, 'Oat milk', 'Dairy');
    await addThroughForm(page, 'Apples');
    changes += 2;
    const expected = new Map<string, boolean>();
    for (const [i, name] of TOGGLED.entries()) {
      let state = false;
      for (let click = 0; click < clicksFor(i); click++) state = await toggle(page, name);
      expected.set(name, state);
      changes += clicksFor(i);
    }
    await toggle(page, 'Apples'); // created offline, checked offline
    await editItem(page, 'Eggs', { quantity: '12' });
    await editItem(page, 'Bread', { note: 'sliced' });
    await itemRow(page, 'Butter').getByTestId('delete-item').click();
    await itemRow(page, 'Butter').waitFor({ state: 'detached', timeout: 5_000 });
    changes += 4;
    await expect.poll(() => itemRow(page, 'Oat milk').getAttribute('data-pending')).toBe('true');
    await waitForWaiting(page, changes);

    // Meanwhile Bob, online on the other instance: deletes Eggs (which Ann edits offline), adds Cheese, gives Bread a
    // quantity (another field than Ann's note, so both survive).
    await itemRow(bobs.page, 'Eggs').getByTestId('delete-item').click();
    await itemRow(bobs.page, 'Eggs').waitFor({ state: 'detached', timeout: 5_000 });
    await addThroughForm(bobs.page, 'Cheese');
    await patchItem(b.url, bob!, listId, String(bread.id), { quantity: '1 loaf' });

    // Two reloads with no network: the service worker opens the app, IndexedDB brings the lists and the waiting changes.
    for (let reload = 0; reload < 2; reload++) {
      await page.reload();
      await itemRow(page, 'Oat milk').waitFor({ timeout: 10_000 });
      await waitForWaiting(page, changes, 10_000);
      await expect.poll(() => page.getByTestId('connection-words').textContent())
        .toBe(`Offline · ${changes} changes waiting`);
      for (const [name, checked] of expected) {
        expect(await itemRow(page, name).getAttribute('data-checked'), name).toBe(String(checked));
      }
      expect(await itemRow(page, 'Butter').count()).toBe(0);
      expect(await itemRow(page, 'Eggs').getAttribute('data-pending')).toBe('true');
    }

    await anns.context.setOffline(false);
    await waitLive(page, 40_000);
    await waitForWaiting(page, 0, 40_000);
    const refusal = page.getByTestId('refusal');
    await refusal.waitFor({ timeout: 5_000 });
    expect(await refusal.textContent()).toContain('editing Eggs (it was deleted meanwhile)');
    await itemRow(page, 'Eggs').waitFor({ state: 'detached', timeout: 5_000 });

    const server = await readItems(a.url, ann!, listId);
    const names = server.items.map((it) => it.name);
    expect(names.length).toBe(new Set(names).size); // no duplicates
    for (const [name, checked] of expected) {
      expect(server.items.find((it) => it.name === name)?.checked, name).toBe(checked);
    }
    const byName = (name: string) => server.items.find((it) => it.name === name);
    expect(byName('Oat milk')?.categoryId).not.toBeNull();
    expect(byName('Apples')?.checked).toBe(true);
    expect(byName('Bread')).toMatchObject({ note: 'sliced', quantity: '1 loaf' });
    expect(byName('Cheese')).toBeDefined();
    expect(byName('Butter')).toBeUndefined();
    expect(server.items.find((it) => String(it.id) === String(eggs.id))).toBeUndefined();

    await expectScreenMatchesServer(page, a.url, ann!, listId, 10_000);
    await expectScreenMatchesServer(bobs.page, b.url, bob!, listId, 10_000);
  });
});
