import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { addItem, checkItem } from './support/api';
import { expectNoSeriousA11yViolations } from './support/a11y';
import { screenshot } from './support/browser';
import { clusterStage } from './support/stage';

/** The contract's bound (1 s from the REST answer) plus a second of list_changed coalescing and a loaded box. */
const OVERVIEW_BUDGET_MS = 3_000;

const card = (page: Page, name: string) => page.locator(`[data-testid="list-card"][data-name="${name}"]`);

/** Waits until the overview's own socket said hello (from then on every change reaches it). */
const waitOverviewLive = (page: Page) => page.locator('[data-testid="overview"][data-sync="live"]').waitFor({ timeout: 10_000 });

/** A marker in the page's memory: gone if the page reloaded or navigated. */
const markPage = (page: Page) => page.evaluate(() => { (window as unknown as { marker?: number }).marker = 42; });
const stillSamePage = (page: Page) => page.evaluate(() => (window as unknown as { marker?: number }).marker === 42);

describe('the live overview (/ws/me) across two instances', () => {
  const stage = clusterStage();

  it("shows on B's overview, without reload, what A does on the other instance: share, rename, counts, remove, delete", async () => {
    const { a, b } = stage.servers;
    const [ann, bob] = await stage.users(a, 'Ann', 'Bob');
    const anns = await stage.open(a, ann!, '/');
    const bobs = await stage.open(b, bob!, '/');
    await Promise.all([waitOverviewLive(anns.page), waitOverviewLive(bobs.page)]);
    await markPage(bobs.page);

    // Ann creates a list: it is hers alone, so only her overview shows it.
    await anns.page.getByTestId('new-list-name').fill('Camping');
    await anns.page.getByRole('button', { name: 'Create' }).click();
    await card(anns.page, 'Camping').waitFor({ timeout: 5_000 });
    expect(await card(anns.page, 'Camping').getByTestId('list-counts').getAttribute('data-items')).toBe('0');

    // Ann shares it with Bob from her overview: it appears on Bob's.
    const share = async () => {
      await card(anns.page, 'Camping').getByRole('button', { name: 'Share', exact: true }).click();
      const panel = card(anns.page, 'Camping').getByTestId('members-panel');
      await panel.getByLabel('Email to share with').fill(bob!.email);
      await panel.getByRole('button', { name: 'Share', exact: true }).click();
      await panel.locator(`[data-testid="member"][data-email="${bob!.email}"]`).waitFor({ timeout: 5_000 });
    };
    await share();
    await card(bobs.page, 'Camping').waitFor({ timeout: OVERVIEW_BUDGET_MS });
    expect(await card(bobs.page, 'Camping').locator('.role').textContent()).toBe('editor');

    // Ann renames it: Bob's card follows.
    await card(anns.page, 'Camping').getByTestId('rename-list').click();
    const nameField = card(anns.page, 'Camping').getByRole('textbox', { name: 'List name', exact: true });
    await nameField.fill('Camping trip');
    await nameField.press('Enter');
    await card(bobs.page, 'Camping trip').waitFor({ timeout: OVERVIEW_BUDGET_MS });
    await card(bobs.page, 'Camping').waitFor({ state: 'detached', timeout: OVERVIEW_BUDGET_MS });

    // Items added and checked on instance A: "2 of 3 left" on Bob's card (list_changed is coalesced to 1/s per
    // list; the last frame carries the final counts).
    const listId = (await card(anns.page, 'Camping trip').getByRole('link').getAttribute('href'))!.split('/').pop()!;
    const tent = await addItem(a.url, ann!, listId, 'Tent');
    await addItem(a.url, ann!, listId, 'Rope');
    await addItem(a.url, ann!, listId, 'Torch');
    await checkItem(a.url, ann!, listId, tent.id);
    const counts = card(bobs.page, 'Camping trip').getByTestId('list-counts');
    await expect.poll(() => counts.getAttribute('data-checked'), { timeout: OVERVIEW_BUDGET_MS }).toBe('1');
    expect(await counts.getAttribute('data-items')).toBe('3');
    expect(await counts.locator('[aria-hidden="true"]').textContent()).toBe('2 of 3 left');
    expect(await counts.locator('.visually-hidden').textContent()).toBe('2 of 3 items left to check, 1 checked');
    // The link's description is the sentence, so a screen reader hears it with the list's name.
    const link = card(bobs.page, 'Camping trip').getByRole('link');
    expect(await link.getAttribute('aria-describedby')).toBe(await counts.getAttribute('id'));
    // Ann's own overview is live too.
    await expect.poll(() => card(anns.page, 'Camping trip').getByTestId('list-counts').getAttribute('data-checked'),
      { timeout: OVERVIEW_BUDGET_MS }).toBe('1');
    await expectNoSeriousA11yViolations(bobs.page, 'overview with counts');
    await screenshot(bobs.page, 'overview-counts-desktop');

    // Ann removes Bob: the list leaves Bob's overview.
    const panel = card(anns.page, 'Camping trip').getByTestId('members-panel');
    const member = panel.locator(`[data-testid="member"][data-email="${bob!.email}"]`);
    await member.getByTestId('remove-member').click();
    await member.getByTestId('remove-member-confirm').click();
    await member.waitFor({ state: 'detached', timeout: 5_000 });
    await card(bobs.page, 'Camping trip').waitFor({ state: 'detached', timeout: OVERVIEW_BUDGET_MS });

    // Shared again, then deleted by Ann: it comes back with its counts, then goes for good.
    await panel.getByLabel('Email to share with').fill(bob!.email);
    await panel.getByRole('button', { name: 'Share', exact: true }).click();
    await card(bobs.page, 'Camping trip').waitFor({ timeout: OVERVIEW_BUDGET_MS });
    expect(await card(bobs.page, 'Camping trip').getByTestId('list-counts').getAttribute('data-items')).toBe('3');
    await card(anns.page, 'Camping trip').getByTestId('delete-list').click();
    await card(anns.page, 'Camping trip').getByTestId('delete-list-confirm').click();
    await card(bobs.page, 'Camping trip').waitFor({ state: 'detached', timeout: OVERVIEW_BUDGET_MS });

    expect(await stillSamePage(bobs.page)).toBe(true); // all of it without a reload
    expect(await bobs.page.locator('[data-testid="list-card"]').count()).toBe(0);
  });

  it('catches up after its instance restarts: what changed meanwhile is shown once it is back', async () => {
    const { a, b } = stage.servers;
    const [ann, bob] = await stage.users(a, 'Ann', 'Bob');
    const bobs = await stage.open(b, bob!, '/');
    await waitOverviewLive(bobs.page);
    await markPage(bobs.page);

    await b.stop();
    await bobs.page.locator('[data-testid="overview"][data-sync="reconnecting"]').waitFor({ timeout: 5_000 });
    // Instance B is down: Bob's socket hears nothing of this.
    const list = await fetch(`${a.url}/api/v1/lists`, {
      method: 'POST', headers: { Authorization: `Bearer ${ann!.accessToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'While away' }),
    }).then((r) => r.json() as Promise<{ id: string }>);
    await fetch(`${a.url}/api/v1/lists/${list.id}/members`, {
      method: 'POST', headers: { Authorization: `Bearer ${ann!.accessToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: bob!.email, role: 'viewer' }),
    });

    await b.start();
    await card(bobs.page, 'While away').waitFor({ timeout: 45_000 }); // the backoff may be at 10-30 s by now
    expect(await card(bobs.page, 'While away').locator('.role').textContent()).toBe('viewer');
    expect(await stillSamePage(bobs.page)).toBe(true);
  });
});
