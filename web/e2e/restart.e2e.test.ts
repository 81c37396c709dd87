import { describe, expect, it } from 'vitest';
import { addItem, createSharedList } from './support/api';
import { itemRow, waitLive } from './support/browser';
import { expectScreenMatchesServer } from './support/convergence';
import { h2Stage } from './support/stage';

describe('server restart', () => {
  const stage = h2Stage('restart');

  it('shows "reconnecting" while the server is away, then catches up by itself with what changed meanwhile', async () => {
    const server = stage.servers;
    const [ann, bob] = await stage.users(server, 'Ann', 'Bob');
    const listId = await createSharedList(server.url, ann!, 'Restart', [{ user: bob!, role: 'editor' }]);
    await addItem(server.url, ann!, listId, 'Before');
    const { page } = await stage.open(server, bob!, `/lists/${listId}`);
    await waitLive(page);
    await itemRow(page, 'Before').waitFor();

    await server.stop();
    const badge = page.locator('[data-testid="connection-status"][data-state="reconnecting"]');
    await badge.waitFor({ timeout: 5_000 });
    expect(await badge.textContent()).toMatch(/Reconnecting · retrying (in \d+ s|now)/);

    await server.start();
    // Changed as soon as the server is back, while the page is still waiting for its next retry.
    await addItem(server.url, ann!, listId, 'While away');
    await waitLive(page, 40_000);
    await itemRow(page, 'While away').waitFor({ timeout: 5_000 });
    expect(await itemRow(page, 'Before').count()).toBe(1);
    await expectScreenMatchesServer(page, server.url, bob!, listId);
  });
});
