import type { Page } from 'playwright-core';
import { freshToken, readList, type TestUser } from './api';

/** What a list page shows, reduced to comparable facts: category order, and each item's category and checked state. */
interface View {
  categories: string[];
  items: string[];
}

async function screenView(page: Page): Promise<View> {
  return page.evaluate(() => {
    const groups = [...document.querySelectorAll('[data-testid="group"]')];
    return {
      categories: groups.map((g) => g.getAttribute('data-category') ?? '').filter((name) => name !== ''),
      items: groups.flatMap((g) => [...g.querySelectorAll('[data-testid="item"]')]
        .map((i) => `${g.getAttribute('data-category')}|${i.getAttribute('data-name')}|${i.getAttribute('data-checked')}`))
        .sort(),
    };
  });
}

async function serverView(baseUrl: string, user: TestUser, listId: string): Promise<View> {
  const { items, categories } = await readList(baseUrl, user, listId);
  const byId = new Map(categories.map((c) => [String(c.id), c.name]));
  return {
    categories: [...categories].sort((a, b) => a.position - b.position).map((c) => c.name),
    items: items.map((i) => `${(i.categoryId != null && byId.get(String(i.categoryId))) || ''}|${i.name}|${i.checked}`).sort(),
  };
}

/**
 * The convergence check: once changes stop, the page shows exactly what a fresh REST read returns. Waits (bounded) for
 * the two to agree, and fails with both views when they do not.
 */
export async function expectScreenMatchesServer(page: Page, baseUrl: string, user: TestUser, listId: string,
  timeoutMs = 3_000): Promise<void> {
  const reader = await freshToken(baseUrl, user); // once: logins are rate-limited and deliberately slow
  const deadline = Date.now() + timeoutMs;
  let screen: View;
  let server: View;
  do {
    [screen, server] = await Promise.all([screenView(page), serverView(baseUrl, reader, listId)]);
    if (JSON.stringify(screen) === JSON.stringify(server)) return;
    await page.waitForTimeout(100); // polling interval of a bounded condition wait
  } while (Date.now() < deadline);
  throw new Error(`the page did not converge to the server's state:\n screen ${JSON.stringify(screen)}\n server ${JSON.stringify(server)}`);
}
