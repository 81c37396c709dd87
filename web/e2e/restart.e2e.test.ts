import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addItem, createSharedList, registerUser, type TestUser } from './support/api';
import { itemRow, launchBrowser, signIn, waitLive, type Session } from './support/browser';
import { expectScreenMatchesServer } from './support/convergence';
import { startH2Server } from './support/servers';

describe('server restart', () => {
  let env: Awaited<ReturnType<typeof startH2Server>>;
  let browser: Browser;
  let session: Session | undefined;

  beforeAll(async () => {
    env = await startH2Server('restart');
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await session?.context.close();
    await browser?.close();
    await env?.dispose();
  });

  it('shows "reconnecting" while the server is away, then catches up by itself with what changed meanwhile', async () => {
    const [ann, bob] = await Promise.all([registerUser(env.server.url, 'Ann'), registerUser(env.server.url, 'Bob')]) as [TestUser, TestUser];
    const listId = await createSharedList(env.server.url, ann, 'Restart', [{ user: bob, role: 'editor' }]);
    await addItem(env.server.url, ann, listId, 'Before');
    session = await signIn(browser, env.server.url, bob, `/lists/${listId}`);
    const page = session.page;
    await waitLive(page);
    await itemRow(page, 'Before').waitFor();

    await env.server.stop();
    const badge = page.locator('[data-testid="connection-status"][data-state="reconnecting"]');
    await badge.waitFor({ timeout: 5_000 });
    expect(await badge.textContent()).toMatch(/Reconnecting · retrying (in \d+ s|now)/);

    await env.server.start();
    // Changed as soon as the server is back, while the page is still waiting for its next retry.
    await addItem(env.server.url, ann, listId, 'While away');
    await waitLive(page, 40_000);
    await itemRow(page, 'While away').waitFor({ timeout: 5_000 });
    expect(await itemRow(page, 'Before').count()).toBe(1);
    await expectScreenMatchesServer(page, env.server.url, bob, listId);
  });
});
