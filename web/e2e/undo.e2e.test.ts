import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { addItem, checkItem, createCategory, createSharedList, type TestUser } from './support/api';
import { expectNoSeriousA11yViolations } from './support/a11y';
import { itemRow, screenshot, waitLive } from './support/browser';
import { expectScreenMatchesServer } from './support/convergence';
import { categories, items } from './support/lists';
import { LIVE_BUDGET_MS } from './support/scenario';
import { h2Stage } from './support/stage';

const toast = (page: Page) => page.getByTestId('undo-toast');
const checkedRow = (page: Page, name: string, checked: boolean) =>
  page.locator(`[data-testid="item"][data-name="${name}"][data-checked="${checked}"]`);

async function serverItem(url: string, user: TestUser, listId: string, name: string) {
  return (await items(url, user, listId)).items.find((it) => it.name === name);
}

/** Polls the server (bounded) until `check` holds for the list's items. */
async function untilServer(url: string, user: TestUser, listId: string,
  check: (list: Awaited<ReturnType<typeof items>>['items']) => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check((await items(url, user, listId)).items)) {
    if (Date.now() > deadline) throw new Error(`the server never showed: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// One shared list; Ann undoes on a desktop, Bob changes things on his phone in between.
describe('undo', () => {
  const stage = h2Stage('undo');
  let ann: TestUser, bob: TestUser;
  let listId: string;
  let annPage: Page, bobPage: Page;
  let url: string;
  let dairyId: string;

  beforeAll(async () => {
    url = stage.servers.url;
    [ann, bob] = await stage.users(stage.servers, 'Ann', 'Bob') as [TestUser, TestUser];
    listId = await createSharedList(url, ann, 'Undo', [{ user: bob, role: 'editor' }]);
    dairyId = String((await createCategory(url, ann, listId, 'Dairy', 1 << 20)).id);
    await addItem(url, ann, listId, 'Milk', { quantity: '2 l', categoryId: dairyId });
    await addItem(url, ann, listId, 'Butter', { categoryId: dairyId });
    for (const name of ['Bread', 'Eggs', 'Jam', 'Tea']) await addItem(url, ann, listId, name);
    annPage = (await stage.open(stage.servers, ann, `/lists/${listId}`, { width: 1280, height: 1000 })).page;
    bobPage = (await stage.open(stage.servers, bob, `/lists/${listId}`, { width: 390, height: 844 })).page;
    await Promise.all([waitLive(annPage), waitLive(bobPage)]);
  });

  it('undoes a check with one tap on the toast; the other user sees it', async () => {
    await itemRow(annPage, 'Milk').getByTestId('item-checkbox').click();
    await toast(annPage).getByText('Checked Milk').waitFor();
    await checkedRow(bobPage, 'Milk', true).waitFor({ timeout: LIVE_BUDGET_MS });
    await screenshot(annPage, 'undo-toast-desktop');
    await expectNoSeriousA11yViolations(annPage, 'list page with the undo toast');
    await toast(annPage).getByTestId('undo').click();
    await checkedRow(annPage, 'Milk', false).waitFor({ timeout: LIVE_BUDGET_MS });
    await checkedRow(bobPage, 'Milk', false).waitFor({ timeout: LIVE_BUDGET_MS });
    expect((await serverItem(url, ann, listId, 'Milk'))!.checked).toBe(false);
  });

  it("leaves Bob's later change alone: he edited the item Ann checked, so her undo does not uncheck it", async () => {
    await itemRow(annPage, 'Eggs').getByTestId('item-checkbox').click();
    await toast(annPage).getByText('Checked Eggs').waitFor();
    await checkedRow(bobPage, 'Eggs', true).waitFor({ timeout: LIVE_BUDGET_MS });
    // Bob, on his phone, changes the quantity of the (checked) eggs
    await itemRow(bobPage, 'Eggs').getByTestId('edit-item').click();
    await bobPage.getByTestId('edit-quantity').fill('12');
    await bobPage.getByTestId('edit-quantity').press('Enter');
    await itemRow(annPage, 'Eggs').getByTestId('item-quantity').getByText('12').waitFor({ timeout: LIVE_BUDGET_MS });

    await toast(annPage).getByTestId('undo').click();
    await toast(annPage).getByText(/Not undone: Eggs changed since/).waitFor();
    const eggs = await serverItem(url, ann, listId, 'Eggs');
    expect(eggs).toMatchObject({ checked: true, quantity: '12' });
    await expectScreenMatchesServer(annPage, url, ann, listId);
    await expectScreenMatchesServer(bobPage, url, bob, listId);
  });

  it('brings a deleted item back with its old id, fields, category and place', async () => {
    const before = await serverItem(url, ann, listId, 'Milk');
    await itemRow(annPage, 'Milk').getByTestId('delete-item').click();
    await itemRow(bobPage, 'Milk').waitFor({ state: 'detached', timeout: LIVE_BUDGET_MS });
    await toast(annPage).getByText('Deleted Milk').waitFor();
    await annPage.keyboard.press('Control+z'); // the keyboard shortcut does the same as the button
    await itemRow(bobPage, 'Milk').waitFor({ timeout: LIVE_BUDGET_MS });
    await untilServer(url, ann, listId, (list) => list.some((it) => it.name === 'Milk' && it.position === before!.position),
      'Milk back in its place');
    const after = await serverItem(url, ann, listId, 'Milk');
    expect(after).toMatchObject({ id: before!.id, name: 'Milk', quantity: '2 l', categoryId: dairyId, checked: false,
      position: before!.position });
    await bobPage.waitForFunction(() => [...document.querySelectorAll('[data-testid="group"][data-category="Dairy"] [data-testid="item"]')]
      .map((el) => el.getAttribute('data-name')).join('|') === 'Milk|Butter', null, { timeout: LIVE_BUDGET_MS });
  });

  it('undoes "Clear checked" of several items as one action: all come back, checked, in their places', async () => {
    const names = ['Bread', 'Jam', 'Tea'];
    const before = (await items(url, ann, listId)).items;
    for (const name of names) await checkItem(url, bob, listId, before.find((it) => it.name === name)!.id);
    for (const name of names) await checkedRow(annPage, name, true).waitFor({ timeout: LIVE_BUDGET_MS });
    await annPage.getByTestId('clear-checked').click();
    await toast(annPage).getByText('Cleared 4 checked items').waitFor(); // Eggs is still checked too
    for (const name of [...names, 'Eggs']) await itemRow(bobPage, name).waitFor({ state: 'detached', timeout: LIVE_BUDGET_MS });

    await toast(annPage).getByTestId('undo').click();
    for (const name of [...names, 'Eggs']) await checkedRow(bobPage, name, true).waitFor({ timeout: 3_000 });
    await untilServer(url, ann, listId, (list) => [...names, 'Eggs'].every((name) => list.some((it) => it.name === name
      && it.checked && it.position === before.find((b) => b.name === name)!.position)), 'the cleared items back, checked, in place');
    const after = (await items(url, ann, listId)).items;
    for (const name of [...names, 'Eggs']) {
      expect(after.find((it) => it.name === name)!.id).toBe(before.find((it) => it.name === name)!.id);
    }
    await expectScreenMatchesServer(bobPage, url, bob, listId);
  });

  it('undoes a category delete: the category comes back with its items', async () => {
    await annPage.getByTestId('manage-categories').click();
    const row = annPage.locator('[data-testid="category"][data-name="Dairy"]');
    await row.getByTestId('delete-category').click();
    await row.getByTestId('delete-category-confirm').click();
    await bobPage.locator('[data-testid="group"][data-category="Dairy"]').waitFor({ state: 'detached', timeout: LIVE_BUDGET_MS });
    await toast(annPage).getByText('Deleted the category Dairy').waitFor();
    await toast(annPage).getByTestId('undo').click();
    await bobPage.locator('[data-testid="group"][data-category="Dairy"] [data-testid="item"][data-name="Butter"]')
      .waitFor({ timeout: 3_000 });
    await untilServer(url, ann, listId, (list) => list.filter((it) => it.categoryId === dairyId).length === 2,
      'Milk and Butter back in Dairy');
    expect((await categories(url, ann, listId)).categories.map((c) => c.id)).toContain(dairyId);
    await expectScreenMatchesServer(annPage, url, ann, listId);
    await expectScreenMatchesServer(bobPage, url, bob, listId);
  });

  it('works offline: the check and its undo are queued and reach the server in order when back online', async () => {
    const context = annPage.context();
    await context.setOffline(true);
    await annPage.locator('[data-testid="connection-status"][data-state="offline"]').waitFor({ timeout: 2_000 });
    await itemRow(annPage, 'Butter').getByTestId('item-checkbox').click();
    await toast(annPage).getByText('Checked Butter').waitFor();
    await toast(annPage).getByTestId('undo').click();
    await toast(annPage).getByText('Undone.').waitFor();
    await context.setOffline(false);
    await waitLive(annPage, 10_000);
    await untilServer(url, ann, listId, (list) => list.some((it) => it.name === 'Butter' && !it.checked), 'Butter unchecked');
    await expectScreenMatchesServer(annPage, url, ann, listId);
    await expectScreenMatchesServer(bobPage, url, bob, listId);
  });

  it('shows the toast on a phone too, above the fold', async () => {
    await itemRow(bobPage, 'Tea').getByTestId('delete-item').click();
    await toast(bobPage).getByText('Deleted Tea').waitFor();
    const box = (await toast(bobPage).boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(844);
    expect(box.width).toBeLessThanOrEqual(390);
    await bobPage.evaluate(() => window.scrollTo(0, 0));
    await screenshot(bobPage, 'undo-toast-phone');
    await toast(bobPage).getByTestId('undo').click();
    await itemRow(annPage, 'Tea').waitFor({ timeout: 3_000 });
  });
});
