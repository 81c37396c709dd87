import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { addItem, checkItem, createCategory, createSharedList, type TestUser } from './support/api';
import { connection, itemRow, screenshot, waitLive } from './support/browser';
import { expectScreenMatchesServer } from './support/convergence';
import { everyActionAppearsOnTheOtherScreen, LIVE_BUDGET_MS } from './support/scenario';
import { h2Stage } from './support/stage';

// The tests of this file build on each other: one list, its users and their pages, in order.
describe('one server: two users on one shared list', () => {
  const stage = h2Stage('single');
  let ann: TestUser, bob: TestUser, cy: TestUser;
  let listId: string;
  let annPage: Page, bobPage: Page;

  beforeAll(async () => {
    [ann, bob, cy] = await stage.users(stage.servers, 'Ann', 'Bob', 'Cy') as [TestUser, TestUser, TestUser];
    listId = await createSharedList(stage.servers.url, ann, 'Groceries', [{ user: bob, role: 'editor' }, { user: cy, role: 'viewer' }]);
  });

  it('opens a deep link after signing in, and stays signed in across a reload', async () => {
    bobPage = (await stage.open(stage.servers, bob, `/lists/${listId}`)).page;
    await bobPage.getByTestId('list-title').getByText('Groceries').waitFor();
    await waitLive(bobPage);
    await bobPage.reload();
    await bobPage.getByTestId('list-title').getByText('Groceries').waitFor();
    await waitLive(bobPage);
    expect(new URL(bobPage.url()).pathname).toBe(`/lists/${listId}`);
  });

  it(`shows every action of one user on the other's screen within ${LIVE_BUDGET_MS} ms, without reload`, async () => {
    annPage = (await stage.open(stage.servers, ann, `/lists/${listId}`)).page;
    await Promise.all([waitLive(annPage), waitLive(bobPage)]);
    const took = await everyActionAppearsOnTheOtherScreen(annPage, bobPage);
    console.log('single server, ms from action to the other screen:', took);
    await expectScreenMatchesServer(annPage, stage.servers.url, ann, listId);
    await expectScreenMatchesServer(bobPage, stage.servers.url, bob, listId);
  });

  it('gives a viewer a read-only list that still updates live', async () => {
    const { page } = await stage.open(stage.servers, cy, `/lists/${listId}`, { width: 390, height: 844 });
    await waitLive(page);
    await page.getByTestId('read-only').waitFor();
    expect(await page.getByTestId('add-item-form').count()).toBe(0);
    expect(await itemRow(page, 'Apples').getByTestId('item-checkbox').isDisabled()).toBe(true);
    await annPage.getByTestId('add-item-name').fill('Cheese');
    await annPage.getByTestId('add-item-name').press('Enter');
    await itemRow(page, 'Cheese').waitFor({ timeout: LIVE_BUDGET_MS });
    await screenshot(page, 'list-phone-viewer');
  });

  it('fits a phone screen (390 × 844) for an editor', async () => {
    const { page: phone } = await stage.open(stage.servers, bob, `/lists/${listId}`, { width: 390, height: 844 });
    await waitLive(phone);
    await itemRow(phone, 'Cheese').waitFor();
    // A list as people keep it, made by someone else meanwhile: it arrives live on both of Bob's screens.
    const url = stage.servers.url;
    const produce = await createCategory(url, ann, listId, 'Produce', 0);
    const dairy = await createCategory(url, ann, listId, 'Dairy', 1);
    await addItem(url, ann, listId, 'Tomatoes', { quantity: '500 g', categoryId: produce.id });
    const basil = await addItem(url, ann, listId, 'Basil', { categoryId: produce.id, note: 'the big pot, not cut' });
    await addItem(url, ann, listId, 'Oat milk', { quantity: '2 l', categoryId: dairy.id });
    await checkItem(url, ann, listId, basil.id);
    for (const page of [phone, bobPage]) {
      await page.locator('[data-testid="item"][data-name="Basil"][data-checked="true"]').waitFor({ timeout: LIVE_BUDGET_MS });
      await itemRow(page, 'Oat milk').waitFor({ timeout: LIVE_BUDGET_MS });
    }
    await screenshot(bobPage, 'list-desktop');
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await connection(phone).textContent()).toContain('Live');
    await screenshot(phone, 'list-phone');
  });
});
