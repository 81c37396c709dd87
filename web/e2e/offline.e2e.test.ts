import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addItem, createSharedList, registerUser, type TestUser } from './support/api';
import { itemRow, launchBrowser, signIn, waitLive, type Session } from './support/browser';
import { expectScreenMatchesServer } from './support/convergence';
import { startH2Server } from './support/servers';

describe('a device that loses its network', () => {
  let env: Awaited<ReturnType<typeof startH2Server>>;
  let browser: Browser;
  let session: Session | undefined;

  beforeAll(async () => {
    env = await startH2Server('offline');
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await session?.context.close();
    await browser?.close();
    await env?.dispose();
  });

  it('says offline at once, and on reconnecting replays what changed meanwhile (since)', async () => {
    const [ann, bob] = await Promise.all([registerUser(env.server.url, 'Ann'), registerUser(env.server.url, 'Bob')]) as [TestUser, TestUser];
    const listId = await createSharedList(env.server.url, ann, 'Commute', [{ user: bob, role: 'editor' }]);
    session = await signIn(browser, env.server.url, bob, `/lists/${listId}`, { width: 390, height: 844 });
    const page = session.page;
    await waitLive(page);

    await session.context.setOffline(true);
    await page.locator('[data-testid="connection-status"][data-state="offline"]').waitFor({ timeout: 2_000 });
    for (const name of ['Coffee', 'Filters', 'Sugar']) await addItem(env.server.url, ann, listId, name);

    const reconnect = page.waitForEvent('websocket', { timeout: 5_000 });
    await session.context.setOffline(false);
    const socket = await reconnect;
    expect(new URL(socket.url()).searchParams.get('since')).not.toBeNull();
    await waitLive(page, 5_000);
    for (const name of ['Coffee', 'Filters', 'Sugar']) await itemRow(page, name).waitFor({ timeout: 2_000 });
    await expectScreenMatchesServer(page, env.server.url, bob, listId);
  });
});
