import type { Browser, WebSocket } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addItem, createSharedList, freshToken, registerUser, type TestUser } from './support/api';
import { itemRow, launchBrowser, signIn, waitLive, type Session } from './support/browser';
import { LIVE_BUDGET_MS } from './support/scenario';
import { expectScreenMatchesServer } from './support/convergence';
import { startH2Server } from './support/servers';

const TTL_SECONDS = 8;

describe('short-lived access tokens', () => {
  let env: Awaited<ReturnType<typeof startH2Server>>;
  let browser: Browser;
  let session: Session | undefined;

  beforeAll(async () => {
    env = await startH2Server('expiry', { AUTH_ACCESS_TOKEN_TTL: `PT${TTL_SECONDS}S` });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await session?.context.close();
    await browser?.close();
    await env?.dispose();
  });

  it('keep a watching page signed in and live across expiries (silent refresh, 4401 → reconnect), missing nothing', async () => {
    const [ann, bob] = await Promise.all([registerUser(env.server.url, 'Ann'), registerUser(env.server.url, 'Bob')]) as [TestUser, TestUser];
    const listId = await createSharedList(env.server.url, ann, 'Expiring', [{ user: bob, role: 'editor' }]);
    session = await signIn(browser, env.server.url, bob, `/lists/${listId}`);
    const page = session.page;
    const sockets: WebSocket[] = [];
    page.on('websocket', (ws) => sockets.push(ws));
    await waitLive(page);

    // The server closes each socket when its token expires (4401); the page must come back by itself, twice.
    const closes: number[] = [];
    const started = Date.now();
    for (let n = 0; n < 2; n++) {
      await page.waitForEvent('websocket', { timeout: (TTL_SECONDS + 10) * 1000 });
      closes.push(Date.now() - started);
      await waitLive(page);
    }
    expect(sockets.length).toBeGreaterThanOrEqual(2);

    // Still signed in (the refresh token rotated silently) and still live: a change arrives, one made here works.
    expect(new URL(page.url()).pathname).toBe(`/lists/${listId}`);
    const annNow = await freshToken(env.server.url, ann);
    const t0 = Date.now();
    await addItem(env.server.url, annNow, listId, 'After expiry');
    await itemRow(page, 'After expiry').waitFor({ timeout: LIVE_BUDGET_MS - (Date.now() - t0) });
    await itemRow(page, 'After expiry').getByTestId('item-checkbox').click();
    await page.locator('[data-testid="item"][data-name="After expiry"][data-checked="true"]').waitFor({ timeout: 2_000 });
    expect(await page.getByRole('alert').count()).toBe(0);
    await expectScreenMatchesServer(page, env.server.url, bob, listId);
  });
});
