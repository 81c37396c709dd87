import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSharedList, registerUser, type TestUser } from './support/api';
import { launchBrowser, signIn, waitLive, type Session } from './support/browser';
import { startH2Server } from './support/servers';

describe('access ending while watching', () => {
  let env: Awaited<ReturnType<typeof startH2Server>>;
  let browser: Browser;
  let ann: TestUser, bob: TestUser;
  const sessions: Session[] = [];

  beforeAll(async () => {
    env = await startH2Server('access');
    browser = await launchBrowser();
    [ann, bob] = await Promise.all([registerUser(env.server.url, 'Ann'), registerUser(env.server.url, 'Bob')]) as [TestUser, TestUser];
  });

  afterAll(async () => {
    for (const s of sessions) await s.context.close();
    await browser?.close();
    await env?.dispose();
  });

  it('a member removed by the owner sees that their access ended', async () => {
    const listId = await createSharedList(env.server.url, ann, 'Shared for a while', [{ user: bob, role: 'editor' }]);
    const bobs = await signIn(browser, env.server.url, bob, `/lists/${listId}`);
    const anns = await signIn(browser, env.server.url, ann, '/');
    sessions.push(bobs, anns);
    await waitLive(bobs.page);

    // The owner removes Bob from the overview's members panel.
    const card = anns.page.locator('[data-testid="list-card"][data-name="Shared for a while"]');
    await card.getByRole('button', { name: 'Share', exact: true }).click();
    const member = card.locator(`[data-testid="member"][data-email="${bob.email}"]`);
    await member.getByTestId('remove-member').click();
    await member.getByTestId('remove-member-confirm').click();
    await member.waitFor({ state: 'detached', timeout: 5_000 });

    const notice = bobs.page.getByTestId('access-ended');
    await notice.waitFor({ timeout: 3_000 });
    expect(await notice.textContent()).toContain('access to this list has ended');
  });

  it('a member watching a list the owner deletes is told it is gone', async () => {
    const listId = await createSharedList(env.server.url, ann, 'Short-lived', [{ user: bob, role: 'viewer' }]);
    const bobs = sessions[0]!;
    await bobs.page.goto(`${env.server.url}/lists/${listId}`);
    await waitLive(bobs.page);
    const anns = sessions[1]!;
    // The owner opens the list, then goes back to the overview (which refetches on mount) to delete it there.
    await anns.page.goto(`${env.server.url}/lists/${listId}`);
    await waitLive(anns.page);
    await anns.page.getByRole('link', { name: 'All lists' }).click();
    const card = anns.page.locator('[data-testid="list-card"][data-name="Short-lived"]');
    await card.getByTestId('delete-list').click();
    await card.getByTestId('delete-list-confirm').click();
    await card.waitFor({ state: 'detached', timeout: 5_000 });
    const notice = bobs.page.getByTestId('access-ended');
    await notice.waitFor({ timeout: 3_000 });
    expect(await notice.textContent()).toContain('deleted');
  });
});
