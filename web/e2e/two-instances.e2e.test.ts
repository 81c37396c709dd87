import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { addItem, createSharedList, registerUser, type TestUser } from './support/api';
import { itemRow, launchBrowser, signIn, waitLive, type Session } from './support/browser';
import { expectScreenMatchesServer } from './support/convergence';
import { everyActionAppearsOnTheOtherScreen, LIVE_BUDGET_MS } from './support/scenario';
import { startCluster } from './support/servers';

describe('two server instances sharing PostgreSQL and Redis', () => {
  let cluster: Awaited<ReturnType<typeof startCluster>>;
  let browser: Browser;
  const sessions: Session[] = [];

  beforeAll(async () => {
    cluster = await startCluster();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const s of sessions) await s.context.close();
    await browser?.close();
    await cluster?.dispose();
  });

  it(`shows every action made on instance A on a screen served by instance B within ${LIVE_BUDGET_MS} ms`, async () => {
    const [ann, bob] = await Promise.all([registerUser(cluster.a.url, 'Ann'), registerUser(cluster.b.url, 'Bob')]) as [TestUser, TestUser];
    const listId = await createSharedList(cluster.a.url, ann, 'Across instances', [{ user: bob, role: 'editor' }]);
    const anns = await signIn(browser, cluster.a.url, ann, `/lists/${listId}`);
    const bobs = await signIn(browser, cluster.b.url, bob, `/lists/${listId}`);
    sessions.push(anns, bobs);
    await Promise.all([waitLive(anns.page), waitLive(bobs.page)]);
    const took = await everyActionAppearsOnTheOtherScreen(anns.page, bobs.page);
    console.log('two instances, ms from action to the other screen:', took);
    await expectScreenMatchesServer(anns.page, cluster.a.url, ann, listId);
    await expectScreenMatchesServer(bobs.page, cluster.b.url, bob, listId);
  });

  it('a page on an instance that restarts catches up with what was changed on the other instance meanwhile', async () => {
    const [ann, bob] = await Promise.all([registerUser(cluster.a.url, 'Ann'), registerUser(cluster.a.url, 'Bob')]) as [TestUser, TestUser];
    const listId = await createSharedList(cluster.a.url, ann, 'Failover', [{ user: bob, role: 'editor' }]);
    const bobs = await signIn(browser, cluster.b.url, bob, `/lists/${listId}`);
    sessions.push(bobs);
    await waitLive(bobs.page);

    await cluster.b.stop();
    await bobs.page.locator('[data-testid="connection-status"][data-state="reconnecting"]').waitFor({ timeout: 5_000 });
    // Instance B is down: these commits reach only A, the database's event log, and Redis.
    for (const name of ['Rope', 'Tent', 'Torch']) await addItem(cluster.a.url, ann, listId, name);

    await cluster.b.start();
    await waitLive(bobs.page, 40_000);
    for (const name of ['Rope', 'Tent', 'Torch']) await itemRow(bobs.page, name).waitFor({ timeout: 2_000 });
    await expectScreenMatchesServer(bobs.page, cluster.b.url, bob, listId);
  });
});
