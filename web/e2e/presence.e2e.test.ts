import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createSharedList } from './support/api';
import { expectNoSeriousA11yViolations } from './support/a11y';
import { screenshot, waitLive } from './support/browser';
import type { TestUser } from './support/api';
import { clusterStage } from './support/stage';

/** The contract: within 1 s of a socket opening or closing; slack for a loaded box and Redis between instances. */
const PRESENCE_BUDGET_MS = 5_000;

/** The user ids of the others the page shows as viewing, in order. */
const shownViewers = (page: Page) => page.locator('[data-testid="viewer"]').evaluateAll(
  (avatars) => avatars.map((a) => a.getAttribute('data-user-id')));

const waitForViewers = (page: Page, users: TestUser[]) =>
  expect.poll(() => shownViewers(page), { timeout: PRESENCE_BUDGET_MS }).toEqual(users.map((u) => String(u.id)));

describe('presence: who else has the list open, across two instances', () => {
  const stage = clusterStage();

  it('shows each viewer the other (never themself, once however many tabs), and drops one who closed the page', async () => {
    const { a, b } = stage.servers;
    const [ann, bob] = await stage.users(a, 'Ann', 'Bob Builder');
    const listId = await createSharedList(a.url, ann!, 'Picnic', [{ user: bob!, role: 'viewer' }]);

    const anns = await stage.open(a, ann!, `/lists/${listId}`);
    await waitLive(anns.page);
    expect(await shownViewers(anns.page)).toEqual([]); // alone: nobody else, and not herself
    // From here on, arrivals are read out (what a page finds on opening is not).
    await anns.page.locator('[data-testid="viewers"][data-settled="true"]').waitFor({ state: 'attached', timeout: 5_000 });

    const bobs = await stage.open(b, bob!, `/lists/${listId}`);
    await waitLive(bobs.page);
    await waitForViewers(anns.page, [bob!]);
    await waitForViewers(bobs.page, [ann!]);

    // What the avatar and the screen reader say.
    const avatar = anns.page.locator('[data-testid="viewer"]');
    expect(await avatar.textContent()).toBe('BB');
    expect(await avatar.getAttribute('title')).toBe('Bob Builder');
    // Its colour comes from a class (the CSP allows no inline style): white initials on a dark disc.
    expect(await avatar.evaluate((el) => getComputedStyle(el).backgroundColor)).not.toBe('rgba(0, 0, 0, 0)');
    expect(await anns.page.getByTestId('viewers-text').textContent()).toBe('Bob Builder is viewing');
    expect(await bobs.page.getByTestId('viewers-text').textContent()).toBe('Ann is viewing');
    const region = anns.page.getByTestId('presence-announcer');
    expect(await region.getAttribute('aria-live')).toBe('polite');
    await expect.poll(() => region.textContent(), { timeout: PRESENCE_BUDGET_MS }).toBe('Bob Builder opened this list');
    // Ann was there already: Bob's page does not say she arrived, though his hello (instance B had no viewer of
    // this list yet) named only him and she came in a presence frame right after.
    await bobs.page.locator('[data-testid="viewers"][data-settled="true"]').waitFor({ state: 'attached', timeout: 5_000 });
    expect(await bobs.page.getByTestId('presence-announcer').textContent()).toBe('');
    await expectNoSeriousA11yViolations(anns.page, 'list page with a viewer shown');
    await screenshot(anns.page, 'presence-desktop');

    // Ann opens a second tab (same profile, so same origin and session): Bob still sees her once, and she never
    // sees herself.
    const second = await anns.context.newPage();
    await second.goto(`${a.url}/lists/${listId}`);
    await waitLive(second);
    await waitForViewers(second, [bob!]);
    expect(await shownViewers(bobs.page)).toEqual([String(ann!.id)]);
    await second.close();

    // Bob closes his page: Ann's viewers drop him within seconds, and that is read out.
    await bobs.page.close();
    await waitForViewers(anns.page, []);
    await expect.poll(() => region.textContent(), { timeout: PRESENCE_BUDGET_MS }).toBe('Bob Builder left this list');
    expect(await anns.page.getByTestId('viewers-text').count()).toBe(0);
  });

  it('on a phone, the viewers fit in the list header', async () => {
    const { a, b } = stage.servers;
    const [ann, bob] = await stage.users(a, 'Ann', 'Bob');
    const listId = await createSharedList(a.url, ann!, 'A list with a rather long name for a phone', [
      { user: bob!, role: 'editor' }]);
    const phone = { width: 390, height: 844 };
    const anns = await stage.open(a, ann!, `/lists/${listId}`, phone);
    await stage.open(b, bob!, `/lists/${listId}`);
    await waitForViewers(anns.page, [bob!]);
    const overflow = await anns.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expectNoSeriousA11yViolations(anns.page, 'list page with a viewer shown (390 px)');
    await screenshot(anns.page, 'presence-phone');
  });
});
