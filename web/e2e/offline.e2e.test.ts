import { describe, expect, it } from 'vitest';
import { addItem, createSharedList } from './support/api';
import { itemRow, waitLive } from './support/browser';
import { expectScreenMatchesServer } from './support/convergence';
import { h2Stage } from './support/stage';

describe('a device that loses its network', () => {
  const stage = h2Stage('offline');

  it('says offline at once, and on reconnecting replays what changed meanwhile (since)', async () => {
    const server = stage.servers;
    const [ann, bob] = await stage.users(server, 'Ann', 'Bob');
    const listId = await createSharedList(server.url, ann!, 'Commute', [{ user: bob!, role: 'editor' }]);
    const { context, page } = await stage.open(server, bob!, `/lists/${listId}`, { width: 390, height: 844 });
    await waitLive(page);

    await context.setOffline(true);
    await page.locator('[data-testid="connection-status"][data-state="offline"]').waitFor({ timeout: 2_000 });
    for (const name of ['Coffee', 'Filters', 'Sugar']) await addItem(server.url, ann!, listId, name);

    const reconnect = page.waitForEvent('websocket', { timeout: 5_000 });
    await context.setOffline(false);
    const socket = await reconnect;
    expect(new URL(socket.url()).searchParams.get('since')).not.toBeNull();
    await waitLive(page, 5_000);
    for (const name of ['Coffee', 'Filters', 'Sugar']) await itemRow(page, name).waitFor({ timeout: 2_000 });
    await expectScreenMatchesServer(page, server.url, bob!, listId);
  });
});
