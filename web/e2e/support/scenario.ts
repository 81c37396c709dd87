import type { Page } from 'playwright-core';
import { itemRow, within } from './browser';

/** The promise: what one user does shows on the other's screen within this long, without a reload. */
export const LIVE_BUDGET_MS = 1_000;

const group = (page: Page, category: string) => page.locator(`[data-testid="group"][data-category="${category}"]`);

async function addItem(page: Page, name: string, options: { quantity?: string; category?: string } = {}) {
  if (options.quantity) await page.getByTestId('add-item-quantity').fill(options.quantity);
  await page.getByTestId('add-item-category').selectOption({ label: options.category ?? 'No category' });
  await page.getByTestId('add-item-name').fill(name);
  await page.getByTestId('add-item-name').press('Enter'); // the keyboard alone adds an item
}

async function openCategories(page: Page) {
  const details = page.locator('details.category-details');
  if (!(await details.evaluate((el) => (el as HTMLDetailsElement).open))) await page.getByTestId('manage-categories').click();
}

/**
 * `actor` performs every kind of change on a list both pages show; each must appear on `watcher` within the budget,
 * measured from the start of the action. Returns the measured latencies by action.
 */
export async function everyActionAppearsOnTheOtherScreen(actor: Page, watcher: Page): Promise<Record<string, number>> {
  const took: Record<string, number> = {};
  const step = async (name: string, action: () => Promise<unknown>, appears: (timeout: number) => Promise<unknown>) => {
    took[name] = await within(LIVE_BUDGET_MS, action, appears);
  };
  const visible = (locator: ReturnType<Page['locator']>) => (timeout: number) => locator.waitFor({ state: 'visible', timeout });
  const gone = (locator: ReturnType<Page['locator']>) => (timeout: number) => locator.waitFor({ state: 'detached', timeout });

  await step('add', () => addItem(actor, 'Milk', { quantity: '2 l' }),
    visible(itemRow(watcher, 'Milk').getByTestId('item-quantity').getByText('2 l')));
  await step('add (second)', () => addItem(actor, 'Bread'), visible(itemRow(watcher, 'Bread')));

  await openCategories(actor);
  await step('category create', async () => {
    await actor.getByTestId('new-category-name').fill('Dairy');
    await actor.getByTestId('new-category-name').press('Enter');
  }, visible(group(watcher, 'Dairy')));
  await step('add into category', () => addItem(actor, 'Butter', { category: 'Dairy' }),
    visible(group(watcher, 'Dairy').locator('[data-testid="item"][data-name="Butter"]')));

  await actor.getByTestId('new-category-name').fill('Bakery');
  await actor.getByTestId('new-category-name').press('Enter');
  await group(watcher, 'Bakery').waitFor({ timeout: LIVE_BUDGET_MS });
  await step('category reorder', () => actor.getByRole('button', { name: 'Move Bakery up' }).click(), (timeout) =>
    watcher.waitForFunction(() => [...document.querySelectorAll('[data-testid="group"]')]
      .map((g) => g.getAttribute('data-category')).join('|').startsWith('Bakery|Dairy'), null, { timeout }));

  await step('edit', async () => {
    await itemRow(actor, 'Milk').getByTestId('edit-item').click();
    await actor.getByTestId('edit-name').fill('Oat milk');
    await actor.getByTestId('edit-name').press('Enter');
  }, visible(itemRow(watcher, 'Oat milk').getByTestId('item-quantity').getByText('2 l')));
  await gone(itemRow(watcher, 'Milk'))(LIVE_BUDGET_MS);

  await step('check', () => itemRow(actor, 'Oat milk').getByTestId('item-checkbox').click(),
    visible(watcher.locator('[data-testid="item"][data-name="Oat milk"][data-checked="true"]')));
  await step('uncheck', () => itemRow(actor, 'Oat milk').getByTestId('item-checkbox').click(),
    visible(watcher.locator('[data-testid="item"][data-name="Oat milk"][data-checked="false"]')));

  await step('delete', () => itemRow(actor, 'Bread').getByTestId('delete-item').click(), gone(itemRow(watcher, 'Bread')));

  await itemRow(actor, 'Oat milk').getByTestId('item-checkbox').click();
  await watcher.locator('[data-testid="item"][data-name="Oat milk"][data-checked="true"]').waitFor({ timeout: LIVE_BUDGET_MS });
  await step('clear checked', () => actor.getByTestId('clear-checked').click(), gone(itemRow(watcher, 'Oat milk')));
  await itemRow(watcher, 'Butter').waitFor({ timeout: LIVE_BUDGET_MS }); // unchecked items stay

  await step('category rename', async () => {
    await actor.locator('[data-testid="category"][data-name="Dairy"]').getByTestId('rename-category').click();
    await actor.getByRole('textbox', { name: 'Category name', exact: true }).fill('Fridge');
    await actor.getByRole('textbox', { name: 'Category name', exact: true }).press('Enter');
  }, visible(group(watcher, 'Fridge')));

  await step('category delete', async () => {
    const row = actor.locator('[data-testid="category"][data-name="Fridge"]');
    await row.getByTestId('delete-category').click();
    await row.getByTestId('delete-category-confirm').click();
  }, async (timeout) => {
    await group(watcher, 'Fridge').waitFor({ state: 'detached', timeout });
    // Its items stay, uncategorized: the client did that itself from one category_deleted event.
    await group(watcher, '').locator('[data-testid="item"][data-name="Butter"]').waitFor({ timeout: LIVE_BUDGET_MS });
  });

  await step('add (other direction)', () => addItem(watcher, 'Apples'), visible(itemRow(actor, 'Apples')));
  return took;
}
