import { describe, expect, it } from 'vitest';
import { addItem, checkItem, createSharedList } from './support/api';
import { expectNoSeriousA11yViolations } from './support/a11y';
import { itemRow, screenshot, waitLive } from './support/browser';
import { LIVE_BUDGET_MS } from './support/scenario';
import { h2Stage } from './support/stage';

describe('the history panel', () => {
  const stage = h2Stage('activity');

  it('says who did what, newest first, follows live changes, and pages back', async () => {
    const url = stage.servers.url;
    const [ann, bob] = await stage.users(stage.servers, 'Ann', 'Bob');
    const listId = await createSharedList(url, ann!, 'Household', [{ user: bob!, role: 'editor' }]);
    // 40 older changes, so the history has more than one page (30 a page); 56 changes in all
    for (let i = 0; i < 40; i++) await addItem(url, ann!, listId, `Thing ${i}`);
    const milk = await addItem(url, ann!, listId, 'Milk');
    const page = (await stage.open(stage.servers, bob!, `/lists/${listId}`)).page;
    await waitLive(page);
    await checkItem(url, ann!, listId, milk.id);
    for (let i = 0; i < 6; i++) await checkItem(url, ann!, listId, (await addItem(url, ann!, listId, `Extra ${i}`)).id);
    await page.locator('[data-testid="item"][data-name="Extra 5"][data-checked="true"]').waitFor({ timeout: LIVE_BUDGET_MS });
    await page.getByTestId('clear-checked').click();
    await itemRow(page, 'Milk').waitFor({ state: 'detached', timeout: LIVE_BUDGET_MS });

    await page.getByTestId('open-history').click();
    const entries = page.getByTestId('activity-entry');
    // the clear shows on screen at once; its event is in the history once the write has committed
    await entries.first().getByText(/^You cleared 7 checked items$/).waitFor({ timeout: 5_000 });
    expect(await entries.first().textContent()).toMatch(/^You cleared 7 checked items · just now$/);
    expect(await entries.nth(1).textContent()).toMatch(/^Ann checked Extra 5 · just now$/);
    expect(await entries.allTextContents()).toContain('Ann checked Milk · just now');
    expect(await entries.count()).toBe(30);

    // live: Ann's next change appears at the top without a reload
    await addItem(url, ann!, listId, 'Bread');
    await page.getByTestId('activity-entry').first().getByText('Ann added Bread').waitFor({ timeout: 3_000 });

    // paging back through the event log
    await page.getByTestId('activity-more').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="activity-entry"]').length === 56, null,
      { timeout: 5_000 });
    expect(await entries.last().textContent()).toMatch(/^Ann added Thing 0 · /);
    expect(await page.getByTestId('activity-more').count()).toBe(0);
    const versions = await entries.evaluateAll((els) => els.map((el) => el.textContent));
    expect(new Set(versions).size).toBe(56); // every change once: the pages neither overlap nor leave a gap
    await expectNoSeriousA11yViolations(page, 'list page with the history open');
    await screenshot(page, 'history-desktop');

    const phone = (await stage.open(stage.servers, ann!, `/lists/${listId}`, { width: 390, height: 844 })).page;
    await waitLive(phone);
    await phone.getByTestId('open-history').click();
    await phone.getByTestId('activity-entry').first().getByText('You added Bread').waitFor();
    expect(await phone.getByTestId('activity-entry').nth(1).textContent()).toMatch(/^Bob cleared 7 checked items/);
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(phone, 'history-phone');
  });
});
