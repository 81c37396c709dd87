import type { Page } from 'playwright-core';
import { itemRow } from './browser';
import { waitFor } from './wait';

/**
 * Waits until the service worker is active, so the app shell is precached and opens with no network. Polled with
 * page.evaluate: page.waitForFunction does not await an async predicate (the promise itself counts as true).
 */
export async function waitForServiceWorker(page: Page, timeout = 15_000): Promise<void> {
  await waitFor('the service worker to be activated', timeout, () => page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    return registration?.active?.state === 'activated';
  }));
}

/** How many of this user's changes to the open list wait in the outbox, as the connection badge says. */
export async function waiting(page: Page): Promise<number> {
  return Number(await page.getByTestId('connection-status').getAttribute('data-waiting'));
}

export async function waitForWaiting(page: Page, count: number, timeout = 20_000): Promise<void> {
  await page.locator(`[data-testid="connection-status"][data-waiting="${count}"]`).waitFor({ timeout });
}

/** Clicks an item's checkbox and waits until the screen shows the flipped state (stored in the outbox first). */
export async function toggle(page: Page, name: string): Promise<boolean> {
  const row = itemRow(page, name);
  const before = (await row.getAttribute('data-checked')) === 'true';
  await row.getByTestId('item-checkbox').click();
  await page.locator(`[data-testid="item"][data-name="${name}"][data-checked="${!before}"]`).waitFor({ timeout: 5_000 });
  return !before;
}

/** Adds an item through the add form (optionally into a category) and waits until it shows. */
export async function addThroughForm(page: Page, name: string, category?: string): Promise<void> {
  if (category) await page.getByTestId('add-item-category').selectOption({ label: category });
  await page.getByTestId('add-item-name').fill(name);
  await page.getByTestId('add-item-name').press('Enter');
  await itemRow(page, name).waitFor({ timeout: 5_000 });
}

/** Opens an item's editor, fills the given fields and saves. */
export async function editItem(page: Page, name: string, fields: { quantity?: string; note?: string }): Promise<void> {
  await itemRow(page, name).getByTestId('edit-item').click();
  const editor = page.getByTestId('item-editor');
  if (fields.quantity !== undefined) await editor.getByTestId('edit-quantity').fill(fields.quantity);
  if (fields.note !== undefined) await editor.getByTestId('edit-note').fill(fields.note);
  await editor.getByTestId('edit-name').press('Enter');
  await editor.waitFor({ state: 'detached', timeout: 5_000 });
}
