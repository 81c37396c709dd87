import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addItem, checkItem, createCategory, createSharedList, registerUser, type TestUser } from './support/api';
import { connection, itemRow, launchBrowser, screenshot, signIn, waitLive, type Session } from './support/browser';
import { expectScreenMatchesServer } from './support/convergence';
import { everyActionAppearsOnTheOtherScreen, LIVE_BUDGET_MS } from './support/scenario';
import { startH2Server } from './support/servers';

describe('one server: two users on one shared list', () => {
  let env: Awaited<ReturnType<typeof startH2Server>>;
  let browser: Browser;
  let ann: TestUser, bob: TestUser, cy: TestUser;
  let listId: string;
  const sessions: Session[] = [];

  beforeAll(async () => {
    env = await startH2Server('single');
    browser = await launchBrowser();
    [ann, bob, cy] = await Promise.all(['Ann', 'Bob', 'Cy'].map((n) => registerUser(env.server.url, n))) as [TestUser, TestUser, TestUser];
    listId = await createSharedList(env.server.url, ann, 'Groceries', [{ user: bob, role: 'editor' }, { user: cy, role: 'viewer' }]);
  });

  afterAll(async () => {
    for (const s of sessions) await s.context.close();
    await browser?.close();
    await env?.dispose();
  });

  it('opens a deep link after signing in, and stays signed in across a reload', async () => {
    const bobs = await signIn(browser, env.server.url, bob, `/lists/${listId}`);
    sessions.push(bobs);
    await bobs.page.getByTestId('list-title').getByText('Groceries').waitFor();
    await waitLive(bobs.page);
    await bobs.page.reload();
    await bobs.page.getByTestId('list-title').getByText('Groceries').waitFor();
    await waitLive(bobs.page);
    expect(new URL(bobs.page.url()).pathname).toBe(`/lists/${listId}`);
  });

  it(`shows every action of one user on the other's screen within ${LIVE_BUDGET_MS} ms, without reload`, async () => {
    const anns = await signIn(browser, env.server.url, ann, `/lists/${listId}`);
    const bobs = sessions[0]!;
    sessions.push(anns);
    await Promise.all([waitLive(anns.page), waitLive(bobs.page)]);
    const took = await everyActionAppearsOnTheOtherScreen(anns.page, bobs.page);
    console.log('single server, ms from action to the other screen:', took);
    await expectScreenMatchesServer(anns.page, env.server.url, ann, listId);
    await expectScreenMatchesServer(bobs.page, env.server.url, bob, listId);
  });

  it('gives a viewer a read-only list that still updates live', async () => {
    const cys = await signIn(browser, env.server.url, cy, `/lists/${listId}`, { width: 390, height: 844 });
    sessions.push(cys);
    await waitLive(cys.page);
    await cys.page.getByTestId('read-only').waitFor();
    expect(await cys.page.getByTestId('add-item-form').count()).toBe(0);
    expect(await itemRow(cys.page, 'Apples').getByTestId('item-checkbox').isDisabled()).toBe(true);
    const anns = sessions[1]!;
    await anns.page.getByTestId('add-item-name').fill('Cheese');
    await anns.page.getByTestId('add-item-name').press('Enter');
    await itemRow(cys.page, 'Cheese').waitFor({ timeout: LIVE_BUDGET_MS });
    await screenshot(cys.page, 'list-phone-viewer');
  });

  it('fits a phone screen (390 × 844) for an editor', async () => {
    const phone = await signIn(browser, env.server.url, bob, `/lists/${listId}`, { width: 390, height: 844 });
    sessions.push(phone);
    await waitLive(phone.page);
    await itemRow(phone.page, 'Cheese').waitFor();
    // A list as people keep it, made by someone else meanwhile: it arrives live on both of Bob's screens.
    const url = env.server.url;
    const produce = await createCategory(url, ann, listId, 'Produce', 0);
    const dairy = await createCategory(url, ann, listId, 'Dairy', 1);
    await addItem(url, ann, listId, 'Tomatoes', { quantity: '500 g', categoryId: produce.id });
    const basil = await addItem(url, ann, listId, 'Basil', { categoryId: produce.id, note: 'the big pot, not cut' });
    await addItem(url, ann, listId, 'Oat milk', { quantity: '2 l', categoryId: dairy.id });
    await checkItem(url, ann, listId, basil.id);
    for (const page of [phone.page, sessions[0]!.page]) {
      await page.locator('[data-testid="item"][data-name="Basil"][data-checked="true"]').waitFor({ timeout: LIVE_BUDGET_MS });
      await itemRow(page, 'Oat milk').waitFor({ timeout: LIVE_BUDGET_MS });
    }
    await screenshot(sessions[0]!.page, 'list-desktop');
    const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await connection(phone.page).textContent()).toContain('Live');
    await screenshot(phone.page, 'list-phone');
  });
});
