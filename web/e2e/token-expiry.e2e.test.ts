import { describe, expect, it } from 'vitest';
import { addItem, createSharedList, freshToken } from './support/api';
import { itemRow, waitLive } from './support/browser';
import { expectScreenMatchesServer } from './support/convergence';
import { LIVE_BUDGET_MS } from './support/scenario';
import { h2Stage } from './support/stage';

const TTL_SECONDS = 8;

describe('short-lived access tokens', () => {
  const stage = h2Stage('expiry', { AUTH_ACCESS_TOKEN_TTL: `PT${TTL_SECONDS}S` });

  it('keep a watching page signed in and live across expiries (silent refresh, 4401 → reconnect), missing nothing', async () => {
    const server = stage.servers;
    const [ann, bob] = await stage.users(server, 'Ann', 'Bob');
    const listId = await createSharedList(server.url, ann!, 'Expiring', [{ user: bob!, role: 'editor' }]);
    const { page } = await stage.open(server, bob!, `/lists/${listId}`);
    await waitLive(page);

    // The server closes each socket when its token expires (4401); the page must come back by itself, twice.
    for (let n = 0; n < 2; n++) {
      await page.waitForEvent('websocket', { timeout: (TTL_SECONDS + 10) * 1000 });
      await waitLive(page);
    }

    // Still signed in (the refresh token rotated silently) and still live: a change arrives, one made here works.
    expect(new URL(page.url()).pathname).toBe(`/lists/${listId}`);
    const annNow = await freshToken(server.url, ann!);
    const t0 = Date.now();
    await addItem(server.url, annNow, listId, 'After expiry');
    await itemRow(page, 'After expiry').waitFor({ timeout: LIVE_BUDGET_MS - (Date.now() - t0) });
    await itemRow(page, 'After expiry').getByTestId('item-checkbox').click();
    await page.locator('[data-testid="item"][data-name="After expiry"][data-checked="true"]').waitFor({ timeout: 2_000 });
    expect(await page.getByRole('alert').count()).toBe(0);
    await expectScreenMatchesServer(page, server.url, bob!, listId);
  });
});
