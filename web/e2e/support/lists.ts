import type { Locator, Page } from 'playwright-core';
import type { TestUser } from './api';

/** REST reads and writes the feature tests need beyond support/api.ts. */
async function call<T>(baseUrl: string, method: string, path: string, user: TestUser, body?: unknown): Promise<T> {
  const response = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${user.accessToken}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export interface FullItem {
  id: string;
  name: string;
  quantity: string | null;
  note: string | null;
  categoryId: string | null;
  position: number;
  checked: boolean;
  updatedAt: string;
}

export const items = (baseUrl: string, user: TestUser, listId: string) =>
  call<{ version: number; items: FullItem[] }>(baseUrl, 'GET', `/lists/${listId}/items`, user);

export const categories = (baseUrl: string, user: TestUser, listId: string) =>
  call<{ version: number; categories: { id: string; name: string; position: number }[] }>(baseUrl, 'GET',
    `/lists/${listId}/categories`, user);

export const listVersion = async (baseUrl: string, user: TestUser, listId: string) =>
  (await call<{ version: number }>(baseUrl, 'GET', `/lists/${listId}`, user)).version;

export const patchItem = (baseUrl: string, user: TestUser, listId: string, itemId: string, patch: object) =>
  call<FullItem>(baseUrl, 'PATCH', `/lists/${listId}/items/${itemId}`, user, patch);

export const uncheckItem = (baseUrl: string, user: TestUser, listId: string, itemId: string) =>
  call<FullItem>(baseUrl, 'POST', `/lists/${listId}/items/${itemId}/uncheck`, user);

export const deleteItem = (baseUrl: string, user: TestUser, listId: string, itemId: string) =>
  call<void>(baseUrl, 'DELETE', `/lists/${listId}/items/${itemId}`, user);

export const activity = (baseUrl: string, user: TestUser, listId: string, query = '') =>
  call<{ events: { version: number; type: string; data: Record<string, unknown> }[] }>(baseUrl, 'GET',
    `/lists/${listId}/activity${query}`, user);

/** The item names of a category group (`''` = uncategorized) in the order the page shows them. */
export function groupOrder(page: Page, category: string): Promise<string[]> {
  return page.evaluate((name) => [...document.querySelectorAll(`[data-testid="group"][data-category="${name}"] [data-testid="item"]`)]
    .map((el) => el.getAttribute('data-name') ?? ''), category);
}

/** The category groups in the order the page shows them. */
export function categoryOrder(page: Page): Promise<string[]> {
  return page.evaluate(() => [...document.querySelectorAll('[data-testid="group"]')]
    .map((g) => g.getAttribute('data-category') ?? '').filter((name) => name !== ''));
}

/** Waits (bounded) until the page shows `expected` in a group. */
export async function waitForOrder(page: Page, category: string, expected: string[], timeout = 5_000): Promise<void> {
  await page.waitForFunction(([name, want]) => [...document.querySelectorAll(`[data-testid="group"][data-category="${name}"] [data-testid="item"]`)]
    .map((el) => el.getAttribute('data-name')).join('|') === want, [category, expected.join('|')] as const, { timeout });
}

export const group = (page: Page, category: string): Locator => page.locator(`[data-testid="group"][data-category="${category}"]`);

async function center(locator: Locator): Promise<{ x: number; y: number; height: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('element is not visible');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2, height: box.height };
}

/** Scrolls so that both ends of a drag are on screen (a hand cannot drag to what it cannot see). */
async function bothInView(page: Page, handle: Locator, target: Locator): Promise<void> {
  await target.scrollIntoViewIfNeeded();
  await handle.scrollIntoViewIfNeeded();
  const height = page.viewportSize()!.height;
  for (const box of [await handle.boundingBox(), await target.boundingBox()]) {
    if (!box || box.y < 0 || box.y + box.height > height) throw new Error('the drag does not fit on the screen');
  }
}

/** Drags `handle` with the mouse onto the upper or lower part of `target`, in small steps as a hand would. */
export async function mouseDrag(page: Page, handle: Locator, target: Locator, where: 'upper' | 'lower'): Promise<void> {
  await bothInView(page, handle, target);
  const from = await center(handle);
  const to = await center(target);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x, from.y + 8, { steps: 4 }); // past the 4 px that start a drag
  await page.mouse.move(from.x, to.y + (where === 'upper' ? -to.height / 4 : to.height / 4), { steps: 20 });
  await page.mouse.up();
}

/**
 * A finger's drag (touch events through the browser's debugging protocol): press and hold the handle past the touch
 * sensor's 180 ms (the hold is the gesture itself), then move in steps and lift.
 */
export async function touchDrag(page: Page, handle: Locator, target: Locator, where: 'upper' | 'lower'): Promise<void> {
  await bothInView(page, handle, target);
  const cdp = await page.context().newCDPSession(page);
  const from = await center(handle);
  const to = await center(target);
  const y = to.y + (where === 'upper' ? -to.height / 4 : to.height / 4);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: from.x, y: from.y }] });
  await page.waitForTimeout(400); // holding the finger down: the gesture, not a wait for a condition
  const steps = 20;
  for (let i = 1; i <= steps; i++) {
    await cdp.send('Input.dispatchTouchEvent', {
      type: 'touchMove', touchPoints: [{ x: from.x, y: from.y + ((y - from.y) * i) / steps }],
    });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}
