import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { addItem, checkItem, createCategory, createSharedList, type TestUser } from './support/api';
import { expectNoSeriousA11yViolations } from './support/a11y';
import { itemRow, screenshot, waitLive } from './support/browser';
import { deleteItem, items } from './support/lists';
import { h2Stage } from './support/stage';
import { waitFor } from './support/wait';

const name = (page: Page) => page.getByTestId('add-item-name');
const option = (page: Page, text: string) => page.locator(`[data-testid="suggestion"][data-name="${text}"]`);

describe('suggestions in the add-item field', () => {
  const stage = h2Stage('suggestions');
  let ann: TestUser;
  let listId: string;
  let url: string;
  let desktop: Page;

  beforeAll(async () => {
    url = stage.servers.url;
    [ann] = await stage.users(stage.servers, 'Ann') as [TestUser];
    listId = await createSharedList(url, ann, 'Weekly shop', []);
    const dairy = await createCategory(url, ann, listId, 'Dairy', 1 << 20);
    // bought before, then deleted: only the suggestions remember
    const milk = await addItem(url, ann, listId, 'Oat milk', { quantity: '2 l', categoryId: dairy.id });
    await deleteItem(url, ann, listId, String(milk.id));
    await addItem(url, ann, listId, 'Milk chocolate');
    const mints = await addItem(url, ann, listId, 'Mints');
    await checkItem(url, ann, listId, mints.id);
    desktop = (await stage.open(stage.servers, ann, `/lists/${listId}`)).page;
    await waitLive(desktop);
  });

  it('offers names once added, matching any word; the keyboard picks one, which comes with its quantity and category', async () => {
    await name(desktop).fill('mil');
    await option(desktop, 'Oat milk').waitFor();
    expect(await name(desktop).getAttribute('aria-expanded')).toBe('true');
    await screenshot(desktop, 'suggestions-desktop');
    await expectNoSeriousA11yViolations(desktop, 'list page with suggestions open');
    const options = await desktop.getByTestId('suggestion').evaluateAll((els) => els.map((el) => el.getAttribute('data-name')));
    expect(options).toEqual(expect.arrayContaining(['Oat milk', 'Milk chocolate']));
    // arrow down to Oat milk, Enter picks it
    for (let i = 0; i <= options.indexOf('Oat milk'); i++) await name(desktop).press('ArrowDown');
    const active = await name(desktop).getAttribute('aria-activedescendant');
    expect(await desktop.locator(`[id="${active}"]`).getAttribute('data-name')).toBe('Oat milk');
    await name(desktop).press('Enter');
    await desktop.locator('[data-testid="group"][data-category="Dairy"] [data-testid="item"][data-name="Oat milk"]').waitFor();
    expect(await itemRow(desktop, 'Oat milk').getByTestId('item-quantity').textContent()).toBe('2 l');
    expect(await name(desktop).inputValue()).toBe('');
    expect(await name(desktop).evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it('picking a name already on the list unchecked says so instead of adding a duplicate', async () => {
    await name(desktop).fill('choc');
    await option(desktop, 'Milk chocolate').getByText('on the list').waitFor();
    await option(desktop, 'Milk chocolate').click();
    await desktop.getByTestId('add-notice').getByText('Milk chocolate is already on the list.').waitFor();
    expect(await itemRow(desktop, 'Milk chocolate').getAttribute('class')).toContain('highlighted');
    expect((await items(url, ann, listId)).items.filter((it) => it.name === 'Milk chocolate')).toHaveLength(1);
  });

  it('typing an exact duplicate and pressing Enter warns too; "Add anyway" adds it', async () => {
    await name(desktop).fill('milk Chocolate');
    await name(desktop).press('Escape'); // close the list: Enter now submits what was typed
    await name(desktop).press('Enter');
    await desktop.getByTestId('add-notice').getByText('Milk chocolate is already on the list.').waitFor();
    expect((await items(url, ann, listId)).items.filter((it) => it.name.toLowerCase() === 'milk chocolate')).toHaveLength(1);
    await desktop.getByTestId('add-anyway').click();
    await desktop.locator('[data-testid="item"][data-name="milk Chocolate"]').waitFor();
  });

  it('on a phone, tapping a checked-off suggestion unchecks it', async () => {
    const { page } = await stage.open(stage.servers, ann, `/lists/${listId}`, { width: 390, height: 844 },
      { hasTouch: true, isMobile: true });
    await waitLive(page);
    await page.locator('[data-testid="item"][data-name="Mints"][data-checked="true"]').waitFor();
    await name(page).tap();
    await name(page).fill('Mi');
    await option(page, 'Mints').getByText('checked off').waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'suggestions-phone');
    await option(page, 'Mints').tap();
    await page.locator('[data-testid="item"][data-name="Mints"][data-checked="false"]').waitFor();
    await page.getByTestId('add-notice').getByText(/Mints was checked off; it is back on the list/).waitFor();
    // the screen shows it at once; the server has it as soon as the write went through (one Mints, unchecked)
    await waitFor('one Mints, unchecked, on the server', 5_000, async () => {
      const mints = (await items(url, ann, listId)).items.filter((it) => it.name === 'Mints');
      return mints.length === 1 && !mints[0]!.checked;
    });
    // and the undo toast offers to put it back
    await page.getByTestId('undo-toast').getByText('Unchecked Mints').waitFor();
  });
});
