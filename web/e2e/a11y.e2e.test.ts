import { describe, expect, it } from 'vitest';
import { addItem, createSharedList } from './support/api';
import { expectNoSeriousA11yViolations } from './support/a11y';
import { itemRow, waitLive } from './support/browser';
import { LIVE_BUDGET_MS } from './support/scenario';
import { h2Stage } from './support/stage';

describe('accessibility', () => {
  const stage = h2Stage('a11y');

  it('has no serious axe violation on sign-in, the overview and the list page, on desktop and phone', async () => {
    const server = stage.servers;
    const [ann, bob] = await stage.users(server, 'Ann', 'Bob');
    const listId = await createSharedList(server.url, ann!, 'Groceries', [{ user: bob!, role: 'viewer' }]);
    await addItem(server.url, ann!, listId, 'Milk', { quantity: '2 l', note: 'the blue one' });
    const { page: visitor } = await stage.visit(server, '/');
    await visitor.getByRole('button', { name: 'Sign in' }).waitFor();
    await expectNoSeriousA11yViolations(visitor, 'sign-in page');

    for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
      const { page } = await stage.open(server, ann!, '/', viewport);
      await page.locator('[data-testid="list-card"][data-name="Groceries"]').waitFor();
      await page.locator('[data-testid="list-card"]').getByRole('button', { name: 'Share' }).click();
      await page.getByTestId('members-panel').locator('[data-testid="member"]').first().waitFor();
      await expectNoSeriousA11yViolations(page, `overview with sharing open (${viewport.width} px)`);
      await page.getByRole('link', { name: 'Groceries' }).click();
      await waitLive(page);
      await expectNoSeriousA11yViolations(page, `list page (${viewport.width} px)`);
    }
    const { page: viewer } = await stage.open(server, bob!, `/lists/${listId}`, { width: 390, height: 844 });
    await waitLive(viewer);
    await viewer.getByTestId('open-members').click();
    await viewer.getByTestId('members-panel').locator('[data-testid="member"]').first().waitFor();
    await expectNoSeriousA11yViolations(viewer, "a viewer's list page with the members open");
  });

  it("announces other people's changes politely, and not one's own", async () => {
    const server = stage.servers;
    const [ann, bob] = await stage.users(server, 'Ann', 'Bob');
    const listId = await createSharedList(server.url, ann!, 'Announced', [{ user: bob!, role: 'editor' }]);
    const { page } = await stage.open(server, ann!, `/lists/${listId}`);
    await waitLive(page);
    const region = page.getByTestId('live-announcer');
    expect(await region.getAttribute('aria-live')).toBe('polite');
    // Ann's members list must be loaded for names; then Bob's change is read out with his name
    const milk = await addItem(server.url, bob!, listId, 'Milk');
    await region.getByText('Bob added Milk').waitFor({ timeout: LIVE_BUDGET_MS + 1_000 });
    await fetch(`${server.url}/api/v1/lists/${listId}/items/${milk.id}/check`, {
      method: 'POST', headers: { Authorization: `Bearer ${bob!.accessToken}` },
    });
    await region.getByText('Bob checked Milk').waitFor({ timeout: LIVE_BUDGET_MS + 1_000 });
    // her own change shows on screen but is not announced
    await page.getByTestId('add-item-name').fill('Bread');
    await page.getByTestId('add-item-name').press('Enter');
    await itemRow(page, 'Bread').waitFor();
    expect(await region.textContent()).toBe('Bob checked Milk');
  });

  it('gives the focus back to the Edit button when the item editor closes, by Escape or by saving', async () => {
    const server = stage.servers;
    const [ann] = await stage.users(server, 'Ann');
    const listId = await createSharedList(server.url, ann!, 'Focus', []);
    await addItem(server.url, ann!, listId, 'Tea');
    const { page } = await stage.open(server, ann!, `/lists/${listId}`);
    await waitLive(page);
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.tagName);

    await itemRow(page, 'Tea').getByTestId('edit-item').click();
    await page.getByTestId('edit-name').press('Escape');
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Edit Tea');
    await itemRow(page, 'Tea').getByTestId('edit-item').press('Enter'); // opens the editor from the keyboard
    await page.getByTestId('edit-name').fill('Green tea');
    await page.getByTestId('edit-name').press('Enter');
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Edit Green tea', null,
      { timeout: 3_000 });
    expect(await focused()).toBe('Edit Green tea');

    // the list name's inline editor does the same
    await page.getByTestId('list-title').getByRole('button').click();
    await page.getByRole('textbox', { name: 'List name' }).press('Escape');
    expect(await focused()).toMatch(/^List name: Focus/);
  });
});
