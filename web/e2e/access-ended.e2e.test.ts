import { describe, expect, it } from 'vitest';
import { createSharedList } from './support/api';
import { waitLive } from './support/browser';
import { h2Stage } from './support/stage';

describe('access ending while watching', () => {
  const stage = h2Stage('access');

  it('a member removed by the owner sees that their access ended', async () => {
    const server = stage.servers;
    const [ann, bob] = await stage.users(server, 'Ann', 'Bob');
    const listId = await createSharedList(server.url, ann!, 'Shared for a while', [{ user: bob!, role: 'editor' }]);
    const bobs = await stage.open(server, bob!, `/lists/${listId}`);
    const anns = await stage.open(server, ann!, '/');
    await waitLive(bobs.page);

    // The owner removes Bob from the overview's members panel.
    const card = anns.page.locator('[data-testid="list-card"][data-name="Shared for a while"]');
    await card.getByRole('button', { name: 'Share', exact: true }).click();
    const member = card.locator(`[data-testid="member"][data-email="${bob!.email}"]`);
    await member.getByTestId('remove-member').click();
    await member.getByTestId('remove-member-confirm').click();
    await member.waitFor({ state: 'detached', timeout: 5_000 });

    const notice = bobs.page.getByTestId('access-ended');
    await notice.waitFor({ timeout: 3_000 });
    expect(await notice.textContent()).toContain('access to this list has ended');
  });

  it('a member watching a list the owner deletes is told it is gone', async () => {
    const server = stage.servers;
    const [ann, bob] = await stage.users(server, 'Ann', 'Bob');
    const listId = await createSharedList(server.url, ann!, 'Short-lived', [{ user: bob!, role: 'viewer' }]);
    const bobs = await stage.open(server, bob!, `/lists/${listId}`);
    await waitLive(bobs.page);
    // The owner opens the list, then goes back to the overview (which refetches on mount) to delete it there.
    const anns = await stage.open(server, ann!, `/lists/${listId}`);
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
