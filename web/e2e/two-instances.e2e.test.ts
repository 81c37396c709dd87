import { describe, it } from 'vitest';
import { addItem, createSharedList } from './support/api';
import { itemRow, waitLive } from './support/browser';
import { expectScreenMatchesServer } from './support/convergence';
import { everyActionAppearsOnTheOtherScreen, LIVE_BUDGET_MS } from './support/scenario';
import { clusterStage } from './support/stage';

describe('two server instances sharing PostgreSQL and Redis', () => {
  const stage = clusterStage();

  it(`shows every action made on instance A on a screen served by instance B within ${LIVE_BUDGET_MS} ms`, async () => {
    const { a, b } = stage.servers;
    const [ann, bob] = await stage.users(a, 'Ann', 'Bob');
    const listId = await createSharedList(a.url, ann!, 'Across instances', [{ user: bob!, role: 'editor' }]);
    const anns = await stage.open(a, ann!, `/lists/${listId}`);
    const bobs = await stage.open(b, bob!, `/lists/${listId}`);
    await Promise.all([waitLive(anns.page), waitLive(bobs.page)]);
    const took = await everyActionAppearsOnTheOtherScreen(anns.page, bobs.page);
    console.log('two instances, ms from action to the other screen:', took);
    await expectScreenMatchesServer(anns.page, a.url, ann!, listId);
    await expectScreenMatchesServer(bobs.page, b.url, bob!, listId);
  });

  it('a page on an instance that restarts catches up with what was changed on the other instance meanwhile', async () => {
    const { a, b } = stage.servers;
    const [ann, bob] = await stage.users(a, 'Ann', 'Bob');
    const listId = await createSharedList(a.url, ann!, 'Failover', [{ user: bob!, role: 'editor' }]);
    const bobs = await stage.open(b, bob!, `/lists/${listId}`);
    await waitLive(bobs.page);

    await b.stop();
    await bobs.page.locator('[data-testid="connection-status"][data-state="reconnecting"]').waitFor({ timeout: 5_000 });
    // Instance B is down: these commits reach only A, the database's event log, and Redis.
    for (const name of ['Rope', 'Tent', 'Torch']) await addItem(a.url, ann!, listId, name);

    await b.start();
    await waitLive(bobs.page, 40_000);
    for (const name of ['Rope', 'Tent', 'Torch']) await itemRow(bobs.page, name).waitFor({ timeout: 2_000 });
    await expectScreenMatchesServer(bobs.page, b.url, bob!, listId);
  });
});
